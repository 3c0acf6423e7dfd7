import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { applyTomlSettings } from "../../../provider/toml";
import { type Statement, commentBody, commentedSetting, isCommentedHeader, isKeyLike, scanDocument } from "../../../provider/toml/scan";
import { editsFor, modelOf, transform, transformed } from "./arbitraries";
import { FIXTURE_NAMES, fixture } from "./helpers";
import { checkBody, checkScan, validToml } from "./scanChecks";
import { syntheticDoc } from "./synthetic";

/**
 * The scan (positions from toml-eslint-parser, provider/toml/syntax.ts):
 * - golden data: what the hand-written scanner it replaced (lex.ts) found in the four real
 *   files and in golden/tricky.toml, recorded before that scanner was removed — the two
 *   agreed on 5,416 documents and ~388,000 comment bodies (scanCompare.test.ts, in the
 *   commit that added the parser next to it) — checked in LF, CRLF, BOM and
 *   no-final-newline forms;
 * - invariants checked with smol-toml alone (scanChecks.ts) on the real files after random
 *   edits and on synthetic documents, and on generated comment bodies;
 * - hand-picked comment bodies, with the hand-written scanner's answers.
 */

const GOLDEN = [path.join(__dirname, "golden"), path.join(__dirname, "..", "..", "..", "..", "test", "unit", "toml", "golden")];
const EDITED_PER_FIXTURE = 100;
const SYNTHETIC = 5000;
const BODIES = 20000;

function golden(file: string): string {
    for (const dir of GOLDEN) {
        try {
            return readFileSync(path.join(dir, file), "utf8");
        } catch {
            // the compiled copy runs from bin-test/: try the source tree
        }
    }
    throw new Error(`golden file ${file} not found`);
}

interface Golden {
    kinds: string;
    statements: Statement[];
    /** Per comment line: commented header, key-like, setting (value span and path). */
    comments: Map<number, { header: boolean; keyLike: boolean; setting?: { path: string[]; valueStart: number; valueEnd: number } }>;
}

function readGolden(file: string): Golden {
    const g: Golden = { kinds: "", statements: [], comments: new Map() };
    const comment = (k: number) => g.comments.get(k) ?? g.comments.set(k, { header: false, keyLike: false }).get(k)!;
    for (const line of golden(file).split("\n")) {
        const [tag, ...f] = line.split(" ");
        const path = (i: number) => JSON.parse(f.slice(i).join(" ")) as string[];
        if (tag === "kinds") {
            g.kinds += f[0];
        } else if (tag === "header") {
            g.statements.push({ kind: "header", first: +f[0], last: +f[0], path: path(2), array: f[1] === "[[", valueStart: 0, valueEnd: 0 });
        } else if (tag === "kv") {
            g.statements.push({ kind: "kv", first: +f[0], last: +f[1], path: path(4), array: false, valueStart: +f[2], valueEnd: +f[3] });
        } else if (tag === "commented-header") {
            comment(+f[0]).header = true;
        } else if (tag === "key-like") {
            comment(+f[0]).keyLike = true;
        } else if (tag === "setting") {
            comment(+f[0]).setting = { path: path(3), valueStart: +f[1], valueEnd: +f[2] };
        }
    }
    return g;
}

const KIND_LETTER = { blank: "b", comment: "c", header: "h", kv: "k", cont: "+" } as const;

/** The golden statements as they read in a CRLF and/or BOM form of the text. */
function expectedStatements(g: Golden, crlf: boolean, bom: boolean): Statement[] {
    return g.statements.map((s) => {
        // A value spanning lines has one "\r" more per inner line ending; a BOM shifts line 0.
        const shift = (bom && s.first === 0 && s.kind === "kv" ? 1 : 0);
        return { ...s, valueStart: s.valueStart + shift, valueEnd: s.valueEnd + shift + (crlf ? s.last - s.first : 0) };
    });
}

