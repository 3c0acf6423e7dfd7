import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TomlEditError, applyTomlSettings, readTomlValues, revertTomlSettings } from "../../../provider/toml";
import { applyChecked, assertSameText, fixture, insertAfter, replaceLine } from "./helpers";

/** The real default files: what a human enabling HTTPS by hand would have produced. */

describe("Enterprise 1.6.2 data node (influxdb.conf)", () => {
    const orig = fixture("enterprise-1.6.2-influxdb.conf");

    it("uncomments the [http] and [meta] TLS defaults in place and nothing else", () => {
        const r = applyChecked(orig, [
            { table: "http", set: { "https-enabled": true, "https-certificate": "/etc/ssl/data.pem", "https-private-key": "/etc/ssl/data-key.pem" } },
            { table: "meta", set: { "meta-tls-enabled": true } },
        ]);
        let want = replaceLine(orig, "  # https-enabled = false", "  https-enabled = true", "[http]");
        want = replaceLine(want, '  # https-certificate = "/etc/ssl/influxdb.pem"', '  https-certificate = "/etc/ssl/data.pem"', "[http]");
        want = replaceLine(want, '  # https-private-key = ""', '  https-private-key = "/etc/ssl/data-key.pem"', "[http]");
        want = replaceLine(want, "  # meta-tls-enabled = false", "  meta-tls-enabled = true", "[meta]");
        assertSameText(r.text, want);
        assert.ok(!r.text.endsWith("\n"), "no final newline, as in the original");
        assert.deepEqual(r.undo.keys.map((k) => [k.table, k.key, k.prior]), [
            ["http", "https-enabled", "commented"],
            ["http", "https-certificate", "commented"],
            ["http", "https-private-key", "commented"],
            ["meta", "meta-tls-enabled", "commented"],
        ]);
        assert.deepEqual(r.undo.createdTables, []);
        assert.deepEqual(
            readTomlValues(r.text, [
                { table: "http", key: "https-enabled" },
                { table: "cluster", key: "https-enabled" },
                { table: "meta", key: "meta-tls-enabled" },
            ]),
            [true, undefined, true],
        );
    });

    it("[cluster] https-enabled is a different key: added at the end of [cluster], [http] untouched", () => {
        const r = applyChecked(orig, [{ table: "cluster", set: { "https-enabled": true, "https-insecure-tls": true } }]);
        // After the last setting of [cluster], before the blank line and the ### [hinted-handoff] banner.
        const want = insertAfter(orig, "  # max-select-buckets = 0", ["  https-enabled = true", "  https-insecure-tls = true"], "[cluster]");
        assertSameText(r.text, want);
        assert.ok(r.text.includes("  # https-enabled = false"), "[http]'s commented default is still there");
        assert.deepEqual(r.undo.keys.map((k) => k.prior), ["absent", "absent"]);
    });

    it("a root key goes after the root's last setting, before the [enterprise] banner", () => {
        const r = applyChecked(orig, [{ table: "", set: { "reporting-disabled": true, "new-root-key": "x" } }]);
        let want = replaceLine(orig, "# reporting-disabled = false", "reporting-disabled = true");
        want = insertAfter(want, '# gossip-frequency = "3s"', ['new-root-key = "x"']);
        assertSameText(r.text, want);
    });

    it("[tls] at the end of the file (no final newline) gets its key uncommented, and a new one appended", () => {
        const r = applyChecked(orig, [{ table: "tls", set: { "min-version": "tls1.2", ciphers: ["TLS_AES_128_GCM_SHA256"] } }]);
        let want = replaceLine(orig, '  # min-version = "tls1.2"', '  min-version = "tls1.2"', "[tls]");
        // `# ciphers = [` opens a commented multi-line array: not a one-line default, so the key is appended.
        want = insertAfter(want, '  # max-version = "tls1.2"', ['  ciphers = ["TLS_AES_128_GCM_SHA256"]']);
        assertSameText(r.text, want);
        assert.ok(!r.text.endsWith("\n"));
    });
});

describe("Enterprise 1.6.2 meta node (influxdb-meta.conf)", () => {
    const orig = fixture("enterprise-1.6.2-influxdb-meta.conf");

    it("enables HTTPS in [meta] (not [http], whatever the 1.3 guide says)", () => {
        const r = applyChecked(orig, [{
            table: "meta",
            set: { "https-enabled": true, "https-certificate": "/etc/ssl/meta.pem", "https-private-key": "/etc/ssl/meta.key", "https-insecure-tls": true },
        }]);
        let want = replaceLine(orig, "  # https-enabled = false", "  https-enabled = true");
        want = replaceLine(want, '  # https-certificate = ""', '  https-certificate = "/etc/ssl/meta.pem"');
        want = replaceLine(want, '  # https-private-key = ""', '  https-private-key = "/etc/ssl/meta.key"');
        want = replaceLine(want, "  # https-insecure-tls = false", "  https-insecure-tls = true");
        assertSameText(r.text, want);
    });

    it("a new key in the last table goes after its last line, and the file still has no final newline", () => {
        const r = applyChecked(orig, [{ table: "meta", set: { "data-use-tls": true } }]);
        assertSameText(r.text, `${orig}\n  data-use-tls = true`);
    });

    it("a missing table is created at the end, after a blank line, and removed again on revert", () => {
        const r = applyChecked(orig, [{ table: "http", set: { "https-enabled": true } }]);
        assertSameText(r.text, `${orig}\n\n[http]\n  https-enabled = true`);
        assert.deepEqual(r.undo.createdTables, [{ table: "http", index: 0, header: "[http]" }]);
    });
});

