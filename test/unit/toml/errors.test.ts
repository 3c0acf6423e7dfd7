import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TomlEditError, applyTomlSettings, readTomlValues, revertTomlSettings, type TomlEdit, type TomlUndo } from "../../../provider/toml";

/** Refusals: malformed input, duplicates, impossible edits, corrupt undo records. */

function caught(fn: () => unknown): TomlEditError {
    try {
        fn();
    } catch (e) {
        assert.ok(e instanceof TomlEditError, `expected a TomlEditError, got ${String(e)}`);
        return e;
    }
    assert.fail("expected an error");
}

const SECRET = 'shared-secret = "hunter2-very-secret"';

describe("malformed input", () => {
    it("is refused with line and column, and only the offending line's key is named", () => {
        const text = `[http]\n  ${SECRET}\n  enabled = \n  other = "x"\n`;
        const e = caught(() => applyTomlSettings(text, [{ table: "http", set: { "https-enabled": true } }]));
        assert.equal(e.line, 3);
        assert.equal(typeof e.column, "number");
        assert.match(e.message, /^invalid TOML at line 3, column \d+: /);
        assert.match(e.message, /\(key "enabled"\)$/);
        assert.doesNotMatch(e.message, /hunter2/);
        assert.doesNotMatch(e.message, /other/);
        assert.doesNotMatch(e.message, /\n/);
    });

    it("duplicate keys are refused", () => {
        const e = caught(() => applyTomlSettings("[http]\n  a = 1\n  a = 2\n", [{ table: "http", set: { b: 1 } }]));
        assert.equal(e.line, 3);
        assert.match(e.message, /invalid TOML at line 3, column 3: .*redefine/);
    });

    it("duplicate tables are refused", () => {
        const e = caught(() => applyTomlSettings("[http]\na = 1\n[http]\nb = 2\n", [{ table: "http", set: { c: 1 } }]));
        assert.equal(e.line, 3);
    });

    it("revert and read refuse malformed text the same way", () => {
        const undo: TomlUndo = { version: 1, keys: [], createdTables: [] };
        assert.equal(caught(() => revertTomlSettings("a = \n", undo)).line, 1);
        assert.equal(caught(() => readTomlValues("x = [1,\n", [{ table: "", key: "x" }])).line, 2);
    });

    it("a malformed line holding a secret names its key and position, never the value", () => {
        // An unterminated string: the whole rest of the line is the (secret) value.
        for (const line of ['shared-secret = "hunter2-very-secret', "shared-secret = 'hunter2-very-secret", 'shared-secret = hunter2-very-secret',
            'shared-secret = "hunter2-very-secret" trailing', '"shared-secret" = """hunter2-very-secret']) {
            const e = caught(() => applyTomlSettings(`[http]\n  enabled = true\n  ${line}\n`, []));
            assert.equal(e.line, 3, line);
            assert.match(e.message, /at line 3, column \d+: /, line);
            assert.match(e.message, /\(key "\\?"?shared-secret\\?"?"\)$/, `${line}: ${e.message}`);
            assert.doesNotMatch(e.message, /hunter2/, line);
        }
        // A line that is not `key = …` (inside a broken array or string) is not quoted at all.
        const e = caught(() => applyTomlSettings('[http]\n  keys = [\n  "hunter2-very-secret" "x"\n]\n', []));
        assert.doesNotMatch(e.message, /hunter2/, e.message);
    });

    it("a long offending line is cut short in the message", () => {
        const e = caught(() => applyTomlSettings(`k = "${"x".repeat(500)}\n`, []));
        assert.ok(e.message.length < 250, e.message);
    });
});

describe("edits that cannot be applied", () => {
    const edit = (table: unknown, set: unknown, index?: unknown): TomlEdit => ({ table, set, index } as unknown as TomlEdit);

    it("the same table/index/key twice", () => {
        const e = caught(() => applyTomlSettings("", [{ table: "http", set: { a: 1 } }, { table: "http", index: 0, set: { a: 2 } }]));
        assert.match(e.message, /\[\[http\]\] entry 0 "a" is set more than once|\[http\] "a" is set more than once/);
        applyTomlSettings("[[o]]\n[[o]]\n", [{ table: "o", index: 0, set: { a: 1 } }, { table: "o", index: 1, set: { a: 2 } }]);
    });

    it("malformed table names, indexes and sets", () => {
        assert.match(caught(() => applyTomlSettings("", [edit("a..b", { k: 1 })])).message, /empty segment/);
        assert.match(caught(() => applyTomlSettings("", [edit(5, { k: 1 })])).message, /invalid table name/);
        assert.match(caught(() => applyTomlSettings("", [edit("a", { k: 1 }, -1)])).message, /invalid index/);
        assert.match(caught(() => applyTomlSettings("", [edit("a", { k: 1 }, 1.5)])).message, /invalid index/);
        assert.match(caught(() => applyTomlSettings("", [edit("a", null)])).message, /set must be an object/);
    });

    it("a key that is a sub-table, a dotted-key table or an array of tables", () => {
        assert.match(caught(() => applyTomlSettings("[http]\n[http.foo]\nx = 1\n", [{ table: "http", set: { foo: 1 } }])).message,
            /cannot set \[http\] "foo": it is already defined as a table/);
        assert.match(caught(() => applyTomlSettings("[t]\na.b = 1\n", [{ table: "t", set: { a: 1 } }])).message, /cannot set \[t\] "a"/);
        assert.match(caught(() => applyTomlSettings("[[t.x]]\n", [{ table: "t", set: { x: 1 } }])).message, /cannot set \[t\] "x"/);
    });

    it("a table name that is already a value", () => {
        const e = caught(() => applyTomlSettings("http = 1\n", [{ table: "http", set: { a: 1 } }]));
        assert.match(e.message, /the edits cannot be applied|already used for a value/);
    });
});

describe("corrupt undo records", () => {
    const cases: [string, unknown, RegExp][] = [
        ["not an object", null, /expected an object/],
        ["another version", { version: 2, keys: [], createdTables: [] }, /unsupported version 2/],
        ["keys not an array", { version: 1, keys: {}, createdTables: [] }, /must be arrays/],
        ["a malformed key", { version: 1, keys: [{ table: "a" }], createdTables: [] }, /keys\[0\] is malformed/],
        ["prior without line", { version: 1, keys: [{ table: "a", index: 0, key: "k", prior: "active", written: "k = 1" }], createdTables: [] }, /no line/],
        ["a malformed table", { version: 1, keys: [], createdTables: [{ table: "a", index: -1, header: "[a]" }] }, /createdTables\[0\]/],
    ];
    for (const [name, undo, re] of cases) {
        it(name, () => {
            assert.match(caught(() => revertTomlSettings("[a]\nk = 2\n", undo as TomlUndo)).message, re);
        });
    }

    it("a saved line that does not set its key", () => {
        const undo: TomlUndo = { version: 1, keys: [{ table: "a", index: 0, key: "k", prior: "active", line: "other = 1", written: "k = 2" }], createdTables: [] };
        assert.match(caught(() => revertTomlSettings("[a]\nk = 2\n", undo)).message, /saved line of \[a\] "k" does not set that key/);
    });
});
