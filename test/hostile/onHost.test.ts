/**
 * Hostile inputs that are legal (issue 7 §2) and must be handled safely on a real host: the
 * TomlSettings provider writes TOML-breaking values, quoted keys and an odd table name into a
 * file whose own name holds spaces, `;`, `$()`, a quote and non-ASCII, on data1 over SSH;
 * the file must then parse to exactly those values with no injected table, nothing must have
 * run, and delete must restore the file byte for byte.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parse } from "smol-toml";
import { TomlSettingsProvider } from "../../provider/providers/tomlSettings/provider";
import type { TomlSettingsInputs } from "../../provider/providers/tomlSettings/types";
import { onHost, resetHost, type SandboxState } from "../sandbox";
import { connectionTo, sandbox } from "../integration/helpers/hosts";

const provider = new TomlSettingsProvider();
const DIR = "/etc/influxdb";
const FILE = `${DIR}/hostile; $(touch pwned) \`touch pwned\` 'ü' \u202Eemit.toml`;
const BASE = "[http]\n  bind-address = \":8086\"\n\n[meta]\n  dir = \"/var/lib/influxdb/meta\"\n";

const VALUES: Record<string, unknown> = {
    "triple-quotes": '"""\n[evil]\nx = 1\n"""',
    "table-break": "\n[evil]",
    "array-table-break": "]]\n[[evil]]",
    "shell": "$(touch /etc/influxdb/pwned) `touch /etc/influxdb/pwned` ; && | >",
    "quotes": "a\"b'c\\d",
    "bidi-non-ascii": "\u202Eevil\u202C ünï 日本",
    "controls": "a\u0000b\u001b[31m\u0085\r\n",
    "long": "x".repeat(64 * 1024),
    "array": ["\n[evil]", "]]", "$(id)"],
    'key "with" = quotes #': 1,
};

describe("hostile but legal values on a real host (TomlSettings on data1)", { timeout: 120_000 }, () => {
    let state: SandboxState;

    before(async () => {
        state = await sandbox();
        await resetHost("data1");
        await onHost("data1", ["sh", "-c", 'printf %s "$1" > "$2"', "sh", BASE, FILE]);
    });
    after(async () => {
        await onHost("data1", ["rm", "-f", "--", FILE]);
        await resetHost("data1");
    });

    it("written as exactly those values into the oddly named file; nothing ran; delete restores the bytes", async () => {
        const inputs: TomlSettingsInputs = {
            schemaVersion: 1,
            connection: connectionTo(state, "data1"),
            target: "root@data1:22",
            path: FILE,
            settings: { http: VALUES as never, "]]": { k: true } },
            service: { restart: ["true"], verify: ["true"], revertVerify: ["true"], verifyTimeoutSeconds: 5 },
        };
        const { failures } = await provider.check(inputs, inputs);
        assert.deepEqual(failures, [], "legal inputs pass check");
        const outs = (await provider.create(inputs)).outs!;
        assert.equal(outs.written, true);
        const text = (await onHost("data1", ["cat", "--", FILE])).stdout;
        const doc = parse(text) as Record<string, Record<string, unknown>>;
        assert.deepEqual(Object.keys(doc).sort(), ["]]", "http", "meta"], "no table injected");
        for (const [k, v] of Object.entries(VALUES)) {
            assert.deepEqual(doc.http[k], v, `value of ${JSON.stringify(k)} round-trips exactly`);
        }
        assert.equal(doc.http["bind-address"], ":8086");
        assert.deepEqual({ ...doc["]]"] }, { k: true });
        const pwned = await onHost("data1", ["sh", "-c", "ls -d /pwned /root/pwned /etc/influxdb/pwned /tmp/pwned 2>/dev/null"], { allowFailure: true });
        assert.equal(pwned.stdout, "", "no command substitution ran");
        await provider.delete("id", outs);
        const back = (await onHost("data1", ["cat", "--", FILE])).stdout;
        assert.equal(back, BASE, "delete restored the file byte for byte");
        console.log(`hostile values on data1: ${Object.keys(VALUES).length} values + table "]]" in "${FILE}": written exactly, no table injected, nothing executed, reverted byte for byte`);
    });
});
