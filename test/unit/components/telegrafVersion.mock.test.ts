import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { conn } from "./fixtures";
import { installMocks, PEM, settle } from "./mockWorld";

const registered = installMocks();
import { TelegrafOutputTls } from "../../../provider";

const urls = ["https://data1.example:8086"];

describe("TelegrafOutputTls: key names by telegrafVersion (mocks)", () => {
    it("ssl_ca for a Telegraf before 1.7, tls_ca from 1.7 and by default", async () => {
        for (const [name, telegrafVersion, key] of [["tv16", "1.6.3", "ssl_ca"], ["tv137", "1.37.2", "tls_ca"], ["tvdef", undefined, "tls_ca"]] as const) {
            const tele = new TelegrafOutputTls(name, { connection: conn("tele.example"), urls, caCertificatePem: PEM.cert, telegrafVersion });
            await settle(tele.verified);
            const set = registered.find((r) => r.name === `${name}-config`)!.inputs.settings["outputs.influxdb#0"];
            assert.deepEqual(Object.keys(set).sort(), [key, "urls"].sort(), name);
        }
    });

    it("refuses, before registering anything, a key the version does not read", () => {
        const cases: [string, Record<string, unknown>, RegExp][] = [
            ["tvold", { telegrafVersion: "1.6", caSettingKey: "tls_ca" }, /TelegrafOutputTls tvold: Telegraf 1\.6 does not read "tls_ca" \(added in 1\.7\); use "ssl_ca"/],
            ["tvnew", { telegrafVersion: "1.37.2", caSettingKey: "ssl_ca" }, /TelegrafOutputTls tvnew: Telegraf 1\.37\.2 must not use "ssl_ca" \(removed in 1\.35: Telegraf refuses it\); use "tls_ca"/],
            ["tvdefssl", { caSettingKey: "ssl_ca" }, /must not use "ssl_ca" \(deprecated since 1\.7, removed in 1\.35\); use "tls_ca"/],
            ["tvextra", { telegrafVersion: "1.6", extraSettings: { tls_cert: "/c.pem" } }, /TelegrafOutputTls tvextra: extraSettings: Telegraf 1\.6 does not read "tls_cert"/],
            ["tvbad", { telegrafVersion: "v1.37" }, /TelegrafOutputTls tvbad: telegrafVersion "v1\.37" is not a Telegraf 1\.x release/],
        ];
        for (const [name, extra, re] of cases) {
            assert.throws(() => new TelegrafOutputTls(name, { connection: conn("tele.example"), urls, caCertificatePem: PEM.cert, ...extra }), (e: Error) => {
                assert.match(e.message, re);
                assert.equal(e.message.split(re).length, 2, `said once: ${e.message}`);
                return true;
            }, name);
            assert.equal(registered.some((r) => r.name.startsWith(name)), false, name);
        }
    });

    it("insecure_skip_verify is read by every 1.x", async () => {
        const tele = new TelegrafOutputTls("tvins", { connection: conn("tele.example"), urls, insecureSkipVerify: true, telegrafVersion: "1.4.5" });
        await settle(tele.verified);
        assert.equal(registered.find((r) => r.name === "tvins-config")!.inputs.settings["outputs.influxdb#0"].insecure_skip_verify, true);
    });
});
