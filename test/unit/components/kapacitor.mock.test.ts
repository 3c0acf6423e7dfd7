import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { conn } from "./fixtures";
import { installMocks, PEM, settle } from "./mockWorld";

const registered = installMocks();
import { DataNodeTls, KapacitorInfluxdbTls } from "../../../provider";

const settingsOf = (name: string) => registered.find((r) => r.name === name)!.inputs;

describe("KapacitorInfluxdbTls and DataNodeTls subscriber (mocks)", () => {
    it("with CA-signed data nodes: CA file installed in the config's transaction, ssl-ca, https urls, subscription-protocol https, restart kapacitor", async () => {
        const data = new DataNodeTls("kd1", {
            connection: conn("a.example"),
            certificate: { provided: { certificatePem: PEM.cert, privateKeyPem: PEM.key, caCertificatePem: PEM.cert } },
            subscriber: { caCertificatePath: "/etc/ssl/influxdb-ca.pem" },
        });
        const kap = new KapacitorInfluxdbTls("kap1", { connection: conn("kap.example"), dataNodes: [data] });
        await settle(kap.verified);
        assert.equal(kap.insecureSkipVerify, false);
        const config = settingsOf("kap1-config");
        assert.equal(registered.find((r) => r.name === "kap1-config")!.parent, registered.find((r) => r.name === "kap1")!.urn);
        assert.equal(config.path, "/etc/kapacitor/kapacitor.conf");
        assert.deepEqual(config.settings, { "influxdb#0": {
            urls: ["https://a.example:8086"], "ssl-ca": "/etc/kapacitor/influxdb-ca.pem", "insecure-skip-verify": false, "subscription-protocol": "https",
        } });
        assert.deepEqual(config.files.map((f: { path: string; mode: string; owner: string }) => [f.path, f.mode, f.owner]),
            [["/etc/kapacitor/influxdb-ca.pem", "0644", "root"]]);
        assert.deepEqual(config.service.restart, ["systemctl", "restart", "kapacitor"]);
        assert.deepEqual(config.service.verify, ["systemctl", "is-active", "kapacitor"]);
        // The data node's [subscriber] keys travel with its own config.
        assert.deepEqual(settingsOf("kd1-config").settings.subscriber, { "ca-certs": "/etc/ssl/influxdb-ca.pem", "insecure-skip-verify": false });
    });

    it("urls only, Kapacitor's own HTTPS, subscriptions left alone: no CA file, system roots", async () => {
        const kap = new KapacitorInfluxdbTls("kap2", {
            connection: conn("kap.example"), urls: ["https://d.example:8086"], subscriptionProtocol: "unchanged",
            httpsCertificatePath: "/etc/ssl/kapacitor.crt", httpsPrivateKeyPath: "/etc/ssl/kapacitor.key",
        });
        await settle(kap.verified);
        const config = settingsOf("kap2-config");
        assert.equal(config.files, undefined);
        assert.deepEqual(config.settings, {
            "influxdb#0": { urls: ["https://d.example:8086"], "insecure-skip-verify": false },
            http: { "https-enabled": true, "https-certificate": "/etc/ssl/kapacitor.crt", "https-private-key": "/etc/ssl/kapacitor.key" },
        });
    });

    it("insecure-skip-verify only by name; self-signed data nodes without a CA refused naming both ways out", async () => {
        const ss = new DataNodeTls("kss", { connection: conn("b.example"), certificate: { selfSigned: {} } });
        assert.throws(() => new KapacitorInfluxdbTls("kap3", { connection: conn("kap.example"), dataNodes: [ss] }),
            /Error: KapacitorInfluxdbTls kap3: 1 of the dataNodes has a self-signed certificate and no CA is known, .*caCertificatePem.*insecureSkipVerify: true/);
        const kap = new KapacitorInfluxdbTls("kap4", { connection: conn("kap.example"), dataNodes: [ss], insecureSkipVerify: true, influxdbIndex: 2 });
        await settle(kap.verified);
        assert.equal(kap.insecureSkipVerify, true);
        assert.deepEqual(settingsOf("kap4-config").settings["influxdb#2"]["insecure-skip-verify"], true);
    });

    it("bad arguments refused before anything is registered, each named", () => {
        assert.throws(() => new KapacitorInfluxdbTls("kap5", {
            connection: conn("kap.example"), urls: ["https://d:8086"], subscriptionProtocol: "tcp" as never, influxdbIndex: -1,
            httpsPrivateKeyPath: "key.pem",
        }), (e: Error) => {
            for (const re of [/subscriptionProtocol: must be one of "https", "http", "udp", "unchanged"/, /influxdbIndex: must be a whole number/,
                /httpsPrivateKeyPath: "key.pem" is not an absolute path/, /httpsPrivateKeyPath: given without httpsCertificatePath/]) {
                assert.match(e.message, re);
            }
            return true;
        });
        assert.throws(() => new DataNodeTls("kd6", { connection: conn("a.example"), certificate: { selfSigned: {} }, subscriber: { caCertificatePath: "/a.pem", insecureSkipVerify: true } }),
            /Error: DataNodeTls kd6: subscriber: give caCertificatePath or insecureSkipVerify: true, not both/);
        assert.equal(registered.some((r) => r.name.startsWith("kap5") || r.name.startsWith("kd6-")), false);
    });
});
