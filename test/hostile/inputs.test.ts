/**
 * Hostile inputs (issue 7 §2), table-driven: every input is tried on the surface where a user
 * would give it — the TomlSettings provider's check (what the engine calls before anything
 * runs), the components' constructors (under pulumi mocks: nothing can run), and the pure
 * TOML editor for values that are legitimate but try to break out of the file's syntax.
 * Each case asserts what happened: refused with a message naming the argument, or handled
 * safely (the value lands as exactly one value, the file's tables unchanged). A summary table
 * (input × surface → outcome) is printed.
 *
 * What reaches a real host (values written over SSH, every command the package builds run
 * through sh) is in onHost.test.ts.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { parse } from "smol-toml";
import { installMocks } from "../unit/components/mockWorld";

installMocks();
import { DataNodeTls, MetaNodeTls, TelegrafOutputTls, applyTomlSettings } from "../../provider";
import { TomlSettingsProvider } from "../../provider/providers/tomlSettings/provider";
import type { TomlSettingsInputs } from "../../provider/providers/tomlSettings/types";
import { HOST_KEY, CLIENT_KEY } from "../unit/components/fixtures";
import { VALID_INPUTS } from "../unit/inputs/fixtures";

type Expect = { refused: RegExp; property?: string } | { safe: (detail: string) => void };
interface Case {
    surface: string;
    input: string;
    /** Returns the outcome text; throws (or returns failures) when refused. */
    run: () => Promise<string>;
    expect: Expect;
}

const summary: string[][] = [];
const provider = new TomlSettingsProvider();
const base = VALID_INPUTS;

/** TomlSettings check with one field replaced: "property: reason" lines, or "" when accepted. */
function check(over: Record<string, unknown>): () => Promise<string> {
    return async () => {
        const news = { ...base, ...over } as TomlSettingsInputs;
        const { failures } = await provider.check(news, news);
        return (failures ?? []).map((f) => `${f.property}: ${f.reason}`).join("\n");
    };
}
const conn = (over: Record<string, unknown>) => check({ connection: { ...base.connection, ...over } });

/** A component built with one argument replaced: the ResourceError's text, or "" when it was built. */
function component(kind: "data" | "meta" | "telegraf", over: Record<string, unknown>): () => Promise<string> {
    return async () => {
        const connection = { host: "127.0.10.1", privateKey: CLIENT_KEY, hostKey: HOST_KEY, ...((over.connection as object) ?? {}) };
        const args = { connection, certificate: { selfSigned: {} }, ...over, ...(over.connection ? { connection } : {}) };
        try {
            if (kind === "data") new DataNodeTls(`h${summary.length}`, args as never);
            else if (kind === "meta") new MetaNodeTls(`h${summary.length}`, args as never);
            else new TelegrafOutputTls(`h${summary.length}`, { connection, urls: ["https://data1:8086"], ...over } as never);
            return "";
        } catch (e) {
            return (e as Error).message;
        }
    };
}

const BASE_TOML = "[http]\n  bind-address = \":8086\"\n\n[meta]\n  dir = \"/var/lib/influxdb/meta\"\n";

/** Sets `value` as [http] k with the pure editor; returns the re-parsed value and the tables. */
function tomlValue(value: unknown, table = "http", key = "k"): () => Promise<string> {
    return async () => {
        try {
            const { text } = applyTomlSettings(BASE_TOML, [{ table, set: { [key]: value as string } }]);
            const doc = parse(text) as Record<string, Record<string, unknown>>;
            return JSON.stringify({ tables: Object.keys(doc), value: tableAt(doc, table)[key], keys: Object.keys(tableAt(doc, table)) });
        } catch (e) {
            return `refused: ${(e as Error).message}`;
        }
    };
}
function tableAt(doc: Record<string, unknown>, table: string): Record<string, unknown> {
    return table.split(".").reduce((t, seg) => (t as Record<string, unknown>)[seg] as Record<string, unknown>, doc as unknown) as Record<string, unknown>;
}
/** The value came back exactly, and only [http] (plus the edited table) and [meta] exist. */
function exactly(value: unknown, tables = ["http", "meta"], key = "k"): Expect {
    return {
        safe: (detail) => {
            assert.ok(!detail.startsWith("refused"), detail);
            const d = JSON.parse(detail) as { tables: string[]; value: unknown; keys: string[] };
            assert.deepEqual(d.value, value, "the value round-trips exactly");
            assert.deepEqual(d.tables.sort(), [...tables].sort(), "no table was injected");
            assert.ok(d.keys.includes(key));
        },
    };
}

