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
});
