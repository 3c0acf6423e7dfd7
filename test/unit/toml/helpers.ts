import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { applyTomlSettings, revertTomlSettings, type TomlEdit } from "../../../provider/toml";

/** Test helpers (not a test file): fixtures and exact-text expectations. */

/** test/fixtures, from either the TypeScript source or the compiled bin-test/ copy. */
const FIXTURES = [path.join(__dirname, "..", "..", "fixtures"), path.join(__dirname, "..", "..", "..", "..", "test", "fixtures")];

export const FIXTURE_NAMES = [
    "enterprise-1.6.2-influxdb.conf",
    "enterprise-1.6.2-influxdb-meta.conf",
    "telegraf-1.4.5.conf",
    "debian-influxdb-1.6.7.conf",
] as const;

export function fixture(name: string): string {
    for (const dir of FIXTURES) {
        try {
            return readFileSync(path.join(dir, name), "utf8");
        } catch {
            // try the next location
        }
    }
    throw new Error(`fixture ${name} not found`);
}

/** `text` with the one line equal to `from` (which must occur exactly once after `after`) replaced. */
export function replaceLine(text: string, from: string, to: string, after = ""): string {
    const start = after === "" ? 0 : text.indexOf(after);
    assert.ok(start >= 0, `anchor ${after} not found`);
    const lines = text.split("\n");
    let offset = 0;
    const hits: number[] = [];
    lines.forEach((l, i) => {
        if (offset >= start && l.replace(/\r$/, "") === from) {
            hits.push(i);
        }
        offset += l.length + 1;
    });
    assert.equal(hits.length >= 1, true, `line ${JSON.stringify(from)} not found`);
    const i = hits[0];
    lines[i] = to + (lines[i].endsWith("\r") ? "\r" : "");
    return lines.join("\n");
}

/** `text` with `added` lines inserted after the first line equal to `anchor` (after `after`). */
export function insertAfter(text: string, anchor: string, added: string[], after = "", eol = "\n"): string {
    const marker = `${anchor}${eol}`;
    const from = after === "" ? 0 : text.indexOf(after);
    const at = text.indexOf(marker, from);
    if (at >= 0) {
        const end = at + marker.length;
        return text.slice(0, end) + added.map((l) => l + eol).join("") + text.slice(end);
    }
    // The anchor is the last line, without a final newline: the new lines follow it, and the
    // file still ends without one.
    assert.ok(text.endsWith(anchor), `anchor ${JSON.stringify(anchor)} not found`);
    return text + added.map((l) => eol + l).join("");
}

/** Applies, checks revert is byte-exact and re-apply a no-op, and returns the result. */
export function applyChecked(text: string, edits: TomlEdit[]): ReturnType<typeof applyTomlSettings> {
    const r = applyTomlSettings(text, edits);
    assert.equal(revertTomlSettings(r.text, r.undo), text, "revert must give back the original bytes");
    const again = applyTomlSettings(r.text, edits);
    assert.equal(again.text, r.text, "re-applying must change nothing");
    assert.equal(revertTomlSettings(again.text, again.undo), r.text, "the re-apply undo must be a no-op");
    assert.deepEqual(JSON.parse(JSON.stringify(r.undo)), r.undo, "undo must be plain JSON");
    return r;
}

/** Exact equality, reporting only the first differing line (fixtures are long). */
export function assertSameText(actual: string, expected: string): void {
    if (actual === expected) {
        return;
    }
    const a = actual.split("\n");
    const b = expected.split("\n");
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) {
        i++;
    }
    assert.fail(`texts differ from line ${i + 1}:\n  actual:   ${JSON.stringify(a.slice(i, i + 3))}\n  expected: ${JSON.stringify(b.slice(i, i + 3))}`);
}
