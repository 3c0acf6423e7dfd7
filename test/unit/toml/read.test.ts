import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TomlEditError, readTomlValues } from "../../../provider/toml";
import { fixture } from "./helpers";

describe("readTomlValues", () => {
    const text = 'top = 1\n[http]\n  https-enabled = true\n  n = 5.0\n  big = 9007199254740993\n  when = 1979-05-27T07:32:00Z\n  arr = [1, ["a"]]\n[http.sub]\n  x = 1\n[[o]]\n  k = "first"\n[[o]]\n  k = "second"\n';

    it("returns current values, undefined when not set", () => {
        assert.deepEqual(
            readTomlValues(text, [
                { table: "", key: "top" },
                { table: "http", key: "https-enabled" },
                { table: "http", key: "n" },
                { table: "http", key: "arr" },
                { table: "http", key: "missing" },
                { table: "nope", key: "x" },
                { table: "o", key: "k" },
                { table: "o", index: 1, key: "k" },
                { table: "o", index: 2, key: "k" },
                { table: "http", index: 1, key: "n" },
                { table: "http.sub", key: "x" },
            ]),
            [1, true, 5, [1, ["a"]], undefined, undefined, "first", "second", undefined, undefined, 1],
        );
    });

    it("integers beyond 2^53 come back as the nearest number, date-times as text", () => {
        assert.deepEqual(readTomlValues(text, [{ table: "http", key: "big" }, { table: "http", key: "when" }]), [9007199254740992, "1979-05-27T07:32:00.000Z"]);
    });

    it("a key holding a table is refused", () => {
        assert.throws(() => readTomlValues(text, [{ table: "http", key: "sub" }]), (e: unknown) => e instanceof TomlEditError && /is a table/.test(e.message));
    });

    it("reads the real files", () => {
        assert.deepEqual(readTomlValues(fixture("telegraf-1.4.5.conf"), [{ table: "outputs.influxdb", key: "urls" }, { table: "outputs.influxdb", key: "tls_ca" }]), [
            ["http://localhost:8086"], undefined,
        ]);
        assert.deepEqual(readTomlValues(fixture("enterprise-1.6.2-influxdb.conf"), [{ table: "http", key: "auth-enabled" }, { table: "http", key: "https-enabled" }]), [
            true, undefined,
        ]);
    });
});
