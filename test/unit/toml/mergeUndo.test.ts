// mergeUndo: the undo a failed update records, when the file may hold the old apply's result
// or the new one's. Reverting with it must give the original from either.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { applyTomlSettings, mergeUndo, revertTomlSettings, type TomlEdit } from "../../../provider/toml";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "../../../../test/fixtures", name), "utf8");

const cases: { name: string; file: string; older: TomlEdit[]; newer: TomlEdit[] }[] = [
    {
        name: "keys dropped, kept and added (data node)",
        file: "debian-influxdb-1.6.7.conf",
        older: [{ table: "http", set: { "https-enabled": true, "https-certificate": "/etc/ssl/a.crt", "max-row-limit": 10 } }],
        newer: [{ table: "http", set: { "https-enabled": true, "https-certificate": "/etc/ssl/b.crt", "max-connection-limit": 5 } }],
    },
    {
        name: "tables created by either apply (telegraf)",
        file: "telegraf-1.4.5.conf",
        older: [{ table: "outputs.influxdb", index: 0, set: { urls: ["https://a:8086"] } }, { table: "pitls.one", set: { a: 1 } }],
        newer: [{ table: "outputs.influxdb", index: 0, set: { urls: ["https://b:8086"], tls_ca: "/x.pem" } }, { table: "pitls.two", set: { b: 2 } }],
    },
];

describe("mergeUndo", () => {
    for (const c of cases) {
        it(`${c.name}: reverting either apply's result gives the original byte for byte`, () => {
            const original = fixture(c.file);
            const a = applyTomlSettings(original, c.older);
            // what update does: revert the old undo, apply the new edits
            const b = applyTomlSettings(revertTomlSettings(a.text, a.undo), c.newer);
            const merged = mergeUndo(a.undo, b.undo);
            assert.equal(revertTomlSettings(a.text, merged), original, "from the old content");
            assert.equal(revertTomlSettings(b.text, merged), original, "from the new content");
            assert.equal(revertTomlSettings(original, merged), original, "from the original (a no-op)");
            // and the merged record is what the next update reverts before applying again
            assert.equal(applyTomlSettings(revertTomlSettings(a.text, merged), c.newer).text, b.text);
        });
    }

    it("keys managed by both come from the older record; no key or table twice", () => {
        const original = fixture("debian-influxdb-1.6.7.conf");
        const a = applyTomlSettings(original, cases[0].older);
        const b = applyTomlSettings(revertTomlSettings(a.text, a.undo), cases[0].newer);
        const merged = mergeUndo(a.undo, b.undo);
        assert.deepEqual(merged.keys.map((k) => k.key), ["https-enabled", "https-certificate", "max-row-limit", "max-connection-limit"]);
        assert.equal(merged.keys[1], a.undo.keys[1]);
    });
});
