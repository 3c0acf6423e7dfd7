import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DATA_NODE, dataNodeEdits, guideErrata, META_NODE, metaNodeEdits } from "../../../provider/influx";

const CA = "/etc/ssl/influxdb-ca.pem";
const FILES = { cert: "/etc/ssl/influxdb.crt", key: "/etc/ssl/influxdb.key" };

describe("influx: meta and data nodes", () => {
    it("files, services, users and ports as the guide and the packages have them", () => {
        assert.deepEqual([META_NODE.configPath, META_NODE.service, META_NODE.serviceUser, META_NODE.httpPort],
            ["/etc/influxdb/influxdb-meta.conf", "influxdb-meta", "influxdb", 8091]);
        assert.deepEqual([DATA_NODE.configPath, DATA_NODE.service, DATA_NODE.serviceUser, DATA_NODE.httpPort],
            ["/etc/influxdb/influxdb.conf", "influxdb", "influxdb", 8086]);
        // influxd-ctl binds localhost:8091 by default: a meta certificate must name localhost too.
        assert.deepEqual([META_NODE.extraDnsNames, DATA_NODE.extraDnsNames], [["localhost"], []]);
    });

    it("verify trusts a known CA through SSL_CERT_FILE, and skips verification only for self-signed without one", () => {
        assert.deepEqual(META_NODE.verify("meta1", { caPath: CA, selfSigned: false }),
            ["env", `SSL_CERT_FILE=${CA}`, "influxd-ctl", "-bind", "meta1:8091", "-bind-tls", "show"]);
        assert.deepEqual(META_NODE.verify("127.0.0.1", { selfSigned: true }), ["influxd-ctl", "-bind", "127.0.0.1:8091", "-bind-tls", "-k", "show"]);
        assert.deepEqual(DATA_NODE.verify("data1", { caPath: CA, selfSigned: false }),
            ["env", `SSL_CERT_FILE=${CA}`, "influx", "-ssl", "-host", "data1", "-execute", "SHOW DATABASES"]);
        assert.deepEqual(DATA_NODE.verify("data1", { selfSigned: true }), ["influx", "-ssl", "-unsafeSsl", "-host", "data1", "-execute", "SHOW DATABASES"]);
        assert.deepEqual(DATA_NODE.verify("data1", { selfSigned: false }), ["influx", "-ssl", "-host", "data1", "-execute", "SHOW DATABASES"]);
    });

    it("revert verify checks plain HTTP", () => {
        assert.deepEqual(META_NODE.revertVerify("meta1"), ["influxd-ctl", "-bind", "meta1:8091", "show"]);
        assert.deepEqual(DATA_NODE.revertVerify("data1"), ["influx", "-host", "data1", "-execute", "SHOW DATABASES"]);
    });

    it("meta keys go in [meta] (not the guide's [http]); https-insecure-tls follows self-signed unless given", () => {
        assert.deepEqual(metaNodeEdits(FILES, { selfSigned: false }), [
            { table: "meta", set: { "https-enabled": true, "https-certificate": FILES.cert, "https-private-key": FILES.key } },
        ]);
        assert.equal(metaNodeEdits(FILES, { selfSigned: true })[0].set["https-insecure-tls"], true);
        assert.equal(metaNodeEdits(FILES, { selfSigned: true, httpsInsecureTls: false })[0].set["https-insecure-tls"], undefined);
        assert.equal(metaNodeEdits(FILES, { selfSigned: false, httpsInsecureTls: true })[0].set["https-insecure-tls"], true);
    });

    it("data keys: [http] https-*, [meta] meta-tls-enabled (default true) and meta-insecure-tls only when asked", () => {
        assert.deepEqual(dataNodeEdits(FILES, {}), [
            { table: "http", set: { "https-enabled": true, "https-certificate": FILES.cert, "https-private-key": FILES.key } },
            { table: "meta", set: { "meta-tls-enabled": true } },
        ]);
        assert.deepEqual(dataNodeEdits(FILES, { metaTlsEnabled: false, metaInsecureTls: true })[1].set, { "meta-tls-enabled": false, "meta-insecure-tls": true });
    });

    it("the keys set are ones the errata check accepts for their role", () => {
        assert.deepEqual(guideErrata("meta", metaNodeEdits(FILES, { selfSigned: true })), []);
        assert.deepEqual(guideErrata("data", dataNodeEdits(FILES, { metaInsecureTls: true })), []);
        // ...and the check does catch the guide's own slips.
        assert.equal(guideErrata("meta", [{ table: "http", set: { "https-enabled": true } }]).length, 1);
    });
});
