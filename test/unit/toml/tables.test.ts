import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TomlEditError, applyTomlSettings, readTomlValues } from "../../../provider/toml";
import { applyChecked } from "./helpers";

/** Arrays of tables and missing tables. */

const TWO_OUTPUTS = '[[outputs.influxdb]]\n  urls = ["http://a:8086"]\n\n[[outputs.influxdb]]\n  urls = ["http://b:8086"]\n  # insecure_skip_verify = false\n\n[[inputs.cpu]]\n  percpu = true\n';

const refuses = (fn: () => unknown, re: RegExp): void => {
    assert.throws(fn, (e: unknown) => e instanceof TomlEditError && re.test(e.message));
};

describe("arrays of tables", () => {
    it("index 1 edits the second [[outputs.influxdb]] only", () => {
        const r = applyChecked(TWO_OUTPUTS, [{ table: "outputs.influxdb", index: 1, set: { urls: ["https://b:8086"], insecure_skip_verify: true, tls_ca: "/ca.pem" } }]);
        assert.equal(
            r.text,
            '[[outputs.influxdb]]\n  urls = ["http://a:8086"]\n\n[[outputs.influxdb]]\n  urls = ["https://b:8086"]\n  insecure_skip_verify = true\n  tls_ca = "/ca.pem"\n\n[[inputs.cpu]]\n  percpu = true\n',
        );
        assert.deepEqual(r.undo.keys.map((k) => k.index), [1, 1, 1]);
        assert.deepEqual(readTomlValues(r.text, [{ table: "outputs.influxdb", index: 0, key: "urls" }, { table: "outputs.influxdb", index: 1, key: "urls" }]), [
            ["http://a:8086"], ["https://b:8086"],
        ]);
    });

    it("no index means entry 0", () => {
        const r = applyChecked(TWO_OUTPUTS, [{ table: "outputs.influxdb", set: { urls: ["https://a:8086"] } }]);
        assert.match(r.text, /^\[\[outputs\.influxdb\]\]\n {2}urls = \["https:\/\/a:8086"\]\n/);
    });

    it("an index past the last entry is refused, naming the table and the count", () => {
        refuses(() => applyTomlSettings(TWO_OUTPUTS, [{ table: "outputs.influxdb", index: 2, set: { a: 1 } }]),
            /\[\[outputs\.influxdb\]\] entry 2 is out of range: the file has 2 entries/);
        refuses(() => applyTomlSettings("a = 1\n", [{ table: "outputs.influxdb", index: 1, set: { a: 1 } }]),
            /\[\[outputs\.influxdb\]\] entry 1 is out of range: the file has 0 entries/);
    });

    it("with zero entries, index 0 creates the first [[entry]] at the end", () => {
        const r = applyChecked("[agent]\n  interval = \"10s\"\n", [{ table: "outputs.influxdb", index: 0, set: { urls: ["https://a:8086"] } }]);
        assert.equal(r.text, '[agent]\n  interval = "10s"\n\n[[outputs.influxdb]]\n  urls = ["https://a:8086"]\n');
        assert.deepEqual(r.undo.createdTables, [{ table: "outputs.influxdb", index: 0, header: "[[outputs.influxdb]]" }]);
    });

    it("without an index, a commented `# [[outputs.influxdb]]` template says it is an array of tables", () => {
        const text = "[agent]\n  interval = \"10s\"\n\n# [[outputs.influxdb]]\n#   urls = [\"http://127.0.0.1:8086\"]\n";
        const r = applyChecked(text, [{ table: "outputs.influxdb", set: { urls: ["https://a:8086"] } }]);
        assert.equal(r.text, `${text}\n[[outputs.influxdb]]\n  urls = ["https://a:8086"]\n`);
    });

    it("a plain table refuses index > 0", () => {
        refuses(() => applyTomlSettings("[http]\n", [{ table: "http", index: 1, set: { a: 1 } }]), /\[http\] is a table, not an array of tables/);
        refuses(() => applyTomlSettings("[http]\n", [{ table: "", index: 1, set: { a: 1 } }]), /root table/);
    });
});

describe("missing tables", () => {
    it("are appended after one blank line, in the order first named, with all their keys", () => {
        const r = applyChecked("[a]\n  x = 1\n", [
            { table: "b", set: { p: 1 } }, { table: "a", set: { y: 2 } }, { table: "c.d", set: { q: "s" } }, { table: "b", set: { r: true } },
        ]);
        assert.equal(r.text, '[a]\n  x = 1\n  y = 2\n\n[b]\n  p = 1\n  r = true\n\n[c.d]\n  q = "s"\n');
        assert.deepEqual(r.undo.createdTables.map((t) => t.header), ["[b]", "[c.d]"]);
    });

    it("a table defined only through its sub-tables gets its own header", () => {
        const r = applyChecked("[http.foo]\n  a = 1\n", [{ table: "http", set: { b: 2 } }]);
        assert.equal(r.text, "[http.foo]\n  a = 1\n\n[http]\n  b = 2\n");
    });

    it("an edit with no keys creates nothing", () => {
        const r = applyChecked("a = 1\n", [{ table: "t", set: {} }]);
        assert.equal(r.text, "a = 1\n");
        assert.deepEqual(r.undo, { version: 1, keys: [], createdTables: [] });
    });
});
