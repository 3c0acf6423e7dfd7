import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
    caSettingKeyFor, guideErrata, parseTelegrafVersion, TELEGRAF, telegrafCaFile, telegrafOutputEdit, telegrafTrust, telegrafVersionProblems,
} from "../../../provider/influx";

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

describe("influx: Telegraf key names by version", () => {
    it("parses 1.x releases only", () => {
        assert.deepEqual(parseTelegrafVersion("1.37.2"), { major: 1, minor: 37, patch: 2 });
        assert.deepEqual(parseTelegrafVersion("1.6"), { major: 1, minor: 6 });
        for (const bad of ["v1.37.2", "1", "0.10.2", "2.0.0", "1.x", "1.37.2-rc1", ""]) assert.equal(parseTelegrafVersion(bad), undefined, bad);
    });

    it("the CA key: ssl_ca before 1.7, tls_ca from 1.7 and when the version is not given", () => {
        assert.equal(caSettingKeyFor(parseTelegrafVersion("1.6.3")), "ssl_ca");
        assert.equal(caSettingKeyFor(parseTelegrafVersion("1.7")), "tls_ca");
        assert.equal(caSettingKeyFor(parseTelegrafVersion("1.37.2")), "tls_ca");
        assert.equal(caSettingKeyFor(undefined), "tls_ca");
    });

    it("refuses keys the version does not read, and ssl_* from 1.7 on", () => {
        assert.deepEqual(telegrafVersionProblems("1.6", ["ssl_ca", "ssl_cert", "insecure_skip_verify", "timeout"]), []);
        assert.deepEqual(telegrafVersionProblems("1.37.2", ["tls_ca", "tls_cert", "tls_key", "insecure_skip_verify"]), []);
        assert.deepEqual(telegrafVersionProblems(undefined, ["tls_ca", "insecure_skip_verify"]), []);
        assert.deepEqual(telegrafVersionProblems("1.6.3", ["tls_ca"]), ['Telegraf 1.6.3 does not read "tls_ca" (added in 1.7); use "ssl_ca"']);
        assert.deepEqual(telegrafVersionProblems("1.37.2", ["ssl_ca"]), ['Telegraf 1.37.2 must not use "ssl_ca" (removed in 1.35: Telegraf refuses it); use "tls_ca"']);
        assert.deepEqual(telegrafVersionProblems("1.20", ["ssl_key"]), ['Telegraf 1.20 must not use "ssl_key" (deprecated since 1.7, removed in 1.35); use "tls_key"']);
        assert.match(telegrafVersionProblems(undefined, ["ssl_ca"])[0]!, /Telegraf 1\.7\+ \(the default; set telegrafVersion for an older one\) must not use "ssl_ca"/);
        assert.deepEqual(telegrafVersionProblems("latest", ["tls_ca"]), ['telegrafVersion "latest" is not a Telegraf 1.x release like "1.37.2" or "1.6"']);
    });
});