const LONG = "x".repeat(1 << 20);
const cases: Case[] = [
    // Paths (TomlSettings.path)
    { surface: "TomlSettings.path", input: '"/etc/influxdb/../shadow"', run: check({ path: "/etc/influxdb/../shadow" }), expect: { refused: /without empty, "\." or "\.\." segments/, property: "path" } },
    { surface: "TomlSettings.path", input: '"/etc/."', run: check({ path: "/etc/." }), expect: { refused: /without empty, "\." or "\.\." segments/, property: "path" } },
    { surface: "TomlSettings.path", input: '"etc/influxdb.conf" (relative)', run: check({ path: "etc/influxdb.conf" }), expect: { refused: /not an absolute path/, property: "path" } },
    { surface: "TomlSettings.path", input: '"/etc/x\\n/etc/y" (newline)', run: check({ path: "/etc/x\n/etc/y" }), expect: { refused: /control character/, property: "path" } },
    { surface: "TomlSettings.path", input: '"/etc/x\\0" (NUL)', run: check({ path: "/etc/x\0" }), expect: { refused: /control character/, property: "path" } },
    { surface: "TomlSettings.path", input: "missing", run: check({ path: undefined }), expect: { refused: /undefined is not an absolute path/, property: "path" } },
    { surface: "TomlSettings.path", input: '"/etc/x; rm -rf / #.conf"', run: check({ path: "/etc/x; rm -rf / #.conf" }),
        expect: { safe: (d) => assert.equal(d, "", "a legal file name: accepted, always one quoted argument (onHost.test.ts)") } },
    // Hosts, users, ports, pins (connection)
    { surface: "connection.host", input: '"$(touch /tmp/pwn)"', run: conn({ host: "$(touch /tmp/pwn)" }), expect: { refused: /contains whitespace or a control character/, property: "connection.host" } },
    { surface: "connection.host", input: '"-oProxyCommand=sh"', run: conn({ host: "-oProxyCommand=sh" }), expect: { refused: /starts with "-"/, property: "connection.host" } },
    { surface: "connection.host", input: '"data1\\nevil"', run: conn({ host: "data1\nevil" }), expect: { refused: /whitespace or a control character/, property: "connection.host" } },
    { surface: "connection.host", input: '"dаta1" (Cyrillic а)', run: conn({ host: "d\u0430ta1" }), expect: { refused: /not ASCII: .*punycode/, property: "connection.host" } },
    { surface: "connection.host", input: '"data1 && id"', run: conn({ host: "data1 && id" }), expect: { refused: /whitespace/, property: "connection.host" } },
    { surface: "connection.user", input: '"root; id"', run: conn({ user: "root; id" }), expect: { refused: /not a user name/, property: "connection.user" } },
    { surface: "connection.user", input: '"-oProxyCommand"', run: conn({ user: "-oProxyCommand" }), expect: { refused: /not a user name/, property: "connection.user" } },
    { surface: "connection.user", input: '"0" (numeric)', run: conn({ user: "0" }), expect: { refused: /numeric/, property: "connection.user" } },
    { surface: "connection.port", input: "0", run: conn({ port: 0 }), expect: { refused: /between 1 and 65535/, property: "connection.port" } },
    { surface: "connection.port", input: "65536", run: conn({ port: 65536 }), expect: { refused: /between 1 and 65535/, property: "connection.port" } },
    { surface: "connection.port", input: '"22; id" (string)', run: conn({ port: "22; id" }), expect: { refused: /between 1 and 65535/, property: "connection.port" } },
    { surface: "connection.hostKey", input: '"ssh-foo AAAA…" (unknown key type)', run: conn({ hostKey: "ssh-foo AAAAB3NzaC1yc2E=" }), expect: { refused: /unknown host key type "ssh-foo"/, property: "connection.hostKey" } },
    { surface: "connection.hostKey", input: '"SHA256:`id`"', run: conn({ hostKey: "SHA256:`id`" }), expect: { refused: /not a fingerprint/, property: "connection.hostKey" } },
    { surface: "connection.proxy.hostKey", input: "unpinned bastion", run: conn({ proxy: { host: "bastion", password: "p" } }), expect: { refused: /must be pinned/, property: "connection.proxy.hostKey" } },
    // TOML tables, keys, values (TomlSettings.settings)
    { surface: "TomlSettings.settings table", input: '"http]\\n[evil"', run: check({ settings: { "http]\n[evil": { k: 1 } } }), expect: { refused: /control character/, property: "settings.http]\n[evil" } },
    { surface: "TomlSettings.settings table", input: '"a..b"', run: check({ settings: { "a..b": { k: 1 } } }), expect: { refused: /empty segment/, property: "settings.a..b" } },
    { surface: "TomlSettings.settings key", input: '"k\\n[evil]"', run: check({ settings: { http: { "k\n[evil]": 1 } } }), expect: { refused: /control character/, property: "settings.http" } },
    { surface: "TomlSettings.settings value", input: "lone surrogate \\uD800", run: check({ settings: { http: { k: "a\uD800" } } }), expect: { refused: /lone UTF-16 surrogate/, property: "settings.http.k" } },
    { surface: "TomlSettings.settings value", input: "NaN", run: check({ settings: { http: { k: NaN } } }), expect: { refused: /finite/, property: "settings.http.k" } },
    { surface: "TomlSettings.settings value", input: "{ nested object }", run: check({ settings: { http: { k: { evil: 1 } } } }), expect: { refused: /got an object/, property: "settings.http.k" } },
    { surface: "TOML editor value", input: '\'"""\\n[evil]\\nx = 1\'', run: tomlValue('"""\n[evil]\nx = 1'), expect: exactly('"""\n[evil]\nx = 1') },
    { surface: "TOML editor value", input: "'\\n[evil]'", run: tomlValue("\n[evil]"), expect: exactly("\n[evil]") },
    { surface: "TOML editor value", input: "']]\\n[[evil]]'", run: tomlValue("]]\n[[evil]]"), expect: exactly("]]\n[[evil]]") },
    { surface: "TOML editor value", input: "quotes, backslashes: 'a\"b\\\\c\\'d'", run: tomlValue("a\"b\\c'd"), expect: exactly("a\"b\\c'd") },
    { surface: "TOML editor value", input: "'$(id) `id` ; && |'", run: tomlValue("$(id) `id` ; && |"), expect: exactly("$(id) `id` ; && |") },
    { surface: "TOML editor value", input: "bidi '\\u202Eevil\\u202C' + non-ASCII 'ünï'", run: tomlValue("\u202Eevil\u202C ünï"), expect: exactly("\u202Eevil\u202C ünï") },
    { surface: "TOML editor value", input: "NUL and C0/C1 controls", run: tomlValue("a\0b\u001b[31m\u0085"), expect: exactly("a\0b\u001b[31m\u0085") },
    { surface: "TOML editor value", input: "1 MiB string", run: tomlValue(LONG), expect: exactly(LONG) },
    { surface: "TOML editor value", input: "array ['\\n[evil]', ']]']", run: tomlValue(["\n[evil]", "]]"]), expect: exactly(["\n[evil]", "]]"]) },
    { surface: "TOML editor key", input: "'a\"b = 1 #'", run: tomlValue(1, "http", 'a"b = 1 #'), expect: exactly(1, ["http", "meta"], 'a"b = 1 #') },
    { surface: "TOML editor table", input: "']]' (a table named ]])", run: tomlValue(1, "]]"), expect: exactly(1, ["http", "meta", "]]"]) },
    // Service commands (TomlSettings.service)
    { surface: "TomlSettings.service.restart", input: '"systemctl restart influxdb" (a shell string)', run: check({ service: { restart: "systemctl restart influxdb" } }), expect: { refused: /argv array/, property: "service.restart" } },
    { surface: "TomlSettings.service.restart", input: '["-rf"] (program is an option)', run: check({ service: { restart: ["-rf"] } }), expect: { refused: /must be a command name or path/, property: "service.restart" } },
    { surface: "TomlSettings.service.verify", input: '["influx", "a\\0b"]', run: check({ service: { restart: ["true"], verify: ["influx", "a\0b"] } }), expect: { refused: /NUL/, property: "service.verify" } },
    { surface: "TomlSettings.service.verify", input: '["sh", "-c", "$(id)"] (the user\'s own command)', run: check({ service: { restart: ["true"], verify: ["sh", "-c", "$(id)"] } }),
        expect: { safe: (d) => assert.equal(d, "", "accepted: argv runs exactly as given, each element one quoted word") } },
    { surface: "TomlSettings.service.verifyTimeoutSeconds", input: "1e9", run: check({ service: { restart: ["true"], verifyTimeoutSeconds: 1e9 } }), expect: { refused: /between 0 and 3600/, property: "service.verifyTimeoutSeconds" } },
    // Component arguments (built under mocks: a refused component registers nothing)
    { surface: "DataNodeTls.hostname", input: '"-execute" (would be an influx option)', run: component("data", { hostname: "-execute" }), expect: { refused: /hostname: .*starts with "-"/ } },
    { surface: "DataNodeTls.hostname", input: '"data1 $(id)"', run: component("data", { hostname: "data1 $(id)" }), expect: { refused: /hostname: .*whitespace/ } },
    { surface: "DataNodeTls.serviceName", input: '"influxdb; reboot"', run: component("data", { serviceName: "influxdb; reboot" }), expect: { refused: /serviceName: .*not a service/ } },
    { surface: "MetaNodeTls.serviceName", input: '"-H evil"', run: component("meta", { serviceName: "-H evil" }), expect: { refused: /serviceName: .*not a service/ } },
    { surface: "DataNodeTls.configPath", input: '"/etc/influxdb/../passwd"', run: component("data", { configPath: "/etc/influxdb/../passwd" }), expect: { refused: /configPath: .*"\.\." segments/ } },
    { surface: "DataNodeTls.certificatePath", input: '"influxdb.crt" (relative)', run: component("data", { certificatePath: "influxdb.crt" }), expect: { refused: /certificate file: "influxdb\.crt" is not an absolute path/ } },
    { surface: "DataNodeTls.privateKeyPath", input: '"/etc/ssl/../x.key"', run: component("data", { privateKeyPath: "/etc/ssl/../x.key" }), expect: { refused: /private key file: "\/etc\/ssl\/\.\.\/x\.key" must name a file without empty, "\." or "\.\." segments/ } },
    { surface: "TelegrafOutputTls.caPath", input: '"/etc/telegraf/ca.pem\\n"', run: component("telegraf", { caPath: "/etc/telegraf/ca.pem\n" }), expect: { refused: /CA file: .*contains a control character/ } },
    { surface: "DataNodeTls.privateKeyMode", input: '"0777"', run: component("data", { privateKeyMode: "0777" }), expect: { refused: /privateKeyMode: "0777" would let others read the private key/ } },
    { surface: "DataNodeTls.privateKeyMode", input: '"0644"', run: component("data", { privateKeyMode: "0644" }), expect: { refused: /privateKeyMode: "0644" would let others read/ } },
    { surface: "DataNodeTls.privateKeyMode", input: '"abc"', run: component("data", { privateKeyMode: "abc" }), expect: { refused: /mode "abc" is not an octal mode/ } },
    { surface: "DataNodeTls.certificateMode", input: '"0644; id"', run: component("data", { certificateMode: "0644; id" }), expect: { refused: /mode "0644; id" is not an octal mode/ } },
    { surface: "DataNodeTls.privateKeyOwner", input: '"influxdb; id"', run: component("data", { privateKeyOwner: "influxdb; id" }), expect: { refused: /owner "influxdb; id" is not a user\/group name or numeric id/ } },
    { surface: "DataNodeTls.privateKeyGroup", input: '"-R"', run: component("data", { privateKeyGroup: "-R" }), expect: { refused: /group "-R" is not a user\/group name or numeric id/ } },
    { surface: "DataNodeTls.restartCommand", input: '"systemctl restart influxdb" (string)', run: component("data", { restartCommand: "systemctl restart influxdb" }), expect: { refused: /restartCommand: must be a non-empty argv array/ } },
    { surface: "DataNodeTls.verifyTimeoutSeconds", input: "0", run: component("data", { verifyTimeoutSeconds: 0 }), expect: { refused: /verifyTimeoutSeconds: must be a number/ } },
    { surface: "DataNodeTls.connection.port", input: "65536", run: component("data", { connection: { port: 65536 } }), expect: { refused: /connection\.port: must be an integer between 1 and 65535/ } },
    { surface: "DataNodeTls.connection.host", input: '"data1`id`"', run: component("data", { connection: { host: "data1`id`" } }), expect: { refused: /connection\.host: .*not a host name/ } },
    { surface: "DataNodeTls.certificate.selfSigned.algorithm", input: '"DSA" (unknown key type)', run: component("data", { certificate: { selfSigned: { algorithm: "DSA" } } }), expect: { refused: /algorithm "DSA" is not "RSA" or "ECDSA"/ } },
    { surface: "DataNodeTls.certificate.selfSigned.ecdsaCurve", input: '"P224"', run: component("data", { certificate: { selfSigned: { algorithm: "ECDSA", ecdsaCurve: "P224" } } }), expect: { refused: /ecdsaCurve must be "P256" or "P384"/ } },
    { surface: "DataNodeTls.certificate.selfSigned.rsaBits", input: "1024", run: component("data", { certificate: { selfSigned: { rsaBits: 1024 } } }), expect: { refused: /rsaBits must be 2048, 3072 or 4096/ } },
];

