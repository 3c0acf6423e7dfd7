import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
    compareVersions, describeSteps, fipsKeyProblem, gatePlans, keysUnknownToVersion, parseVersion, rolloutProblems, rolloutSteps,
    tlsProfileEdits, TLS_KEYS, versionProblems, FIPS_CIPHERS,
} from "../../../provider/influx";

describe("influx: TLS keys by Enterprise release", () => {
    it("parses 1.x releases and orders them numerically", () => {
        assert.deepEqual(parseVersion("1.11.8"), [1, 11, 8]);
        assert.deepEqual(parseVersion("v1.7.3-c1.7.3"), [1, 7, 3]);
        for (const bad of ["2.7.1", "1.11", "latest", ""]) assert.equal(parseVersion(bad), undefined, bad);
        assert.ok(compareVersions([1, 11, 0], [1, 7, 3]) > 0, "1.11 is after 1.7 (not a string compare)");
        assert.deepEqual(versionProblems("C", "1.6.2"), []);
        assert.match(versionProblems("C", 1.6)[0], /C: version 1\.6 is not an InfluxDB Enterprise 1\.x release/);
    });

    it("internode keys from 1.7.3, [tls] from 1.6.0, 1.12.3 additions; unknown [tls] keys refused; other keys not judged", () => {
        const cluster = [{ table: "cluster", set: { "https-enabled": true, "https-certificate": "/c" } }];
        assert.equal(keysUnknownToVersion("data", cluster, "1.7.2").length, 2);
        assert.match(keysUnknownToVersion("data", cluster, "1.7.2")[0], /\[cluster\] "https-enabled" is not read by InfluxDB Enterprise 1\.7\.2 \(the data node reads it since 1\.7\.3/);
        assert.deepEqual(keysUnknownToVersion("data", cluster, "1.7.3"), []);
        assert.equal(keysUnknownToVersion("meta", [{ table: "meta", set: { "data-use-tls": true } }], "1.6.2").length, 1);
        assert.equal(keysUnknownToVersion("meta", [{ table: "tls", set: { "min-version": "tls1.2" } }], "1.5.4").length, 1);
        assert.deepEqual(keysUnknownToVersion("meta", [{ table: "tls", set: { "min-version": "tls1.2" } }], "1.6.0"), []);
        assert.equal(keysUnknownToVersion("data", [{ table: "tls", set: { "advanced-expiration": "5d" } }], "1.12.2").length, 1);
        assert.deepEqual(keysUnknownToVersion("data", [{ table: "tls", set: { "advanced-expiration": "5d" } }], "1.12.3"), []);
        assert.match(keysUnknownToVersion("data", [{ table: "tls", set: { "min_version": "tls1.2" } }], "1.11.8")[0], /\[tls\] "min_version" is not a key/);
        assert.deepEqual(keysUnknownToVersion("data", [{ table: "data", set: { dir: "/x" } }, { table: "meta", set: { "meta-tls-enabled": true } }], "1.0.0"), []);
        for (const row of TLS_KEYS) assert.ok(parseVersion(row.since) && row.source.length > 0, `${row.table}.${row.key}`);
    });

    it("profiles: default leaves [tls] alone, modern TLS 1.2+, fips TLS 1.2 only with six suites; the FIPS key rule", () => {
        assert.deepEqual(tlsProfileEdits("default"), []);
        assert.deepEqual(Object.keys(tlsProfileEdits("modern")[0].set).sort(), ["ciphers", "min-version"]);
        assert.deepEqual(tlsProfileEdits("fips")[0].set, { "min-version": "tls1.2", "max-version": "tls1.2", ciphers: [...FIPS_CIPHERS] });
        assert.equal(FIPS_CIPHERS.length, 6);
        assert.equal(fipsKeyProblem({ type: "rsa", rsaBits: 2048 }), undefined);
        assert.equal(fipsKeyProblem({ type: "rsa", rsaBits: 3072 }), undefined);
        assert.match(fipsKeyProblem({ type: "rsa", rsaBits: 4096 })!, /RSA 4096-bit key is not allowed/);
        for (const curve of ["prime256v1", "secp384r1", "secp521r1", "P256"]) assert.equal(fipsKeyProblem({ type: "ec", curve }), undefined, curve);
        assert.match(fipsKeyProblem({ type: "ec", curve: "secp256k1" })!, /curve secp256k1 is not allowed/);
        assert.match(fipsKeyProblem({ type: "ed25519" })!, /ed25519 key is not allowed/);
    });
});

describe("influx: rolling order and health gates", () => {
    it("meta one per step, data in batches, Telegraf last; a readable list", () => {
        const s = rolloutSteps(["m1", "m2"], ["d1", "d2", "d3"], ["t1", "t2"], 2);
        assert.deepEqual(describeSteps(s), ["1. meta m1", "2. meta m2", "3. data d1, d2", "4. data d3", "5. telegraf t1, t2"]);
        assert.deepEqual(rolloutSteps(["m1"], ["d1"], [], 1).map((x) => x.tier), ["meta", "data"]);
        assert.deepEqual(rolloutProblems("C", { maxUnavailable: 0 }, 3), ["C: rollout.maxUnavailable must be a whole number ≥ 1"]);
        assert.match(rolloutProblems("C", { maxUnavailable: 4 }, 3)[0], /more than the 3 data node/);
        assert.match(rolloutProblems("C", { healthTimeoutSeconds: -1 }, 3)[0], /healthTimeoutSeconds/);
    });

    it("gates skip protocol switches except the last meta node (meta tier only) and the last data batch (everything)", () => {
        const steps = rolloutSteps(["m1", "m2"], ["d1", "d2", "d3"], [], 2);
        const trust = { caPath: "/ca.pem", selfSigned: false };
        const g = gatePlans({ metaHosts: ["m1.x", "m2.x"], metaListed: ["m1.x", "m2.x"], dataListed: ["d1.x", "d2.x", "d3.x"], steps, dataNames: ["d1", "d2", "d3"], metaTrust: [trust, trust], timeoutSeconds: 600 });
        assert.deepEqual(g.meta.map((x) => x.when), ["protocolUnchanged", "always"]);
        assert.deepEqual(g.meta[1].expectNodes, ["m1.x:8091", "m2.x:8091"]);
        assert.equal(g.meta[0].expectNodes.length, 5);
        assert.deepEqual(g.data.map((x) => x.when), ["protocolUnchanged", "protocolUnchanged", "always"]);
        assert.deepEqual(g.data[0].command, ["env", "SSL_CERT_FILE=/ca.pem", "influxd-ctl", "-bind", "m1.x:8091", "-bind-tls", "show"]);
        assert.deepEqual(g.data[0].protocolKeys.map((k) => `${k.table}.${k.key}`), ["http.https-enabled", "meta.meta-tls-enabled", "cluster.https-enabled"]);
    });
});