describe("Telegraf 1.4.5 telegraf.conf", () => {
    const orig = fixture("telegraf-1.4.5.conf");

    it("replaces urls in place keeping `# required`, uncomments insecure_skip_verify, appends tls_ca", () => {
        const r = applyChecked(orig, [{
            table: "outputs.influxdb",
            set: { urls: ["https://influx-1:8086", "https://influx-2:8086"], tls_ca: "/etc/telegraf/ca.pem", insecure_skip_verify: false },
        }]);
        let want = replaceLine(orig, '  urls = ["http://localhost:8086"] # required', '  urls = ["https://influx-1:8086", "https://influx-2:8086"] # required');
        want = replaceLine(want, "  # insecure_skip_verify = false", "  insecure_skip_verify = false", "[[outputs.influxdb]]");
        // After the entry's last line (`# content_encoding`), before the commented-out [[outputs.amon]] template.
        want = insertAfter(want, '  # content_encoding = "gzip"', ['  tls_ca = "/etc/telegraf/ca.pem"']);
        assertSameText(r.text, want);
        assert.ok(r.text.includes('  # urls = ["udp://localhost:8089"] # UDP endpoint example'), "the commented example stays");
        assert.deepEqual(r.undo.keys.map((k) => [k.index, k.key, k.prior]), [
            [0, "urls", "active"], [0, "tls_ca", "absent"], [0, "insecure_skip_verify", "commented"],
        ]);
    });

    it("never picks up settings from commented-out plugin templates of other outputs", () => {
        // `#   ## Amon Server Key` / `#   server_key = …` belong to # [[outputs.amon]].
        const r = applyChecked(orig, [{ table: "outputs.influxdb", set: { server_key: "k" } }]);
        assertSameText(r.text, insertAfter(orig, '  # content_encoding = "gzip"', ['  server_key = "k"']));
    });

    it("entry 1 is out of range (the file has one [[outputs.influxdb]])", () => {
        assert.throws(
            () => applyTomlSettings(orig, [{ table: "outputs.influxdb", index: 1, set: { tls_ca: "/ca.pem" } }]),
            (e: unknown) => e instanceof TomlEditError && /\[\[outputs\.influxdb\]\] entry 1 is out of range: the file has 1 entry/.test(e.message),
        );
    });

    it("a key in [agent] lands after its last setting, not inside the OUTPUT PLUGINS banner", () => {
        const r = applyChecked(orig, [{ table: "agent", set: { flush_buffer_when_full: true, quiet: true } }]);
        let want = insertAfter(orig, "  omit_hostname = false", ["  flush_buffer_when_full = true"], "[agent]");
        want = replaceLine(want, "  quiet = false", "  quiet = true", "[agent]");
        assertSameText(r.text, want);
    });
});

describe("Debian influxdb 1.6.7 /etc/influxdb/influxdb.conf", () => {
    const orig = fixture("debian-influxdb-1.6.7.conf");

    it("enables HTTPS on [http] by uncommenting the defaults", () => {
        const r = applyChecked(orig, [{ table: "http", set: { "https-enabled": true, "https-certificate": "/etc/ssl/influxdb.pem", "https-private-key": "/etc/ssl/influxdb-key.pem" } }]);
        let want = replaceLine(orig, "  # https-enabled = false", "  https-enabled = true", "[http]");
        want = replaceLine(want, '  # https-certificate = "/etc/ssl/influxdb.pem"', '  https-certificate = "/etc/ssl/influxdb.pem"', "[http]");
        want = replaceLine(want, '  # https-private-key = ""', '  https-private-key = "/etc/ssl/influxdb-key.pem"', "[http]");
        assertSameText(r.text, want);
        assert.ok(r.text.endsWith("\n"), "the final newline stays");
    });

    it("revert restores the file after the value was changed by someone else in between", () => {
        const r = applyTomlSettings(orig, [{ table: "http", set: { "https-enabled": true } }]);
        const changed = applyTomlSettings(r.text, [{ table: "http", set: { "https-enabled": false, "max-row-limit": 5 } }]);
        const back = revertTomlSettings(changed.text, r.undo);
        assertSameText(back, replaceLine(orig, "  # max-row-limit = 0", "  max-row-limit = 5", "[http]"));
    });
});
