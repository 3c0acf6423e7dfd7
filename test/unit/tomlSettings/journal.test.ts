import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { entriesFor, journalPath, revertAll, unsure, type Journal, type JournalEntry } from "../../../provider/providers/tomlSettings/journal";
import { applyTomlSettings } from "../../../provider/toml";

const original = "[http]\n  # https-enabled = false\n  bind-address = \":8086\"\n\n[meta]\n  dir = \"/var/lib/influxdb/meta\"\n";

function entry(text: string, table: string, set: Record<string, string | boolean>, applied = true): { entry: JournalEntry; text: string } {
    const r = applyTomlSettings(text, [{ table, set }]);
    return { entry: { originalSha256: "0".repeat(64), undo: r.undo, restartTriggers: null, applied }, text: r.text };
}

describe("undo journal (providers/tomlSettings/journal)", () => {
    it("lives next to the file it is about, hidden", () => {
        assert.equal(journalPath("/etc/influxdb/influxdb.conf"), "/etc/influxdb/.influxdb.conf.pitls-undo");
        assert.equal(journalPath("/x"), "/.x.pitls-undo");
    });

    it("a resource's entries are those sharing a managed key with it; others in the same file are left alone", () => {
        const a = entry(original, "http", { "https-enabled": true });
        const b = entry(a.text, "meta", { "meta-tls-enabled": true });
        const journal: Journal = { path: "/j", entries: [a.entry, b.entry], sha256: "x" };
        assert.deepEqual(entriesFor(journal, [{ table: "http", key: "https-enabled" }]), [a.entry]);
        assert.deepEqual(entriesFor(journal, [{ table: "meta", index: 0, key: "meta-tls-enabled" }, { table: "http", key: "other" }]), [b.entry]);
        assert.deepEqual(entriesFor(journal, [{ table: "http", index: 1, key: "https-enabled" }]), [], "another array entry is another key");
        // Reverting a's entry restores a's key only; b's key stays.
        assert.equal(revertAll(b.text, [a.entry.undo]), applyTomlSettings(original, [{ table: "meta", set: { "meta-tls-enabled": true } }]).text);
        assert.equal(revertAll(b.text, [a.entry.undo, b.entry.undo]), original);
    });

    it("reverting an undo twice, or one whose keys are already back, changes nothing", () => {
        const a = entry(original, "http", { "https-enabled": true });
        assert.equal(revertAll(a.text, [a.entry.undo, a.entry.undo]), original);
        assert.equal(revertAll(original, [a.entry.undo]), original);
    });

    it("restart to be sure unless an earlier entry was applied with the same undo and triggers", () => {
        const a = entry(original, "http", { "https-enabled": true });
        assert.equal(unsure([], a.entry), false);
        assert.equal(unsure([a.entry], a.entry), false);
        assert.equal(unsure([{ ...a.entry, applied: false }], a.entry), true, "killed between write and verify");
        assert.equal(unsure([{ ...a.entry, restartTriggers: { certificate: "old" } }], a.entry), true, "another certificate");
        assert.equal(unsure([entry(original, "http", { "https-enabled": false }).entry], a.entry), true, "other values");
    });
});
