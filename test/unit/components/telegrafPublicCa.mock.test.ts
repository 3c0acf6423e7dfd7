import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { conn } from "./fixtures";
import { installMocks, PEM, settle } from "./mockWorld";

const registered = installMocks();
import { DataNodeTls, TelegrafOutputTls } from "../../../provider";

describe("Telegraf with data nodes whose certificate chains to a public CA (mocks)", () => {
    it("verifies with the system roots: no CA file, no tls_ca, no insecure_skip_verify", async () => {
        const data = new DataNodeTls("pub1", { connection: conn("pub1.example"), certificate: { provided: { certificatePem: PEM.cert, privateKeyPem: PEM.key } } });
        const tele = new TelegrafOutputTls("telepub", { connection: conn("tele.example"), dataNodes: [data] });
        await settle(tele.verified);
        assert.equal(tele.insecureSkipVerify, false);
        assert.equal(registered.some((r) => r.name === "telepub-ca-file"), false);
        const config = registered.find((r) => r.name === "telepub-config")!;
        assert.deepEqual(config.inputs.settings, { "outputs.influxdb#0": { urls: ["https://pub1.example:8086"] } });
    });

    it("only urls, no CA, no opt-in: verified against the system roots, never insecure_skip_verify (issue 7 §0.6)", async () => {
        const tele = new TelegrafOutputTls("teleurls", { connection: conn("tele.example"), urls: ["https://data1.example:8086"] });
        await settle(tele.verified);
        assert.equal(tele.insecureSkipVerify, false);
        assert.equal(registered.some((r) => r.name === "teleurls-ca-file"), false);
        assert.deepEqual(registered.find((r) => r.name === "teleurls-config")!.inputs.settings,
            { "outputs.influxdb#0": { urls: ["https://data1.example:8086"] } });
    });

    it("insecure_skip_verify only when asked for by name", async () => {
        const tele = new TelegrafOutputTls("teleins", { connection: conn("tele.example"), urls: ["https://data1.example:8086"], insecureSkipVerify: true });
        await settle(tele.verified);
        assert.equal(registered.find((r) => r.name === "teleins-config")!.inputs.settings["outputs.influxdb#0"].insecure_skip_verify, true);
    });

    it("self-signed data nodes without a CA and without the opt-in are refused, naming both ways out", () => {
        const data = new DataNodeTls("ss1", { connection: conn("ss1.example"), certificate: { selfSigned: {} } });
        assert.throws(() => new TelegrafOutputTls("telss", { connection: conn("tele.example"), dataNodes: [data] }), (e: Error) => {
            assert.match(e.message, /^TelegrafOutputTls telss: 1 of the dataNodes has a self-signed certificate and no CA is known, .*caCertificatePem.*insecureSkipVerify: true/);
            assert.equal((e as any).hideStack, true);
            return true;
        });
        assert.equal(registered.some((r) => r.name.startsWith("telss")), false);
        // With the CA that signed them given, verification is on.
        const withCa = new TelegrafOutputTls("telssca", { connection: conn("tele.example"), dataNodes: [data], caCertificatePem: PEM.cert });
        assert.equal(withCa.insecureSkipVerify, false);
    });
});
