import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { conn } from "./fixtures";
import { installMocks, PEM, settle, unwrapSecret } from "./mockWorld";

const registered = installMocks();
import { CertificateAuthority, DataNodeTls, MetaNodeTls, TelegrafOutputTls } from "../../../provider";

describe("internal CA across meta, data and Telegraf (mocks)", () => {
    it("issues per-node certificates with SANs and uses no insecure flag anywhere", async () => {
        const ca = new CertificateAuthority("ca", { commonName: "Test CA" });
        const meta = new MetaNodeTls("meta1", { connection: conn("meta1.example"), certificate: { issuedBy: { authority: ca } } });
        const data = new DataNodeTls("data1", { connection: conn("10.0.0.5"), hostname: "data1.example", certificate: { issuedBy: { authority: ca } } });
        const tele = new TelegrafOutputTls("tele1", { connection: conn("tele1.example"), dataNodes: [data] });
        await Promise.all([settle(meta.verified), settle(data.verified), settle(tele.verified)]);
        const byName = (n: string) => registered.find((r) => r.name === n)!;

        const caCert = byName("ca-cert").inputs;
        assert.equal(caCert.isCaCertificate, true);
        assert.deepEqual(caCert.allowedUses, ["cert_signing", "crl_signing", "digital_signature"]);
        // Meta: DNS name + localhost (influxd-ctl's default bind); data: the hostname clients use.
        assert.deepEqual(byName("meta1-cert-csr").inputs.dnsNames, ["meta1.example", "localhost"]);
        assert.deepEqual(byName("data1-cert-csr").inputs.dnsNames, ["data1.example"]);
        assert.deepEqual(byName("data1-cert-csr").inputs.ipAddresses, []);
        assert.equal(unwrapSecret(byName("data1-cert").inputs.caPrivateKeyPem).secret, true);

        const metaCfg = byName("meta1-config").inputs;
        assert.deepEqual(metaCfg.settings, { meta: {
            "https-enabled": true, "https-certificate": "/etc/ssl/influxdb.crt", "https-private-key": "/etc/ssl/influxdb.key",
        } }, "no https-insecure-tls with a CA");
        assert.equal(metaCfg.path, "/etc/influxdb/influxdb-meta.conf");
        assert.deepEqual(metaCfg.service.restart, ["systemctl", "restart", "influxdb-meta"]);
        assert.deepEqual(metaCfg.service.verify,
            ["env", "SSL_CERT_FILE=/etc/ssl/influxdb-ca.pem", "influxd-ctl", "-bind", "meta1.example:8091", "-bind-tls", "show"]);
        const dataCfg = byName("data1-config").inputs;
        assert.deepEqual(dataCfg.service.verify,
            ["env", "SSL_CERT_FILE=/etc/ssl/influxdb-ca.pem", "influx", "-ssl", "-host", "data1.example", "-execute", "SHOW DATABASES"]);
        assert.deepEqual(dataCfg.files[2], { path: "/etc/ssl/influxdb-ca.pem", mode: "0644", owner: "root", group: "root" });
        assert.equal(unwrapSecret(dataCfg.fileContents).value[2], PEM.cert);

        const teleCfg = byName("tele1-config").inputs;
        assert.deepEqual(teleCfg.settings, { "outputs.influxdb#0": { urls: ["https://data1.example:8086"], tls_ca: "/etc/telegraf/influxdb-ca.pem" } });
        assert.equal(teleCfg.path, "/etc/telegraf/telegraf.conf");
        assert.deepEqual(teleCfg.service.restart, ["systemctl", "restart", "telegraf"]);
        assert.deepEqual(teleCfg.files, [{ path: "/etc/telegraf/influxdb-ca.pem", mode: "0644", owner: "root", group: "root" }]);
        assert.equal(tele.insecureSkipVerify, false);

        for (const r of registered.filter((x) => x.type.includes("TomlSettings"))) {
            const text = JSON.stringify(r.inputs.settings) + JSON.stringify(r.inputs.service);
            assert.ok(!/insecure|-unsafeSsl|"-k"/.test(text), `${r.name}: no insecure flag`);
        }
        // Telegraf waits for the data nodes (and is reverted before them on destroy).
        const dataUrn = byName("data1").urn!;
        assert.ok(byName("tele1-config").dependencies.some((d) => d === dataUrn || d === byName("data1-config").urn));
    });
});