function checkGolden(text: string, g: Golden, crlf: boolean, bom: boolean): void {
    const scan = scanDocument(text);
    // Without its final newline a text that ended in a blank line has one line less.
    assert.equal(scan.kinds.map((k) => KIND_LETTER[k]).join(""), g.kinds.slice(0, scan.lines.length));
    assert.match(g.kinds.slice(scan.lines.length), /^b?$/);
    assert.deepEqual(scan.statements, expectedStatements(g, crlf, bom));
    scan.lines.forEach((l, k) => {
        if (scan.kinds[k] !== "comment" || (bom && k === 0)) {
            return;
        }
        const body = commentBody(l.text).body;
        const want = g.comments.get(k) ?? { header: false, keyLike: false };
        assert.equal(isCommentedHeader(body), want.header, `line ${k + 1} commented header`);
        assert.equal(isKeyLike(body), want.keyLike, `line ${k + 1} key-like`);
        // findCommented asks only about bodies that smol-toml reads; the golden data has those.
        const setting = validToml(body) ? commentedSetting(body) : undefined;
        assert.deepEqual(setting, want.setting, `line ${k + 1} setting`);
    });
}

let documents = 0;
let bodies = 0;
const positives = { keyLike: 0, header: 0, setting: 0 };

function checkBodies(list: string[]): void {
    for (const b of list) {
        bodies++;
        const r = checkBody(b);
        positives.keyLike += r.keyLike ? 1 : 0;
        positives.header += r.header ? 1 : 0;
        positives.setting += r.setting ? 1 : 0;
    }
}

/** One-line comment bodies: mostly settings and headers (some broken), plus loose pieces. */
const commentBodyArb: fc.Arbitrary<string> = (() => {
    const seg = fc.constantFrom("a", "k1", "https-enabled", '"q"', "'l'", '"a=b"', '"a.b"', '"\\u0041"', "1979-05-27", "-", "_", "1", '"x', "ü", "");
    const keyPath = fc.array(seg, { minLength: 1, maxLength: 3 }).chain((ss) =>
        fc.array(fc.constantFrom(".", " . ", ".."), { minLength: ss.length - 1, maxLength: ss.length - 1 })
            .map((dots) => ss.map((x, i) => (i === 0 ? x : dots[i - 1] + x)).join("")));
    const sp = fc.constantFrom("", " ", "\t");
    const value = fc.constantFrom("0", "1", '"s"', "'l'", "true", "[1, 2]", "{ a = 1 }", "1979-05-27 07:32:00Z", "[", "not toml", "", '"a\\"b"', "0x1F", "inf");
    const trailer = fc.constantFrom("", " # c", "#", " x", " = 2");
    const piece = fc.constantFrom("a", "k1", '"q"', "'l'", ".", " ", "=", "[", "]", "[[", "]]", "#", "1", "true", "{", "}", ",", "\\", "'", '"', '"""');
    return fc.oneof(
        fc.tuple(keyPath, sp, fc.constantFrom("=", "", "=="), sp, value, trailer).map((p) => p.join("")),
        fc.tuple(fc.constantFrom("[", "[[", "[ "), keyPath, fc.constantFrom("]", "]]", " ]", "]]]", ""), trailer).map((p) => p.join("")),
        fc.array(piece, { maxLength: 10 }).map((p) => p.join("")),
    );
})();

const started = Date.now();

describe("scan: golden data from the hand-written scanner", () => {
    const files = [...FIXTURE_NAMES.map((n) => ({ name: n, text: fixture(n) })), { name: "tricky.toml", text: golden("tricky.toml") }];
    for (const { name, text } of files) {
        const g = readGolden(name.replace(/\.(conf|toml)$/, ".scan"));
        it(`${name}: LF, CRLF, BOM, BOM+CRLF, with and without a final newline`, () => {
            for (const crlf of [false, true]) {
                for (const bom of [false, true]) {
                    const base = (bom ? "\uFEFF" : "") + (crlf ? text.replace(/\r?\n/g, "\r\n") : text);
                    for (const form of new Set([base, base.replace(/\r?\n$/, "")])) {
                        documents++;
                        checkGolden(form, g, crlf, bom);
                        checkBodies(checkScan(form));
                    }
                }
            }
        });
    }
});

