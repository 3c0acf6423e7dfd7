import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { editsToSettings, mapKeyIn, parseSettingsKey, settingsToEdits } from "../../../provider/providers/tomlSettings/settings";
import type { TomlEdit } from "../../../provider/toml/types";

describe("settings map", () => {
    it("round-trips edits, including the root table and array-of-tables entries", () => {
        const edits: TomlEdit[] = [
            { table: "", set: { "reporting-disabled": true } },
            { table: "http", set: { "https-enabled": true } },
            { table: "outputs.influxdb", index: 1, set: { urls: ["https://a:8086"] } },
            { table: "outputs.file", index: 0, set: { files: ["stdout"] } },
        ];
        const map = editsToSettings(edits);
        assert.deepEqual(Object.keys(map), ["(root)", "http", "outputs.influxdb#1", "outputs.file#0"]);
        assert.deepEqual(settingsToEdits(map), edits);
        assert.deepEqual(parseSettingsKey("outputs.influxdb#12"), { table: "outputs.influxdb", index: 12 });
        assert.deepEqual(parseSettingsKey("http"), { table: "http", index: undefined });
    });

    it("a refresh reports values under the program's own table names", () => {
        assert.equal(mapKeyIn({ "outputs.influxdb#0": {}, http: {} }, "outputs.influxdb", 0), "outputs.influxdb#0");
        assert.equal(mapKeyIn({ "outputs.influxdb#0": {} }, "http", 0), "http");
        assert.equal(mapKeyIn({}, "outputs.influxdb", 2), "outputs.influxdb#2");
    });

    it("refuses a key set twice and reserved table names", () => {
        assert.throws(() => editsToSettings([{ table: "http", set: { a: 1 } }, { table: "http", set: { a: 2 } }]), /"a" of table "http" is set twice/);
        assert.throws(() => editsToSettings([{ table: "x#1", set: { a: 1 } }]), /reserved/);
        assert.throws(() => parseSettingsKey("x#y"), /malformed/);
    });
});
