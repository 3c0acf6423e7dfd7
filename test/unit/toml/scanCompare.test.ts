import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parse } from "smol-toml";
import { applyTomlSettings } from "../../../provider/toml";
import { scanKeyValue, skipTrailer } from "../../../provider/toml/lex";
import { type DocScan, commentBody, isCommentedHeader, isKeyLike, scanDocument } from "../../../provider/toml/scan";
import * as parsed from "../../../provider/toml/scanParsed";
import { editsFor, modelOf, transform, transformed } from "./arbitraries";
import { FIXTURE_NAMES, fixture } from "./helpers";
import { syntheticDoc } from "./synthetic";

/**
 * The hand-written scanner (lex.ts + scan.ts) against the parser-based one (scanParsed.ts):
 * the same DocScan, and the same answers about comment bodies, on the real files in LF,
 * CRLF and BOM forms, on those files after random edits, and on synthetic documents.
 */

const SYNTHETIC = 5000;
const EDITED_PER_FIXTURE = 100;
const COMMENT_BODIES = 20000;

let documents = 0;
let bodies = 0;
const positives = { keyLike: 0, header: 0, setting: 0 };

const comparable = (s: DocScan) => ({ kinds: s.kinds, statements: s.statements, starts: s.starts, lines: s.lines });

/** The hand-written scanner's answer for a commented setting, as findCommented used it. */
function oldSetting(body: string) {
    try {
        const kv = scanKeyValue(body, 0);
        return skipTrailer(body, kv.valueEnd) === body.length ? { path: kv.path, valueStart: kv.valueStart, valueEnd: kv.valueEnd } : undefined;
    } catch {
        return undefined;
    }
}

function validToml(text: string): boolean {
    try {
        parse(text);
        return true;
    } catch {
        return false;
    }
}

function compareBody(body: string): void {
    bodies++;
    const keyLike = parsed.isKeyLike(body);
    const header = parsed.isCommentedHeader(body);
    assert.equal(keyLike, isKeyLike(body), `isKeyLike ${JSON.stringify(body)}`);
    assert.equal(header, isCommentedHeader(body), `isCommentedHeader ${JSON.stringify(body)}`);
    positives.keyLike += keyLike ? 1 : 0;
    positives.header += header ? 1 : 0;
    if (validToml(body)) {
        // findCommented only takes a body that smol-toml accepts.
        const setting = parsed.commentedSetting(body);
        assert.deepEqual(setting, oldSetting(body), `commented setting ${JSON.stringify(body)}`);
        positives.setting += setting ? 1 : 0;
    }
}

function compare(text: string): void {
    documents++;
    const before = scanDocument(text);
    const after = parsed.scanDocument(text);
    assert.deepEqual(comparable(after), comparable(before), `scan of ${JSON.stringify(text.slice(0, 200))}`);
    before.lines.forEach((l, k) => {
        if (before.kinds[k] === "comment") {
            compareBody(commentBody(l.text).body);
        }
    });
}

const forms = (text: string): [string, string][] => [
    ["LF", text],
    ["CRLF", text.replace(/\r?\n/g, "\r\n")],
    ["BOM", `\uFEFF${text}`],
    ["BOM+CRLF", `\uFEFF${text.replace(/\r?\n/g, "\r\n")}`],
];

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

describe("hand-written scanner vs toml-eslint-parser", () => {
    for (const name of FIXTURE_NAMES) {
        it(`${name}: LF, CRLF, BOM`, () => {
            for (const [, text] of forms(fixture(name))) {
                compare(text);
            }
        });

        it(`${name}: after random edits`, () => {
            const base = fixture(name);
            fc.assert(fc.property(editsFor(modelOf(base)), transform, fc.boolean(), (edits, tf, bom) => {
                const text = applyTomlSettings(transformed(base, tf), edits).text;
                compare(bom ? `\uFEFF${text}` : text);
            }), { numRuns: EDITED_PER_FIXTURE });
        });
    }

    it("synthetic documents (LF/CRLF, final newline or not, BOM or not)", () => {
        fc.assert(fc.property(syntheticDoc, transform, fc.boolean(), (d, tf, bom) => {
            const text = transformed(d.text, tf);
            compare(bom ? `\uFEFF${text}` : text);
        }), { numRuns: SYNTHETIC });
    });

    it("comment bodies: settings, headers and prose, well formed or not", () => {
        fc.assert(fc.property(commentBodyArb, (body) => compareBody(body)), { numRuns: COMMENT_BODIES });
    });

    it("counts", () => {
        console.log(`scan comparison: ${documents} documents, ${bodies} comment bodies (${JSON.stringify(positives)}), ${Date.now() - started} ms`);
        assert.equal(documents, FIXTURE_NAMES.length * (4 + EDITED_PER_FIXTURE) + SYNTHETIC);
    });
});
