import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkInputs } from "../../../provider/providers/tomlSettings/check";
import { UNKNOWN } from "../../../provider/providers/tomlSettings/unknown";

const good = {
    schemaVersion: 1,
    connection: { host: "127.0.10.1", user: "root", privateKey: "KEY", hostKey: "SHA256:" + "A".repeat(43) },
    target: "root@127.0.10.1:22",
    path: "/etc/influxdb/influxdb.conf",
    settings: { http: { "https-enabled": true } },
    service: {
        restart: ["systemctl", "restart", "influxdb"],
        healthGate: {
            command: ["influxd-ctl", "-bind-tls", "-bind", "meta1.example:8091", "show"], expectNodes: ["meta1.example:8091", "[::1]:8086", "10.0.0.5:8086"],
            when: "protocolUnchanged", protocolKeys: [{ table: "http", key: "https-enabled" }, { table: "meta", key: "meta-tls-enabled", index: 0 }], timeoutSeconds: 600,
        },
    },
    preflight: { certificatePath: "/etc/ssl/influxdb.crt", privateKeyPath: "/etc/ssl/influxdb.key", hostnames: ["data1.example", "10.0.0.5"], minValidityDays: 7, serviceUser: "influxdb" },
};

const props = (inputs: Record<string, unknown>) => checkInputs(inputs).map((f) => f.property).sort();

describe("checkInputs: preflight and service.healthGate", () => {
    it("accepts good ones, and unknown preview values anywhere inside them", () => {
        assert.deepEqual(checkInputs(good), []);
        assert.deepEqual(checkInputs({ ...good, preflight: UNKNOWN }), []);
        assert.deepEqual(checkInputs({ ...good, preflight: { ...good.preflight, hostnames: [UNKNOWN], certificatePath: UNKNOWN, minValidityDays: UNKNOWN } }), []);
        assert.deepEqual(checkInputs({ ...good, service: { ...good.service, healthGate: { ...good.service.healthGate, expectNodes: UNKNOWN, command: [UNKNOWN, "show"] } } }), []);
        assert.deepEqual(checkInputs({ ...good, service: { ...good.service, healthGate: { command: ["influxd-ctl", "show"], expectNodes: ["m:8091"], when: "always" } } }), []);
    });

    it("refuses bad preflight arguments, each naming its property", () => {
        const failures = checkInputs({ ...good, preflight: {
            certificatePath: "etc/ssl/x.crt", privateKeyPath: "/etc/ssl/../x.key", hostnames: ["ok.example", "-oProxyCommand", "a b"], minValidityDays: -1, serviceUser: "-u",
        } });
        assert.deepEqual(failures.map((f) => f.property).sort(), [
            "preflight.certificatePath", "preflight.hostnames[1]", "preflight.hostnames[2]", "preflight.minValidityDays", "preflight.privateKeyPath", "preflight.serviceUser",
        ]);
        assert.deepEqual(props({ ...good, preflight: { ...good.preflight, hostnames: [] } }), ["preflight.hostnames"]);
        assert.deepEqual(props({ ...good, preflight: { ...good.preflight, minValidityDays: "7" } }), ["preflight.minValidityDays"]);
        assert.deepEqual(props({ ...good, preflight: { ...good.preflight, minValidityDays: 99999 } }), ["preflight.minValidityDays"]);
        assert.deepEqual(props({ ...good, preflight: "yes" }), ["preflight"]);
    });

    it("refuses bad gate arguments, each naming its property", () => {
        const gate = good.service.healthGate;
        const failures = checkInputs({ ...good, service: { ...good.service, healthGate: {
            command: "influxd-ctl show", expectNodes: ["meta1", "m:0", "::1:8086", "ok:8091"], when: "sometimes", protocolKeys: [{ table: "a..b", key: "k" }, { table: "http", key: "x", index: -1 }, "http.https-enabled"], timeoutSeconds: 0,
        } } });
        assert.deepEqual(failures.map((f) => f.property).sort(), [
            "service.healthGate.command", "service.healthGate.expectNodes[0]", "service.healthGate.expectNodes[1]", "service.healthGate.expectNodes[2]",
            "service.healthGate.protocolKeys[0]", "service.healthGate.protocolKeys[1].index", "service.healthGate.protocolKeys[2]",
            "service.healthGate.timeoutSeconds", "service.healthGate.when",
        ]);
        assert.match(failures.find((f) => f.property === "service.healthGate.expectNodes[2]")!.reason, /IPv6 address goes in brackets/);
        assert.match(failures.find((f) => f.property === "service.healthGate.when")!.reason, /"always" or "protocolUnchanged"/);
        assert.deepEqual(props({ ...good, service: { ...good.service, healthGate: { ...gate, protocolKeys: undefined } } }), ["service.healthGate.protocolKeys"]);
        assert.deepEqual(props({ ...good, service: { ...good.service, healthGate: { ...gate, protocolKeys: [] } } }), ["service.healthGate.protocolKeys"]);
        assert.deepEqual(props({ ...good, service: { ...good.service, healthGate: { ...gate, expectNodes: [] } } }), ["service.healthGate.expectNodes"]);
        assert.deepEqual(props({ ...good, service: { ...good.service, healthGate: { ...gate, command: ["-x"] } } }), ["service.healthGate.command"]);
        assert.deepEqual(props({ ...good, service: { ...good.service, healthGate: ["influxd-ctl"] } }), ["service.healthGate"]);
    });
});

import { TomlSettingsProvider } from "../../../provider/providers/tomlSettings/provider";

describe("check: healthGateConnection (a data node's gate run on a meta node)", () => {
    const base = {
        schemaVersion: 1, connection: { host: "10.0.0.5", privateKey: "k", hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHf3JzO7x4v4D8Vv6dG7ZsU3fM5lS9dGQ2Wm3TtF6YtA" },
        target: "root@10.0.0.5:22", path: "/etc/influxdb/influxdb.conf", settings: { http: { "https-enabled": true } },
    };
    it("is checked like the connection and normalized with its defaults", async () => {
        const p = new TomlSettingsProvider();
        const bad = await p.check({} as any, { ...base, healthGateConnection: { host: "meta1" } } as any);
        assert.ok(bad.failures!.some((f) => f.property.startsWith("healthGateConnection")), JSON.stringify(bad.failures));
        const ok = await p.check({} as any, { ...base, healthGateConnection: { ...base.connection, host: "meta1" } } as any);
        assert.deepEqual(ok.failures, []);
        assert.equal((ok.inputs as any).healthGateConnection.port, 22);
        assert.equal((ok.inputs as any).healthGateConnection.user, "root");
    });
});
