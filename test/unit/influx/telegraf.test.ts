import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { guideErrata, TELEGRAF, telegrafCaFile, telegrafOutputEdit, telegrafTrust } from "../../../provider/influx";

const CA_NODE = { hasCaCertificate: true, selfSigned: false };
const SELF_SIGNED = { hasCaCertificate: false, selfSigned: true };
const PUBLIC = { hasCaCertificate: false, selfSigned: false };

describe("influx: which trust a Telegraf uses", () => {
    it("insecure only when asked, whatever else is known", () => {
        assert.deepEqual(telegrafTrust({ caCertificateGiven: true, dataNodes: [SELF_SIGNED], insecureSkipVerify: true }),
            { trust: { how: "insecure" }, unverifiable: 0 });
    });

    it("the CA given, else the first data node's, else the system roots", () => {
        assert.deepEqual(telegrafTrust({ caCertificateGiven: true, dataNodes: [SELF_SIGNED, CA_NODE] }), { trust: { how: "ca" }, unverifiable: 0 });
        assert.deepEqual(telegrafTrust({ caCertificateGiven: false, dataNodes: [PUBLIC, CA_NODE, CA_NODE] }),
            { trust: { how: "ca", fromNode: 1 }, unverifiable: 0 });
        assert.deepEqual(telegrafTrust({ caCertificateGiven: false, dataNodes: [PUBLIC] }), { trust: { how: "systemRoots" }, unverifiable: 0 });
        assert.deepEqual(telegrafTrust({ caCertificateGiven: false, dataNodes: [] }), { trust: { how: "systemRoots" }, unverifiable: 0 });
    });

    it("self-signed data nodes cannot be verified without a CA given, not even next to a node with one", () => {
        assert.equal(telegrafTrust({ caCertificateGiven: false, dataNodes: [SELF_SIGNED, SELF_SIGNED] }).unverifiable, 2);
        assert.equal(telegrafTrust({ caCertificateGiven: false, dataNodes: [CA_NODE, SELF_SIGNED] }).unverifiable, 1);
    });

    it("the output entry: urls, then the CA key or insecure_skip_verify, then the caller's keys", () => {
        const urls = ["https://data1:8086"];
        const base = { urls, caKey: "tls_ca" as const, caPath: TELEGRAF.caPath, extra: { timeout: "5s" } };
        const ca = telegrafOutputEdit({ ...base, trust: { how: "ca" } });
        assert.deepEqual(ca, { table: "outputs.influxdb", index: 0, set: { urls, tls_ca: "/etc/telegraf/influxdb-ca.pem", timeout: "5s" } });
        assert.deepEqual(Object.keys(ca.set), ["urls", "tls_ca", "timeout"]);
        assert.deepEqual(telegrafOutputEdit({ ...base, index: 2, caKey: "ssl_ca", trust: { how: "ca", fromNode: 0 } }).set.ssl_ca, TELEGRAF.caPath);
        assert.deepEqual(telegrafOutputEdit({ ...base, trust: { how: "insecure" }, extra: {} }).set, { urls, insecure_skip_verify: true });
        assert.deepEqual(telegrafOutputEdit({ ...base, trust: { how: "systemRoots" }, extra: {} }).set, { urls });
        assert.deepEqual(guideErrata("telegraf", [ca]), []);
    });

    it("the CA file is root's and world-readable (the telegraf user reads it)", () => {
        assert.deepEqual(telegrafCaFile(), { path: "/etc/telegraf/influxdb-ca.pem", mode: "0644", owner: "root", group: "root" });
        assert.equal(telegrafCaFile("/x.pem").path, "/x.pem");
    });
});
