import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { conn } from "./fixtures";
import { installMocks, settle } from "./mockWorld";

const registered = installMocks();
import { DataNodeTls, MetaNodeTls, TelegrafOutputTls } from "../../../provider";

describe("the guide's self-signed path (mocks)", () => {
    it("meta: localhost SAN, https-insecure-tls, influxd-ctl -k; Telegraf: insecure_skip_verify; ECDSA never P224", async () => {
        const meta = new MetaNodeTls("meta1", { connection: conn("127.0.10.11"), certificate: { selfSigned: { algorithm: "ECDSA", validityDays: 30, rotationTrigger: "2027-q1" } } });
        const data = new DataNodeTls("data1", { connection: conn("127.0.10.1"), certificate: { selfSigned: {} }, metaInsecureTls: true });
        const tele = new TelegrafOutputTls("tele1", { connection: conn("127.0.10.21"), dataNodes: [data], outputIndex: 0 });
        await Promise.all([settle(meta.verified), settle(data.verified), settle(tele.verified)]);
        const byName = (n: string) => registered.find((r) => r.name === n)!;
        assert.deepEqual(byName("meta1-key").inputs, { algorithm: "ECDSA", ecdsaCurve: "P256" });
        assert.equal(byName("meta1-key").replacementTrigger, "2027-q1", "an explicit rotation trigger replaces the key");
        assert.equal(byName("data1-key").replacementTrigger, undefined);
        assert.deepEqual(byName("meta1-cert").inputs.dnsNames, ["localhost"]);
        assert.deepEqual(byName("meta1-cert").inputs.ipAddresses, ["127.0.10.11"]);
        assert.equal(byName("meta1-cert").inputs.validityPeriodHours, 720);
        assert.equal(byName("meta1-config").inputs.settings.meta["https-insecure-tls"], true);
        assert.deepEqual(byName("meta1-config").inputs.service.verify, ["influxd-ctl", "-bind", "127.0.10.11:8091", "-bind-tls", "-k", "show"]);
        assert.deepEqual(byName("meta1-config").inputs.service.revertVerify, ["influxd-ctl", "-bind", "127.0.10.11:8091", "show"]);
        assert.deepEqual(byName("meta1-config").inputs.service.status, ["systemctl", "is-active", "influxdb-meta"]);
        assert.deepEqual(byName("tele1-config").inputs.service.status, ["systemctl", "is-active", "telegraf"]);
        assert.deepEqual(byName("tele1-config").inputs.service.logs, ["journalctl", "-u", "telegraf", "-n", "20", "--no-pager", "-o", "cat"]);
        assert.deepEqual(byName("data1-config").inputs.settings.meta, { "meta-tls-enabled": true, "meta-insecure-tls": true });
        assert.deepEqual(byName("tele1-config").inputs.settings, { "outputs.influxdb#0": { urls: ["https://127.0.10.1:8086"], insecure_skip_verify: true } });
        assert.equal(registered.some((r) => r.name === "tele1-ca-file"), false, "no CA file without a CA");
        assert.equal(tele.insecureSkipVerify, true);
        assert.equal(await settle(meta.url), "https://127.0.10.11:8091");
    });
});
