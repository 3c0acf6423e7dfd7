import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { SshCommandError } from "../../provider/ssh/errors";
import { applyTomlSettings, revertTomlSettings } from "../../provider/toml";
import { TomlEditError } from "../../provider/toml/errors";

/**
 * The dynamic providers' code is serialized into state by Pulumi's closure serializer, which
 * turns module-level Set/Map values into empty objects (a bug the harness caught in undo.ts).
 * Keep such values out of module scope in provider code.
 */
describe("provider code is serializable", () => {
    it("has no module-level Set, Map or WeakMap", () => {
        const root = path.join(__dirname, "../../../provider");
        const offenders: string[] = [];
        const walk = (dir: string) => {
            for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
                const p = path.join(dir, e.name);
                if (e.isDirectory()) walk(p);
                else if (e.name.endsWith(".ts")) {
                    fs.readFileSync(p, "utf8").split("\n").forEach((line, i) => {
                        if (/^(export )?(const|let|var) .*new (Set|Map|WeakMap|WeakSet)\b/.test(line)) offenders.push(`${p}:${i + 1}`);
                    });
                }
            }
        };
        walk(root);
        assert.deepEqual(offenders, []);
    });

    it("keeps error messages when the error classes are inlined by the serializer (as when run from the repo)", async () => {
        const serialized = await pulumi.runtime.serializeFunction(() => () => {
            const messages: string[] = [];
            for (const make of [() => new SshCommandError("root@h:22", "cmd", 3, "boom"), () => new TomlEditError("bad toml", { line: 1, column: 2 })]) {
                try {
                    throw make();
                } catch (e) {
                    messages.push((e as Error).message);
                }
            }
            return messages;
        });
        const mod = { exports: {} as Record<string, any> };
        new Function("exports", "module", "require", serialized.text)(mod.exports, mod, require);
        const messages = mod.exports[serialized.exportName]()();
        assert.deepEqual(messages, ["command on root@h:22 exited with code 3: cmd\nstderr: boom", "bad toml"]);
    });

    it("refers to the ESM-only TOML parser by require(), which loads it (Node >= 20.19)", async () => {
        const serialized = await pulumi.runtime.serializeFunction(() => (text: string) => {
            const r = applyTomlSettings(text, [{ table: "http", set: { "https-enabled": true } }]);
            return [r.text, revertTomlSettings(r.text, r.undo)];
        });
        assert.match(serialized.text, /require\("toml-eslint-parser"\)/);
        const mod = { exports: {} as Record<string, any> };
        new Function("exports", "module", "require", serialized.text)(mod.exports, mod, require);
        const text = "\uFEFF[http]\r\n  # https-enabled = false\r\n  n = 0";
        assert.deepEqual(mod.exports[serialized.exportName]()(text), ["\uFEFF[http]\r\n  https-enabled = true\r\n  n = 0", text]);
    });
});
