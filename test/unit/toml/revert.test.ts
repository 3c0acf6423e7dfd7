import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TomlEditError, applyTomlSettings, revertTomlSettings, type TomlEdit } from "../../../provider/toml";
import { assertSameText, fixture, replaceLine } from "./helpers";

/** Revert finds managed keys by table/index/key, so it survives unrelated changes. */

const DATA = fixture("enterprise-1.6.2-influxdb.conf");
const HTTPS: TomlEdit[] = [
    { table: "http", set: { "https-enabled": true, "https-certificate": "/etc/ssl/d.pem", "max-body-size": 1000 } },
    { table: "meta", set: { "meta-tls-enabled": true, dir: "/var/lib/influxdb/meta" } },
    { table: "tls", set: { "min-version": "tls1.2" } },
    { table: "new-table", set: { x: 1 } },
];

describe("revert after other changes", () => {
    it("keeps unrelated lines that were added, removed or changed since apply", () => {
        const r = applyTomlSettings(DATA, HTTPS);
        // Someone deletes a comment line, changes an unrelated setting, and appends a table.
        let edited = r.text.replace("  # Determines whether HTTP endpoint is enabled.\n", "");
        edited = edited.replace("  auth-enabled = true", "  auth-enabled = false");
        edited += "\n\n[extra]\n  y = 2";
        let want = DATA.replace("  # Determines whether HTTP endpoint is enabled.\n", "");
        want = want.replace("  auth-enabled = true", "  auth-enabled = false");
        want += "\n\n[extra]\n  y = 2";
        assertSameText(revertTomlSettings(edited, r.undo), want);
    });

    it("puts back the prior line of a managed key that someone changed after apply", () => {
        const r = applyTomlSettings(DATA, HTTPS);
        const changed = r.text.replace("  https-enabled = true", "  https-enabled = false # turned off by hand");
        assertSameText(revertTomlSettings(changed, r.undo), DATA);
    });

    it("keeps the header of a created table that now holds other settings", () => {
        const base = "[a]\n  x = 1\n";
        const r = applyTomlSettings(base, [{ table: "b", set: { mine: true } }]);
        const more = r.text.replace("  mine = true\n", "  mine = true\n  theirs = 2\n");
        assert.equal(revertTomlSettings(more, r.undo), "[a]\n  x = 1\n\n[b]\n  theirs = 2\n");
    });

    it("removes a created table cleanly when another table was appended after it", () => {
        const base = "[a]\n  x = 1";
        const r = applyTomlSettings(base, [{ table: "b", set: { mine: true } }]);
        assert.equal(revertTomlSettings(`${r.text}\n\n[c]\n  z = 3`, r.undo), "[a]\n  x = 1\n\n[c]\n  z = 3");
    });

    it("removes a created [[array]] entry", () => {
        const r = applyTomlSettings("[agent]\n", [{ table: "outputs.influxdb", index: 0, set: { urls: ["https://a"] } }]);
        assert.equal(revertTomlSettings(r.text, r.undo), "[agent]\n");
    });

    it("managed lines deleted by someone: absent/commented stay gone, active comes back at the end of its table", () => {
        const text = "[a]\n  act = 1\n  # com = 2\n  other = 0\n";
        const r = applyTomlSettings(text, [{ table: "a", set: { act: 10, com: 20, abs: 30 } }]);
        assert.equal(r.text, "[a]\n  act = 10\n  com = 20\n  other = 0\n  abs = 30\n");
        const gone = "[a]\n  other = 0\n";
        assert.equal(revertTomlSettings(gone, r.undo), "[a]\n  other = 0\n  act = 1\n");
    });

    it("refuses to restore an active key whose table is gone", () => {
        const r = applyTomlSettings("[a]\n  k = 1\n", [{ table: "a", set: { k: 2 } }]);
        assert.throws(() => revertTomlSettings("[b]\n", r.undo), (e: unknown) => e instanceof TomlEditError && /\[a\] "k": its table is no longer/.test(e.message));
        const absent = applyTomlSettings("[a]\n", [{ table: "a", set: { k: 2 } }]);
        assert.equal(revertTomlSettings("[b]\n", absent.undo), "[b]\n", "nothing of ours left to remove");
    });

    it("restores a multi-line value that apply collapsed", () => {
        const text = '[x]\nurls = [\n  "a",\n  "b",\n]\ny = 1\n';
        const r = applyTomlSettings(text, [{ table: "x", set: { urls: ["c"] } }]);
        const more = r.text.replace("y = 1", "y = 2");
        assert.equal(revertTomlSettings(more, r.undo), text.replace("y = 1", "y = 2"));
    });
});

describe("update = revert(old undo) then apply(new edits)", () => {
    const e1: TomlEdit[] = [{ table: "http", set: { "https-enabled": true, "https-certificate": "/old.pem", "old-only": 1 } }];
    const e2: TomlEdit[] = [{ table: "http", set: { "https-enabled": true, "https-certificate": "/new.pem", "new-only": "x" } }, { table: "tls", set: { "min-version": "tls1.3" } }];

    it("equals applying the new edits to the original", () => {
        const first = applyTomlSettings(DATA, e1);
        const updated = applyTomlSettings(revertTomlSettings(first.text, first.undo), e2);
        const direct = applyTomlSettings(DATA, e2);
        assert.equal(updated.text, direct.text);
        assert.deepEqual(updated.undo, direct.undo);
        assert.equal(revertTomlSettings(updated.text, updated.undo), DATA);
    });

    it("stacked applies unwind in reverse order", () => {
        const first = applyTomlSettings(DATA, e1);
        const second = applyTomlSettings(first.text, e2);
        assert.equal(revertTomlSettings(second.text, second.undo), first.text);
        assert.equal(revertTomlSettings(first.text, first.undo), DATA);
    });

    it("the undo of a re-apply records prior active with the same line, so its revert changes nothing", () => {
        const first = applyTomlSettings(DATA, e1);
        const again = applyTomlSettings(first.text, e1);
        assert.ok(again.undo.keys.every((k) => k.prior === "active" && k.line === k.written));
        assert.equal(revertTomlSettings(again.text, again.undo), first.text);
    });

    it("revert restores only the managed keys when another resource changed other keys", () => {
        const mine = applyTomlSettings(DATA, e1);
        const theirs = applyTomlSettings(mine.text, [{ table: "http", set: { "auth-enabled": false, "log-enabled": false } }]);
        let want = replaceLine(DATA, "  auth-enabled = true", "  auth-enabled = false", "[http]");
        want = replaceLine(want, "  # log-enabled = true", "  log-enabled = false", "[http]");
        assertSameText(revertTomlSettings(theirs.text, mine.undo), want);
    });
});
