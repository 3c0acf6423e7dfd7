import * as assert from "node:assert/strict";
import { parse } from "smol-toml";
import { commentBody, commentedSetting, isCommentedHeader, isKeyLike, scanDocument, statementText } from "../../../provider/toml/scan";

/**
 * What a scan must satisfy, checked with smol-toml alone (not a test file): every key/value
 * statement's key, value and trailer spans re-read to the key path and the value the whole
 * document has there; headers re-read to their path; the lines outside statements are
 * blank or comments that, put together, hold nothing.
 */

type Tree = Record<string, unknown>;
const read = (text: string): Tree => parse(text, { integersAsBigInt: true }) as Tree;

export function validToml(text: string): boolean {
    try {
        parse(text);
        return true;
    } catch {
        return false;
    }
}

const TRAILER = /^[ \t]*(#.*)?$/;
const withoutBom = (s: string): string => s.replace(/^\uFEFF/, "");

/** `{ a: { b: leaf } }` for path [a, b], as smol-toml makes tables (no prototype). */
const nest = (path: readonly string[], leaf: unknown): unknown =>
    path.reduceRight((v, k) => Object.defineProperty(Object.create(null), k, { value: v, enumerable: true, writable: true, configurable: true }), leaf);

function at(node: unknown, path: readonly string[]): unknown {
    return path.reduce<unknown>((n, k) => {
        assert.ok(n !== null && typeof n === "object" && Object.prototype.hasOwnProperty.call(n, k), `no ${k} on the way to ${path.join(".")}`);
        return (n as Tree)[k];
    }, node);
}

/** The table a header opens: intermediate arrays of tables resolve to their last entry, the header's own to `index`. */
function tableOf(doc: Tree, path: readonly string[], index: number): unknown {
    let node: unknown = doc;
    path.forEach((seg, i) => {
        node = at(node, [seg]);
        if (Array.isArray(node)) {
            node = i === path.length - 1 ? node[index] : node[node.length - 1];
        }
    });
    return node;
}

/** A key/value's spans in `text`: key (with `=`), value, trailer; the value re-read equals `expected`. */
export function checkSetting(text: string, path: readonly string[], valueStart: number, valueEnd: number, expected: unknown): void {
    const where = `${JSON.stringify(path)} in ${JSON.stringify(text.slice(0, 120))}`;
    const keyText = text.slice(0, valueStart);
    const valueText = text.slice(valueStart, valueEnd);
    assert.match(keyText, /=[ \t]*$/, `key part of ${where}`);
    assert.deepStrictEqual(parse(`${keyText}0`), nest(path, 0), `key path of ${where}`);
    assert.match(valueText, /^\S([^]*\S)?$/, `value of ${where} has no surrounding space`);
    assert.ok(validToml(`x = [${valueText}]`), `value of ${where} does not end inside a comment`);
    assert.deepStrictEqual(read(`x = ${valueText}`).x, expected, `value of ${where}`);
    assert.match(text.slice(valueEnd), TRAILER, `trailer of ${where}`);
}

/** All of the above for every statement and line of `text`'s scan; returns the comment bodies. */
export function checkScan(text: string): string[] {
    const scan = scanDocument(text);
    assert.equal(scan.lines.map((l) => l.text + l.eol).join(""), text);
    scan.lines.forEach((_, k) => assert.equal(scan.starts[k], k === 0 ? 0 : scan.starts[k - 1] + scan.lines[k - 1].text.length + scan.lines[k - 1].eol.length));
    const doc = read(text);
    const entries = new Map<string, number>();
    let table = { path: [] as string[], index: 0 };
    let next = 0;
    const outside: string[] = [];
    const bodies: string[] = [];
    const other = (until: number) => {
        for (; next < until; next++) {
            const line = next === 0 ? withoutBom(scan.lines[next].text) : scan.lines[next].text;
            const kind = scan.kinds[next];
            assert.match(line, kind === "blank" ? /^[ \t]*$/ : /^[ \t]*#/, `line ${next + 1} (${kind})`);
            outside.push(line);
            if (kind === "comment") {
                bodies.push(commentBody(line).body);
            }
        }
    };
    for (const st of scan.statements) {
        assert.ok(st.first >= next && st.last >= st.first, "statements in order, not overlapping");
        other(st.first);
        assert.deepEqual(scan.kinds.slice(st.first, st.last + 1), [st.kind, ...Array(st.last - st.first).fill("cont")]);
        const stText = statementText(scan, st);
        if (st.kind === "header") {
            assert.equal(st.first, st.last, "a header is one line");
            const line = withoutBom(stText);
            assert.equal(st.array, /^[ \t]*\[\[/.test(line));
            const own = at(read(line), st.path);
            assert.ok(st.array ? Array.isArray(own) && own.length === 1 : !Array.isArray(own), `header ${line}`);
            const id = JSON.stringify(st.path);
            const index = st.array ? entries.get(id) ?? 0 : 0;
            entries.set(id, index + 1);
            table = { path: st.path, index };
        } else {
            checkSetting(stText, st.path, st.valueStart, st.valueEnd, at(tableOf(doc, table.path, table.index), st.path));
        }
        next = st.last + 1;
    }
    other(scan.lines.length);
    assert.deepEqual(Object.keys(read(outside.join("\n"))), [], "the lines outside statements hold nothing");
    return bodies;
}

/** The comment-body questions, against smol-toml's reading of the body. */
export function checkBody(body: string): { keyLike: boolean; header: boolean; setting: boolean } {
    const where = JSON.stringify(body);
    const header = isCommentedHeader(body);
    assert.equal(header, body[0] === "[" && validToml(body), `commented header ${where}`);
    let keyPart = false;
    for (let eq = body.indexOf("="); eq >= 0 && !keyPart; eq = body.indexOf("=", eq + 1)) {
        keyPart = validToml(`${body.slice(0, eq)}= 0`);
    }
    const keyLike = isKeyLike(body);
    assert.equal(keyLike, /^[A-Za-z0-9_"'-]/.test(body) && keyPart, `key-like ${where}`);
    const setting = commentedSetting(body);
    if (validToml(body)) {
        // A valid one-line document that is not blank, a comment or a header is one setting.
        assert.equal(setting !== undefined, /^[ \t]*[^[#\s]/.test(body), `commented setting ${where}`);
        if (setting) {
            checkSetting(body, setting.path, setting.valueStart, setting.valueEnd, at(read(body), setting.path));
        }
    }
    return { keyLike, header, setting: setting !== undefined && validToml(body) };
}
