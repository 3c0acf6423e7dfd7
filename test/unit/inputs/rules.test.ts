// Item 13 of issue 7 and issue 9 point 5: every input check reports (never throws) with the
// argument named, and TOML values, keys and table names follow one rule set (toml/values.ts)
// wherever they are checked: the pure editor, the TomlSettings check, the settings map.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { pathProblem as hostPathProblem } from "../../../provider/files/validate";
import { hostnameProblem, serviceNameProblem, userNameProblem } from "../../../provider/inputs/names";
import { checkInputs, valueProblem } from "../../../provider/providers/tomlSettings/check";
import { editsToSettings } from "../../../provider/providers/tomlSettings/settings";
import { applyTomlSettings } from "../../../provider/toml";
import { checkValue } from "../../../provider/toml/format";
import { tomlTableProblem } from "../../../provider/toml/values";
import { VALID_INPUTS } from "./fixtures";

const good = VALID_INPUTS;
const failuresOf = (over: Record<string, unknown>) => checkInputs({ ...good, ...over });

describe("host paths", () => {
    it("refuses what the issue found accepted, with a reason", () => {
        for (const p of ["/etc/.", "/etc/..", "/etc/../shadow", "/etc/./x", "/etc//x", "/etc/x/", "/", "etc/x", "../x", "",
            "/etc/x\ny", "/etc/x\0", "/etc/\u0085x", "/etc/\u001bx"]) {
            assert.ok(hostPathProblem(p), JSON.stringify(p));
            const f = failuresOf({ path: p });
            assert.equal(f.length, 1, JSON.stringify(p));
            assert.equal(f[0].property, "path");
        }
    });
    it("accepts ordinary absolute paths, spaces and non-ASCII included (they are quoted, never parsed)", () => {
        for (const p of ["/etc/influxdb/influxdb.conf", "/etc/ssl/private/my key.pem", "/etc/ünï/x.conf", "/etc/.hidden", "/etc/..x"]) {
            assert.equal(hostPathProblem(p), undefined, p);
        }
    });
    it("a missing or non-string path is reported, not thrown", () => {
        for (const p of [undefined, null, 5, {}, ["/etc/x"]]) {
            const f = failuresOf({ path: p });
            assert.deepEqual(f.map((x) => x.property), ["path"], String(p));
        }
    });
});

describe("TOML tables, keys and values", () => {
    it("table a..b and friends are reported by check and refused by the editor alike", () => {
        for (const t of ["a..b", ".a", "a.", "a. .b", "a\nb", "a\u0000b", "a\uD800"]) {
            assert.ok(tomlTableProblem(t), t);
            const f = failuresOf({ settings: { [t]: { k: 1 } } });
            assert.equal(f.length, 1, t);
            assert.equal(f[0].property, `settings.${t}`);
            assert.throws(() => applyTomlSettings("", [{ table: t, set: { k: 1 } }]), /invalid table name/, t);
            assert.throws(() => editsToSettings([{ table: t, set: { k: 1 } }]), /table name/, t);
        }
    });
    it("key names with control characters or lone surrogates, and empty keys", () => {
        for (const k of ["", " ", "a\nb", "a\u0000", "x\uDC00"]) {
            const f = failuresOf({ settings: { http: { [k]: 1 } } });
            assert.ok(f.some((x) => x.property === "settings.http"), JSON.stringify(k));
            assert.throws(() => applyTomlSettings("[http]\n", [{ table: "http", set: { [k]: 1 } }]), /invalid key/);
        }
    });
    it("lone surrogates in values: refused by check too (they used to pass check and fail at apply)", () => {
        const f = failuresOf({ settings: { http: { "https-certificate": "/etc/ssl/\uD800.crt", urls: ["ok", "\uDFFF"] } } });
        assert.deepEqual(f.map((x) => x.property).sort(), ["settings.http.https-certificate", "settings.http.urls"]);
        assert.match(f.find((x) => x.property === "settings.http.urls")!.reason, /array item \[1\]: .*lone UTF-16 surrogate/);
    });
    it("property: check's valueProblem and the editor's checkValue agree on every value", () => {
        const value = fc.letrec((tie) => ({
            v: fc.oneof(
                { depthSize: "small" },
                fc.string({ unit: "binary" }), fc.string({ unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((c) => String.fromCharCode(c)) }),
                fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.object(),
                fc.array(tie("v"), { maxLength: 3 }),
            ),
        })).v;
        fc.assert(fc.property(value, (v) => {
            let editorOk = true;
            try {
                checkValue(v, "x");
            } catch {
                editorOk = false;
            }
            return editorOk === (valueProblem(v) === undefined);
        }), { numRuns: 200 });
    });
});

describe("connection and names", () => {
    it("host key type ssh-foo, malformed pins and every bad connection field are reported per property", () => {
        const f = failuresOf({ connection: { host: "-oProxyCommand=x", port: 0, user: "0", privateKey: "K", hostKey: "ssh-foo AAAAB3NzaC1yc2E=",
            connectTimeoutSeconds: Infinity, dialErrorLimit: 0 } });
        assert.deepEqual(f.map((x) => x.property).sort(), ["connection.connectTimeoutSeconds", "connection.dialErrorLimit", "connection.host",
            "connection.hostKey", "connection.port", "connection.user"]);
        assert.match(f.find((x) => x.property === "connection.hostKey")!.reason, /unknown host key type "ssh-foo"/);
        assert.match(f.find((x) => x.property === "connection.user")!.reason, /numeric: give the user's name/);
        assert.match(f.find((x) => x.property === "connection.host")!.reason, /starts with "-"/);
        const typed = failuresOf({ connection: { ...good.connection, hostKey: "ssh-foo SHA256:" + "A".repeat(43) } });
        assert.match(typed[0].reason, /unknown host key type "ssh-foo"/);
        assert.deepEqual(failuresOf({ connection: { ...good.connection, hostKey: "ecdsa-sha2-nistp256 SHA256:" + "A".repeat(43) } }), []);
    });
    it("an unpinned bastion is reported by check, naming connection.proxy.hostKey", () => {
        const f = failuresOf({ connection: { ...good.connection, proxy: { host: "bastion", password: "p" } } });
        assert.deepEqual(f.map((x) => x.property), ["connection.proxy.hostKey"]);
    });
    it("host names, user names, service names", () => {
        for (const h of ["data1", "data1.example.com", "127.0.10.1", "::1", "fe80::1%eth0", "xn--bcher-kva.example"]) assert.equal(hostnameProblem(h), undefined, h);
        for (const h of ["", " ", "-x", "a b", "a;b", "$(id)", "a`b`", "bücher.example", "a\nb", "a".repeat(300)]) assert.ok(hostnameProblem(h), h);
        for (const u of ["root", "pitls", "influxdb", "_svc", "a.b-c", "jane@corp.example"]) assert.equal(userNameProblem(u), undefined, u);
        for (const u of ["0", "1000", "-root", "a b", "r;m", "x".repeat(70)]) assert.ok(userNameProblem(u), u);
        for (const s of ["influxdb", "influxdb-meta", "telegraf@1.service"]) assert.equal(serviceNameProblem(s), undefined, s);
        for (const s of ["", "-H evil", "a b", "x;y", "$(id)"]) assert.ok(serviceNameProblem(s), s);
    });
    it("argv programs that would be options or empty are refused", () => {
        for (const restart of [["-rf"], [""], ["systemctl\0"]]) {
            assert.equal(failuresOf({ service: { restart } })[0].property, "service.restart", JSON.stringify(restart));
        }
    });
});
