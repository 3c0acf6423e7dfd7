import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TomlEditError, applyTomlSettings, readTomlValues, type TomlValue } from "../../../provider/toml";

/** How values are written, and which ones are refused. */

const written = (v: TomlValue): string => {
    const line = applyTomlSettings("[t]\n", [{ table: "t", set: { k: v } }]).text.split("\n")[1];
    return line.slice("k = ".length);
};

describe("value formatting", () => {
    it("strings are basic strings with quotes, backslashes and control characters escaped", () => {
        assert.equal(written('a"b\\c'), '"a\\"b\\\\c"');
        assert.equal(written("tab\tnl\ncr\rbs\bff\f"), '"tab\\tnl\\ncr\\rbs\\bff\\f"');
        assert.equal(written("\u0000\u001f\u007f"), '"\\u0000\\u001F\\u007F"');
        assert.equal(written("ü€😀 \u2028"), '"ü€😀 \u2028"');
        assert.equal(written(""), '""');
    });

    it("integers stay integers, other numbers are floats", () => {
        assert.equal(written(8086), "8086");
        assert.equal(written(-3), "-3");
        assert.equal(written(-0), "0");
        assert.equal(written(0.5), "0.5");
        assert.equal(written(1e-7), "1e-7");
        assert.equal(written(2 ** 60), "1152921504606847000.0"); // shortest text that reads back as 2^60
        assert.equal(written(1e21), "1e+21");
    });

    it("booleans and (nested, mixed, empty) arrays", () => {
        assert.equal(written(true), "true");
        assert.equal(written(false), "false");
        assert.equal(written(["a", "b"]), '["a", "b"]');
        assert.equal(written([[1, 2], ["x"], [], true, 1.5]), '[[1, 2], ["x"], [], true, 1.5]');
    });

    it("what is written reads back as the same value", () => {
        const values: TomlValue[] = ['q"\\\n\u0001ü😀', 0, -42, 3.25, 2 ** 53 - 1, 1e300, true, ["a", ["b", 1]], []];
        const set: Record<string, TomlValue> = {};
        values.forEach((v, i) => (set[`k${i}`] = v));
        const text = applyTomlSettings("", [{ table: "t", set }]).text;
        assert.deepEqual(readTomlValues(text, values.map((_, i) => ({ table: "t", key: `k${i}` }))), values);
    });
});

describe("invalid values are refused, naming table and key", () => {
    const cases: [string, unknown, RegExp][] = [
        ["null", null, /got null/],
        ["undefined", undefined, /got undefined/],
        ["an object", { a: 1 }, /got an object/],
        ["NaN", NaN, /NaN cannot be written/],
        ["Infinity", Infinity, /Infinity cannot be written/],
        ["-Infinity", -Infinity, /-Infinity cannot be written/],
        ["null inside an array", ["a", null], /\[http\] "https-enabled"\[1\]: expected/],
        ["a lone surrogate", "a\uD800b", /lone UTF-16 surrogate/],
        ["a bigint", 10n, /got bigint/],
    ];
    for (const [name, value, re] of cases) {
        it(name, () => {
            const edits = [{ table: "http", set: { "https-enabled": value as TomlValue } }];
            assert.throws(() => applyTomlSettings("[http]\n", edits), (e: unknown) => {
                return e instanceof TomlEditError && /invalid value for \[http\] "https-enabled"/.test(e.message) && re.test(e.message);
            });
        });
    }
    it("names array entries and the root table too", () => {
        assert.throws(() => applyTomlSettings("", [{ table: "outputs.influxdb", index: 1, set: { urls: null as unknown as TomlValue } }]),
            /invalid value for \[\[outputs\.influxdb\]\] entry 1 "urls"/);
        assert.throws(() => applyTomlSettings("", [{ table: "", set: { x: {} as TomlValue } }]), /invalid value for the root table "x"/);
    });
});
