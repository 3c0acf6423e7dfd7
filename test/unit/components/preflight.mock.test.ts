import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CLIENT_KEY, HOST_KEY } from "./fixtures";
import { installMocks, settle } from "./mockWorld";

const registered = installMocks();
import { DataNodeTls, MetaNodeTls } from "../../../provider";

const connection = (host: string) => ({ host, privateKey: CLIENT_KEY, hostKey: HOST_KEY });
const configOf = (name: string) => registered.find((r) => r.name === `${name}-config`)!;

describe("preflight and health gate wiring (mocks)", () => {
    it("every node's config gets a preflight: the installed paths, the hostname, 7 days, the service user; no gate unless given", async () => {
        const data = new DataNodeTls("pf-data", { connection: connection("127.0.10.1"), certificate: { selfSigned: {} } });
        const meta = new MetaNodeTls("pf-meta", { connection: connection("127.0.10.11"), hostname: "meta1.example", certificate: { selfSigned: {} } });
        await settle(data.verified);
        await settle(meta.verified);
        assert.deepEqual(configOf("pf-data").inputs.preflight, {
            certificatePath: "/etc/ssl/influxdb-selfsigned.crt", privateKeyPath: "/etc/ssl/influxdb-selfsigned.key",
            hostnames: ["127.0.10.1"], minValidityDays: 7, serviceUser: "influxdb",
        });
        assert.deepEqual(configOf("pf-meta").inputs.preflight.hostnames, ["meta1.example"]);
        assert.equal((configOf("pf-data").inputs.service as { healthGate?: unknown }).healthGate, undefined);
    });

    it("files already on the host (onHost) are checked at their own paths, a combined .pem as both; minValidityDays passed through", async () => {
        const a = new DataNodeTls("pf-onhost", {
            connection: connection("127.0.10.2"), minValidityDays: 30,
            certificate: { onHost: { certificatePath: "/opt/tls/node.crt", privateKeyPath: "/opt/tls/node.key" } },
        });
        const b = new DataNodeTls("pf-bundle", { connection: connection("127.0.10.3"), certificate: { onHost: { certificatePath: "/opt/tls/node.pem" } } });
        await settle(a.verified);
        await settle(b.verified);
        assert.deepEqual(configOf("pf-onhost").inputs.preflight, {
            certificatePath: "/opt/tls/node.crt", privateKeyPath: "/opt/tls/node.key", hostnames: ["127.0.10.2"], minValidityDays: 30, serviceUser: "influxdb",
        });
        const p = configOf("pf-bundle").inputs.preflight;
        assert.equal(p.certificatePath, "/opt/tls/node.pem");
        assert.equal(p.privateKeyPath, "/opt/tls/node.pem");
    });

    it("healthGate is passed through to service.healthGate", async () => {
        const healthGate = { command: ["influxd-ctl", "-bind-tls", "-bind", "meta1:8091", "show"], expectNodes: ["meta1:8091", "127.0.10.4:8086"], when: "always" as const, timeoutSeconds: 60 };
        const n = new DataNodeTls("pf-gate", { connection: connection("127.0.10.4"), certificate: { selfSigned: {} }, healthGate });
        await settle(n.verified);
        assert.deepEqual((configOf("pf-gate").inputs.service as { healthGate?: unknown }).healthGate, healthGate);
    });

    it("bad minValidityDays, and a certificate made shorter-lived than it, are refused at construction naming the arguments", () => {
        assert.throws(() => new DataNodeTls("pf-bad1", { connection: connection("127.0.10.5"), certificate: { selfSigned: {} }, minValidityDays: -1 }),
            /DataNodeTls pf-bad1: minValidityDays must be a number of days from 0 to 3650/);
        assert.throws(() => new DataNodeTls("pf-bad2", { connection: connection("127.0.10.5"), certificate: { selfSigned: { validityDays: 2 } } }),
            /DataNodeTls pf-bad2: certificate\.selfSigned\.validityDays \(2\) is shorter than minValidityDays \(7, the default\)/);
        // Allowed when asked for.
        new DataNodeTls("pf-short", { connection: connection("127.0.10.6"), certificate: { selfSigned: { validityDays: 2 } }, minValidityDays: 1 });
    });
});
