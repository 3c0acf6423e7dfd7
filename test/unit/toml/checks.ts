import * as assert from "node:assert/strict";
import { parse } from "smol-toml";
import { applyTomlSettings, readTomlValues, revertTomlSettings, type TomlEdit, type TomlUndoTable, type TomlValue } from "../../../provider/toml";
import { withoutKeysOf } from "./arbitraries";

/** The invariants the property tests check on every case (not a test file). */

type Tree = Record<string, unknown>;
const parsed = (text: string): Tree => parse(text, { integersAsBigInt: true }) as Tree;

const asParsed = (v: TomlValue): unknown =>
    Array.isArray(v) ? v.map(asParsed) : typeof v === "number" && Number.isSafeInteger(v) ? BigInt(v) : v;

/** As readTomlValues returns it: numbers as numbers (-0 reads back as 0). */
const asRead = (v: TomlValue): TomlValue => (Array.isArray(v) ? v.map(asRead) : Object.is(v, -0) ? 0 : v);

const settingsOf = (edits: TomlEdit[]) =>
    edits.flatMap((e) => Object.entries(e.set).map(([key, value]) => ({ table: e.table, index: e.index, key, value })));

/** What the edited file must parse to, computed independently of the implementation. */
function expectedTree(text: string, edits: TomlEdit[], created: TomlUndoTable[]): Tree {
    const doc = parsed(text);
    const arrays = new Set(created.filter((t) => t.header.startsWith("[[")).map((t) => t.table));
    for (const e of edits) {
        const path = e.table === "" ? [] : e.table.split(".");
        let node: Tree = doc;
        path.forEach((seg, i) => {
            const last = i === path.length - 1;
            if (!(seg in node)) {
                const fresh = Object.create(null) as Tree;
                node[seg] = last && arrays.has(e.table) ? [fresh] : fresh;
            }
            const next = node[seg];
            node = (Array.isArray(next) ? (last ? next[e.index ?? 0] : next[next.length - 1]) : next) as Tree;
        });
        for (const [k, v] of Object.entries(e.set)) {
            node[k] = asParsed(v);
        }
    }
    return doc;
}

/** Apply means original + edits; revert is byte-exact; re-applying is a no-op. */
export function checkApplyRevert(text: string, edits: TomlEdit[]): void {
    const r = applyTomlSettings(text, edits);
    assert.deepStrictEqual(parsed(r.text), expectedTree(text, edits, r.undo.createdTables));
    const settings = settingsOf(edits);
    assert.deepStrictEqual(readTomlValues(r.text, settings), settings.map((s) => asRead(s.value)));
    if (text !== "") {
        // (An empty file counts as ending with a newline: new lines get one.)
        assert.equal(r.text.endsWith("\n"), text.endsWith("\n"), "final newline state kept");
    }
    if (text.includes("\r\n") && !/[^\r]\n/.test(text)) {
        assert.doesNotMatch(r.text, /[^\r]\n/, "CRLF kept");
    }
    assert.deepStrictEqual(JSON.parse(JSON.stringify(r.undo)), r.undo, "undo is plain JSON");
    assert.equal(revertTomlSettings(r.text, r.undo), text);
    const again = applyTomlSettings(r.text, edits);
    assert.equal(again.text, r.text);
    assert.equal(revertTomlSettings(again.text, again.undo), r.text);
}

/** `text` with an unrelated table appended, keeping its final-newline state. */
function appendUnrelated(text: string): string {
    const eol = text.includes("\r\n") ? "\r\n" : "\n";
    const block = `[zz_unrelated]${eol}k = 1`;
    return text === "" || text.endsWith("\n") ? `${text}${eol}${block}${eol}` : `${text}${eol}${eol}${block}`;
}

/**
 * `text` before the tables created at its end: new tables are appended after everything
 * else, so the last occurrence of each created header line is the real one.
 */
function beforeNewTables(text: string, headers: string[]): string {
    const lines = text.split("\n").map((l) => l.replace(/\r$/, ""));
    const starts = headers.map((h) => lines.lastIndexOf(h)).filter((i) => i >= 0);
    return starts.length === 0 ? text : text.split("\n").slice(0, Math.min(...starts)).join("\n");
}

/**
 * After apply(e1), someone appends a table or applies e2 (their own undo; it may change
 * our keys too): revert(e1) leaves exactly what applying e2-minus-our-keys to the original
 * gives. Then the provider's update (revert old, apply new) equals a direct apply.
 */
export function checkRevertAfterChanges(text: string, e1: TomlEdit[], e2: TomlEdit[], append: boolean): void {
    const first = applyTomlSettings(text, e1);
    const theirs = append ? undefined : applyTomlSettings(first.text, e2);
    const changed = theirs ? theirs.text : appendUnrelated(first.text);
    const direct = applyTomlSettings(text, withoutKeysOf(e2, e1));
    const want = append ? appendUnrelated(text) : direct.text;
    const reverted = revertTomlSettings(changed, first.undo);
    const created = new Set(first.undo.createdTables.map((t) => t.table));
    // An empty original gets new tables without a blank line before them; one created later,
    // after our lines, gets one, and it stays when revert removes our lines.
    if (text !== "" && (append || !e2.some((e) => created.has(e.table)))) {
        assert.equal(reverted, want);
    } else {
        // e2 added to a table that e1 created, so that table keeps its place among e1's
        // other new tables: same meaning, new tables possibly in another order.
        assert.deepStrictEqual(parsed(reverted), parsed(want));
        if (text !== "") {
            const headers = [first.undo, theirs?.undo, direct.undo].flatMap((u) => u?.createdTables.map((t) => t.header) ?? []);
            assert.equal(beforeNewTables(reverted, headers), beforeNewTables(want, headers));
        }
    }
    const updated = applyTomlSettings(revertTomlSettings(first.text, first.undo), e2);
    const fresh = applyTomlSettings(text, e2);
    assert.equal(updated.text, fresh.text);
    assert.deepStrictEqual(updated.undo, fresh.undo);
}