describe("hostile inputs: refused before anything runs, or handled safely", () => {
    after(() => {
        const w = [46, 46];
        console.log(`\nhostile inputs: ${cases.length} cases\n${"surface".padEnd(w[0])} ${"input".padEnd(w[1])} outcome`);
        for (const [surface, input, outcome] of summary) {
            console.log(`${surface.slice(0, w[0]).padEnd(w[0])} ${input.padEnd(w[1])} ${outcome}`);
        }
    });
    for (const c of cases) {
        it(`${c.surface} ← ${c.input}`, async () => {
            const detail = await c.run();
            const e = c.expect;
            if ("refused" in e) {
                assert.notEqual(detail, "", "refused");
                assert.match(detail, e.refused);
                if (e.property) {
                    assert.ok(detail.startsWith(`${e.property}: `) || detail.includes(`\n${e.property}: `), `the failure names ${JSON.stringify(e.property)}:\n${detail}`);
                }
                summary.push([c.surface, c.input.slice(0, 46), `refused: ${JSON.stringify(detail).slice(1, -1).slice(0, 100)}`]);
            } else {
                e.safe(detail);
                summary.push([c.surface, c.input.slice(0, 46), "handled safely: " + (detail === "" ? "accepted as one literal value" : "written escaped, re-parsed exactly, no table injected")]);
            }
        });
    }
});