describe("scan: invariants", () => {
    for (const name of FIXTURE_NAMES) {
        it(`${name} after random edits`, () => {
            const base = fixture(name);
            fc.assert(fc.property(editsFor(modelOf(base)), transform, fc.boolean(), (edits, tf, bom) => {
                const text = applyTomlSettings(transformed(base, tf), edits).text;
                documents++;
                checkScan(bom ? `\uFEFF${text}` : text);
            }), { numRuns: EDITED_PER_FIXTURE });
        });
    }

    it("synthetic documents (LF/CRLF, final newline or not, BOM or not)", () => {
        fc.assert(fc.property(syntheticDoc, transform, fc.boolean(), (d, tf, bom) => {
            const text = transformed(d.text, tf);
            documents++;
            checkBodies(checkScan(bom ? `\uFEFF${text}` : text));
        }), { numRuns: SYNTHETIC });
    });

    it("comment bodies: settings, headers and prose, well formed or not", () => {
        fc.assert(fc.property(commentBodyArb, (b) => checkBodies([b])), { numRuns: BODIES });
    });
});

describe("scan: comment bodies, with the hand-written scanner's answers", () => {
    // body, key-like, commented header, commented setting [valueStart, valueEnd, path]
    const cases: [string, boolean, boolean, [number, number, string[]] | undefined][] = [
        ["k1 = 0", true, false, [5, 6, ["k1"]]],
        ["https-enabled=false", true, false, [14, 19, ["https-enabled"]]],
        ['"a=b" = 1', true, false, [8, 9, ["a=b"]]],
        ["a b = 1", false, false, undefined],
        ["a # b = c", false, false, undefined],
        ["[http] # the API", false, true, undefined],
        ["[[outputs.amon]]", false, true, undefined],
        ["[http] prose", false, false, undefined],
        ["[ [a] ]", false, false, undefined],
        ["1979-05-27 = x", true, false, undefined],
        ["a.=1", false, false, undefined],
        ["urls = [", true, false, undefined],
        ["k1 = not toml", true, false, undefined],
        ["lit = 'x' # old", true, false, [6, 9, ["lit"]]],
        ["a = 1 = 2", true, false, undefined],
        ['"unterminated = 1', false, false, undefined],
        ["ü = 1", false, false, undefined],
        ["[a]]", false, false, undefined],
        ["[[a]", false, false, undefined],
        ["when = 1979-05-27 07:32:00Z", true, false, [7, 27, ["when"]]],
        ["", false, false, undefined],
        ["a . 'b c' . \"d\" = { x = 1 }", true, false, [18, 27, ["a", "b c", "d"]]],
        ['[ a . "b c" ]', false, true, undefined],
        ["Configuration for influxdb server to send metrics to", false, false, undefined],
        ["-1 = 1", true, false, [5, 6, ["-1"]]],
        ["x = 1 # y = 2", true, false, [4, 5, ["x"]]],
    ];
    for (const [body, keyLike, header, setting] of cases) {
        it(JSON.stringify(body), () => {
            assert.equal(isKeyLike(body), keyLike);
            assert.equal(isCommentedHeader(body), header);
            const got = commentedSetting(body);
            if (setting) {
                assert.deepEqual(got, { valueStart: setting[0], valueEnd: setting[1], path: setting[2] });
            } else if (got) {
                assert.ok(!validToml(body), "only bodies that smol-toml refuses may differ");
            }
        });
    }
});

describe("scan: counts", () => {
    it("checked the planned number of documents", () => {
        console.log(`scan: ${documents} documents, ${bodies} comment bodies (${JSON.stringify(positives)}), ${Date.now() - started} ms`);
        assert.equal(documents, FIXTURE_NAMES.length * EDITED_PER_FIXTURE + SYNTHETIC + documentsInGoldenForms());
        assert.ok(positives.keyLike > 1000 && positives.header > 1000 && positives.setting > 1000, "the bodies exercise every answer");
    });
});

function documentsInGoldenForms(): number {
    const texts = [...FIXTURE_NAMES.map(fixture), golden("tricky.toml")];
    // Per text: 4 forms, each with and without a final newline (one form when it has none).
    return texts.reduce((n, t) => n + (/\n$/.test(t) ? 8 : 4), 0);
}
