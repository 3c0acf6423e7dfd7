import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { conn } from "./fixtures";
import { installMocks, PEM, settle, unwrapSecret, type Registered } from "./mockWorld";

const registered = installMocks();
import { ClusterTls, DataNodeTls, type ClusterTlsArgs } from "../../../provider";
import { fipsGuard } from "../../../provider/components/clusterCertificates";
import { providedUpFront } from "../../../provider/components/clusterProvidedCheck";

const CONFIG = "pulumi-nodejs:dynamic/influxdb-tls:TomlSettings";

/** A 3 meta + 4 data + 1 Telegraf cluster on names the mock certificate covers where it matters. */
function cluster(over: Partial<ClusterTlsArgs> = {}): ClusterTlsArgs {
    return {
        version: "1.11.8",
        metaNodes: ["meta1", "meta2", "meta3"].map((n) => ({ name: n, connection: conn(`${n}.example`) })),
        dataNodes: ["data1", "data2", "data3", "data4"].map((n) => ({ name: n, connection: conn(`${n}.example`) })),
        telegrafs: [{ name: "tele1", connection: conn("tele1.example") }],
        ...over,
    };
}

/** 1 meta + 2 data + 1 Telegraf: enough where the order does not matter (mocks cost ~0.3 s of CPU per resource). */
function small(over: Partial<ClusterTlsArgs> = {}): ClusterTlsArgs {
    const c = cluster(over);
    return { ...c, metaNodes: over.metaNodes ?? c.metaNodes.slice(0, 1), dataNodes: over.dataNodes ?? c.dataNodes.slice(0, 2) };
}

const built = new Map<string, Promise<{ c: ClusterTls; configs: Map<string, Registered> }>>();

/** The 3+4+1 clusters several tests read, built once. */
function shared(name: "o1" | "o2"): Promise<{ c: ClusterTls; configs: Map<string, Registered> }> {
    if (!built.has(name)) built.set(name, build(name, cluster(name === "o2" ? { rollout: { maxUnavailable: 2, healthTimeoutSeconds: 900 } } : {})));
    return built.get(name)!;
}

async function build(name: string, args: ClusterTlsArgs): Promise<{ c: ClusterTls; configs: Map<string, Registered> }> {
    const c = new ClusterTls(name, args);
    await settle(c.nodes);
    await Promise.all(c.telegrafs.map((t) => settle(t.verified)));
    const configs = new Map<string, Registered>();
    for (const r of registered) {
        const m = new RegExp(`^${name}-(.+)-config$`).exec(r.name);
        if (m && r.type === CONFIG) configs.set(m[1], r);
    }
    return { c, configs };
}

/**
 * The waves the engine runs the config resources in, from the recorded dependencies alone:
 * `up` starts a resource once everything it depends on is done (wave = longest chain of config
 * resources before it); destroy deletes one once everything depending on it is gone (wave =
 * longest chain after it). Dependencies are followed through every registered resource.
 */
function waves(configs: Map<string, Registered>, direction: "up" | "destroy"): string[][] {
    const byUrn = new Map(registered.filter((r) => r.urn).map((r) => [r.urn!, r]));
    const ancestors = (r: Registered, seen = new Set<string>()): Set<string> => {
        for (const d of r.dependencies) {
            if (!seen.has(d)) {
                seen.add(d);
                const x = byUrn.get(d);
                if (x) ancestors(x, seen);
            }
        }
        return seen;
    };
    const names = [...configs.keys()];
    const before = new Map(names.map((n) => {
        const a = ancestors(configs.get(n)!);
        return [n, names.filter((m) => m !== n && a.has(configs.get(m)!.urn!))];
    }));
    const after = new Map(names.map((n) => [n, names.filter((m) => before.get(m)!.includes(n))]));
    const edges = direction === "up" ? before : after;
    const level = new Map<string, number>();
    const depth = (n: string): number => {
        if (!level.has(n)) level.set(n, Math.max(0, ...edges.get(n)!.map((m) => depth(m) + 1)));
        return level.get(n)!;
    };
    const out: string[][] = [];
    for (const n of names) (out[depth(n)] ??= []).push(n);
    return out.map((w) => w.sort());
}

function allText(r: Registered): string {
    return JSON.stringify(r.inputs.settings) + JSON.stringify(r.inputs.service);
}

describe("ClusterTls (mocks)", () => {
    it("maxUnavailable 1: meta one at a time, data one at a time, then Telegraf; destroy the exact reverse", async () => {
        const { c, configs } = await shared("o1");
        const up = [["meta1"], ["meta2"], ["meta3"], ["data1"], ["data2"], ["data3"], ["data4"], ["tele1"]];
        assert.deepEqual(waves(configs, "up"), up);
        assert.deepEqual(waves(configs, "destroy"), [...up].reverse());
        assert.deepEqual(c.rolloutOrder, [
            "1. meta meta1", "2. meta meta2", "3. meta meta3", "4. data data1", "5. data data2", "6. data data3", "7. data data4", "8. telegraf tele1",
        ]);
        // The order is an input of the component: `preview --diff` shows it.
        assert.deepEqual(registered.find((r) => r.name === "o1" && r.type === "influxdb-tls:index:ClusterTls")!.inputs.rolloutOrder, c.rolloutOrder);
        const nodes = await settle(c.nodes);
        assert.equal(nodes.data3.url, "https://data3.example:8086");
        assert.equal(nodes.meta2.url, "https://meta2.example:8091");
        assert.equal(nodes.data3.step, 6);
        assert.match(nodes.data3.certificateSha256Fingerprint!, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
        assert.ok(!Number.isNaN(Date.parse(nodes.meta1.notAfter!)));
        assert.equal(await settle(c.caCertificatePem), PEM.cert, "internalCa: the CA certificate is an output");
        assert.deepEqual(c.warnings, []);
    });

    it("maxUnavailable 2: data nodes two at a time (never one in a batch waiting for the other); destroy the reverse", async () => {
        const { c, configs } = await shared("o2");
        const up = [["meta1"], ["meta2"], ["meta3"], ["data1", "data2"], ["data3", "data4"], ["tele1"]];
        assert.deepEqual(waves(configs, "up"), up);
        assert.deepEqual(waves(configs, "destroy"), [...up].reverse());
        assert.deepEqual(c.rolloutOrder.slice(3), ["4. data data1, data2", "5. data data3, data4", "6. telegraf tele1"]);
    });

    it("health gates: cluster health on every step of a rotation; on a switch once the meta tier and once every data node has switched", async () => {
        const { configs } = await shared("o2");
        const gate = (n: string) => configs.get(n)!.inputs.service.healthGate;
        const all = ["meta1.example:8091", "meta2.example:8091", "meta3.example:8091",
            "data1.example:8086", "data2.example:8086", "data3.example:8086", "data4.example:8086"];
        assert.deepEqual(gate("meta1"), {
            command: ["env", "SSL_CERT_FILE=/etc/ssl/influxdb-ca.pem", "influxd-ctl", "-bind", "meta1.example:8091", "-bind-tls", "show"],
            expectNodes: all, when: "protocolUnchanged",
            protocolKeys: [{ table: "meta", key: "https-enabled" }, { table: "meta", key: "data-use-tls" }], timeoutSeconds: 900,
        });
        assert.equal(gate("meta2").when, "protocolUnchanged");
        assert.deepEqual([gate("meta3").when, gate("meta3").expectNodes], ["always", all.slice(0, 3)]);
        assert.deepEqual(["data1", "data2", "data3", "data4"].map((n) => gate(n).when), ["protocolUnchanged", "protocolUnchanged", "always", "always"]);
        assert.deepEqual(gate("data4").expectNodes, all);
        assert.deepEqual(gate("data1").command.slice(2), ["influxd-ctl", "-bind", "meta1.example:8091", "-bind-tls", "show"]);
        // influxd-ctl is on the meta nodes: a data node's gate runs on meta1, whose connection is a secret input, not in `service`.
        assert.equal(gate("data1").connection, undefined);
        const gc = unwrapSecret(configs.get("data1")!.inputs.healthGateConnection);
        assert.equal(gc.secret, true);
        assert.equal(gc.value.host, "meta1.example");
        assert.equal(configs.get("meta1")!.inputs.healthGateConnection, undefined);
        assert.equal(gate("tele1"), undefined, "no gate on Telegraf");
        // The cluster may list its nodes under other names than the ones clients use (their `hostname` setting).
        const { configs: named } = await build("g3", small({
            metaNodes: [{ name: "meta1", connection: conn("10.0.0.11"), clusterHostname: "meta1" }],
            dataNodes: [{ name: "data1", connection: conn("10.0.0.1"), clusterHostname: "data1" }],
        }));
        assert.deepEqual(named.get("data1")!.inputs.service.healthGate.expectNodes, ["meta1:8091", "data1:8086"]);
        assert.deepEqual(named.get("data1")!.inputs.service.healthGate.command.slice(2), ["influxd-ctl", "-bind", "10.0.0.11:8091", "-bind-tls", "show"]);
        const { configs: d } = await shared("o1");
        assert.equal(d.get("meta1")!.inputs.service.healthGate.timeoutSeconds, 600, "healthTimeoutSeconds defaults to 600");
    });

    it("version 1.6.2: no [cluster] TLS keys and no data-use-tls; 1.11.8: both, on by default", async () => {
        const { c: old, configs: o } = await build("v16", small({ version: "1.6.2" }));
        assert.equal(old.internodeTls, false);
        assert.deepEqual(Object.keys(o.get("data1")!.inputs.settings).sort(), ["http", "meta"]);
        assert.deepEqual(Object.keys(o.get("meta1")!.inputs.settings.meta).sort(), ["https-certificate", "https-enabled", "https-private-key"]);
        const { c: cur, configs: n } = await shared("o1");
        assert.equal(cur.internodeTls, true);
        assert.deepEqual(n.get("data2")!.inputs.settings.cluster, {
            "https-enabled": true, "https-certificate": "/etc/ssl/influxdb.crt", "https-private-key": "/etc/ssl/influxdb.key",
        });
        assert.equal(n.get("meta2")!.inputs.settings.meta["data-use-tls"], true);
        const { configs: off } = await build("v111off", small({ version: "1.11.8", internodeTls: false }));
        assert.equal(off.get("data1")!.inputs.settings.cluster, undefined);
        assert.equal(off.get("meta1")!.inputs.settings.meta["data-use-tls"], undefined);
    });

    it("a key the version does not read is refused before anything is registered, naming key and version", () => {
        const count = registered.length;
        const a = cluster({ version: "1.6.2" });
        const bad = { ...a, dataNodes: [{ ...a.dataNodes[0], extraEdits: [{ table: "cluster", set: { "https-enabled": true } }] }, ...a.dataNodes.slice(1)] };
        assert.throws(() => new ClusterTls("k1", bad),
            /\[cluster\] "https-enabled" is not read by InfluxDB Enterprise 1\.6\.2 \(the data node reads it since 1\.7\.3/);
        assert.throws(() => new ClusterTls("k2", cluster({ version: "1.6.2", internodeTls: true })), /internodeTls: InfluxDB Enterprise 1\.6\.2 has no TLS between nodes/);
        assert.throws(() => new ClusterTls("k3", cluster({ version: "1.5.4", tlsProfile: "modern" })), /tlsProfile "modern": InfluxDB Enterprise 1\.5\.4 has no \[tls\] section/);
        assert.throws(() => new ClusterTls("k4", cluster({ version: "2.7.1" })), /version "2\.7\.1" is not an InfluxDB Enterprise 1\.x release/);
        assert.throws(() => new ClusterTls("k5", cluster({ version: "1.11.8", tlsProfile: "modern",
            metaNodes: [{ name: "m", connection: conn("m.example"), extraEdits: [{ table: "tls", set: { "advanced-expiration": "10d" } }] }] })),
        /\[tls\] "advanced-expiration" is not read by InfluxDB Enterprise 1\.11\.8 \(the meta node reads it since 1\.12\.3/);
        // The node components check the same when given a version.
        assert.throws(() => new DataNodeTls("k6", { connection: conn("d.example"), certificate: { selfSigned: {} }, version: "1.7.2", clusterHttpsEnabled: true }),
            /\[cluster\] "https-enabled" is not read by InfluxDB Enterprise 1\.7\.2/);
        assert.equal(registered.filter((r) => r.type === CONFIG).length, registered.slice(0, count).filter((r) => r.type === CONFIG).length,
            "no config resource registered");
    });

    it("tlsProfile fips: TLS 1.2 only with the FIPS cipher list; an RSA-4096 key is refused (generated or provided)", async () => {
        const { configs } = await build("f1", small({ tlsProfile: "fips" }));
        for (const n of ["meta1", "data1"]) {
            const t = configs.get(n)!.inputs.settings.tls;
            assert.equal(t["min-version"], "tls1.2");
            assert.equal(t["max-version"], "tls1.2");
            assert.equal(t.ciphers.length, 6);
        }
        const { configs: m } = await build("f2", small({ tlsProfile: "modern" }));
        assert.deepEqual(Object.keys(m.get("data1")!.inputs.settings.tls).sort(), ["ciphers", "min-version"]);
        assert.throws(() => new ClusterTls("f3", cluster({ tlsProfile: "fips", certificates: { internalCa: { nodeCertificates: { rsaBits: 4096 } } } })),
            /node meta1: certificate key: an RSA 4096-bit key is not allowed by tlsProfile "fips"/);
        assert.throws(() => new ClusterTls("f4", cluster({ tlsProfile: "fips", certificates: { internalCa: { rsaBits: 4096 } } })),
            /certificates\.internalCa key: an RSA 4096-bit key is not allowed/);
        const rsa4096 = certificate("rsa:4096");
        assert.throws(() => new ClusterTls("f5", cluster({ tlsProfile: "fips", certificates: { provided: { certificatePem: rsa4096.cert, privateKeyPem: rsa4096.key } } })),
            /node meta1: certificate\.provided\.certificatePem: an RSA 4096-bit key is not allowed by tlsProfile "fips"/);
        // Given as an Output (known only later), it is refused once it resolves: the file contents come from it, so before any file is written.
        const late = fipsGuard("ClusterTls f6: node meta1", { provided: { certificatePem: pulumi.output(rsa4096.cert), privateKeyPem: pulumi.secret(rsa4096.key) } });
        assert.deepEqual(late.problems, []);
        await withStrayRejections(() => assert.rejects((late.certificate.provided!.certificatePem as any).promise(),
            /node meta1: certificate\.provided\.certificatePem: an RSA 4096-bit key is not allowed by tlsProfile "fips"/));
        const ok = fipsGuard("x", { provided: { certificatePem: pulumi.output(PEM.cert), privateKeyPem: PEM.key } });
        assert.equal(await settle(ok.certificate.provided!.certificatePem as pulumi.Output<string>), PEM.cert, "RSA 2048 passes");
    });

    it("every node's provided pair is checked before the first step: a key that does not match on data4 holds back meta1 too", async () => {
        const other = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;
        const node = (name: string) => ({ name, connection: conn(`${name}.example`), hostname: "a.example" });
        const data = ["data1", "data2", "data3", "data4"].map(node);
        data[3] = { ...data[3]!, certificate: { provided: { certificatePem: PEM.cert, privateKeyPem: other } } } as typeof data[3];
        // Plain PEMs: refused at construction, before any node component exists.
        assert.throws(() => new ClusterTls("u1", cluster({
            metaNodes: ["meta1", "meta2", "meta3"].map(node), dataNodes: data,
            certificates: { provided: { certificatePem: PEM.cert, privateKeyPem: PEM.key, caCertificatePem: PEM.cert } },
        })), /ClusterTls u1: node data4: certificate\.provided\.privateKeyPem does not match the certificate/);
        // A secret key (an Output): meta1's certificate waits for every node's check and fails with data4's.
        const gate = providedUpFront("ClusterTls u2", [
            { node: node("meta1"), certificate: { provided: { certificatePem: PEM.cert, privateKeyPem: pulumi.secret(PEM.key) } } },
            { node: node("data4"), certificate: { provided: { certificatePem: PEM.cert, privateKeyPem: pulumi.secret(other) } } },
        ], undefined);
        assert.deepEqual(gate.problems, []);
        const meta1 = gate.gate({ provided: { certificatePem: PEM.cert, privateKeyPem: pulumi.secret(PEM.key) } });
        await withStrayRejections(() => assert.rejects((meta1.provided!.certificatePem as any).promise(),
            /ClusterTls u2: node data4: certificate\.provided\.privateKeyPem does not match the certificate/), /node data4: certificate\.provided\.privateKeyPem does not match/);
        const fine = providedUpFront("ClusterTls u3", [{ node: node("data4"), certificate: { provided: { certificatePem: PEM.cert, privateKeyPem: pulumi.secret(PEM.key) } } }], undefined);
        const c = fine.gate({ provided: { certificatePem: PEM.cert, privateKeyPem: PEM.key } });
        assert.equal(await settle(c.provided!.certificatePem as pulumi.Output<string>), PEM.cert, "a matching pair passes");
        assert.equal(await (c.provided!.certificatePem as any).isSecret, false, "the certificate stays plain");
    });

    it("no insecure flag anywhere with internalCa, nor with provided certificates and their CA", async () => {
        const { configs: ca } = await shared("o1");
        const hosts = (names: string[], hs: string[]) => names.map((n, i) => ({ name: n, connection: conn(`10.0.0.${i + 1}`), hostname: hs[i] }));
        const { configs: pr } = await build("s2", cluster({
            metaNodes: hosts(["meta1"], ["a.example"]),
            dataNodes: hosts(["data1", "data2"], ["b.example", "127.0.10.1"]),
            certificates: { provided: { certificatePem: PEM.cert, privateKeyPem: PEM.key, caCertificatePem: PEM.cert } },
        }));
        for (const [label, configs] of [["internalCa", ca], ["provided", pr]] as const) {
            assert.ok(configs.size >= 4);
            for (const [n, r] of configs) {
                assert.ok(!/insecure|-unsafeSsl|"-k"/.test(allText(r)), `${label} ${n}: no insecure flag in ${allText(r)}`);
            }
            assert.equal(configs.get("tele1")!.inputs.settings["outputs.influxdb#0"].tls_ca, "/etc/telegraf/influxdb-ca.pem");
        }
        assert.deepEqual(pr.get("tele1")!.inputs.settings["outputs.influxdb#0"].urls, ["https://b.example:8086", "https://127.0.10.1:8086"]);
    });

    it("a private CA goes into every meta and data node's system trust directory (InfluxDB verifies peers against the system roots); not with trustCaSystemWide: false, nor without a CA", async () => {
        const SYSTEM_CA = "/etc/ssl/certs/influxdb-tls-ca.pem";
        const paths = (r: Registered) => ((r.inputs.files ?? []) as { path: string; mode: string; owner: string; group: string }[]);
        const { configs } = await shared("o1");
        for (const [n, r] of configs) {
            const f = paths(r).find((x) => x.path === SYSTEM_CA);
            if (n.startsWith("tele")) assert.equal(f, undefined, `${n}: Telegraf trusts the CA through tls_ca`);
            else assert.deepEqual(f && { mode: f.mode, owner: f.owner, group: f.group }, { mode: "0644", owner: "root", group: "root" }, `${n}: ${JSON.stringify(paths(r))}`);
        }
        const { configs: off } = await build("tf", small({ trustCaSystemWide: false }));
        const { configs: ss } = await build("ts", small({ certificates: { selfSigned: {} } }));
        for (const [label, cs] of [["trustCaSystemWide: false", off], ["selfSigned", ss]] as const) {
            for (const [n, r] of cs) assert.ok(!paths(r).some((x) => x.path === SYSTEM_CA), `${label} ${n}`);
        }
    });

    it("selfSigned: the guide's path, insecure flags on every link and a warning in the outputs", async () => {
        const { c, configs } = await build("ss", small({ certificates: { selfSigned: {} } }));
        assert.equal(configs.get("meta1")!.inputs.settings.meta["https-insecure-tls"], true);
        assert.equal(configs.get("meta1")!.inputs.settings.meta["data-insecure-tls"], true);
        assert.equal(configs.get("data1")!.inputs.settings.meta["meta-insecure-tls"], true);
        assert.equal(configs.get("data1")!.inputs.settings.cluster["https-insecure-tls"], true);
        assert.equal(configs.get("tele1")!.inputs.settings["outputs.influxdb#0"].insecure_skip_verify, true);
        assert.ok(configs.get("data1")!.inputs.service.healthGate.command.includes("-k"));
        assert.equal(c.warnings.length, 1);
        assert.match(c.warnings[0], /skip verification/);
        assert.equal(await settle(c.caCertificatePem), undefined);
    });

    it("rotationTrigger gives every node's key a new trigger (one restart per node, in the rolling order)", async () => {
        await build("r1", small({ rotationTrigger: "2027-q1" }));
        const keys = registered.filter((r) => r.type === "tls:index/privateKey:PrivateKey" && r.name.startsWith("r1-") && r.name !== "r1-ca-key");
        assert.equal(keys.length, 3);
        for (const k of keys) assert.equal(k.replacementTrigger, "2027-q1", k.name);
        const ca = registered.find((r) => r.name === "r1-ca-key")!;
        assert.equal(ca.replacementTrigger, "", "the CA itself is not rotated");
    });

    it("refuses bad arguments all at once, naming each", () => {
        assert.throws(() => new ClusterTls("b1", cluster({ metaNodes: [], rollout: { maxUnavailable: 0 },
            certificates: { selfSigned: {}, onHost: { certificatePath: "/x" } } })), (e: Error) => {
            assert.match(e.message, /metaNodes must name at least one meta node/);
            assert.match(e.message, /rollout\.maxUnavailable must be a whole number ≥ 1/);
            assert.match(e.message, /certificates must set one of internalCa, provided, selfSigned, onHost \(got selfSigned, onHost\)/);
            return true;
        });
        const dup = cluster();
        assert.throws(() => new ClusterTls("b2", { ...dup, telegrafs: [{ name: "data1", connection: conn("t") }] }), /node name "data1" is used twice/);
        assert.throws(() => new ClusterTls("b3", cluster({ certificates: { provided: { caCertificatePem: PEM.cert } } })),
            /node meta1: certificates\.provided gives no certificate for every node/);
    });
});

function certificate(newkey: string): { key: string; cert: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-cluster-"));
    try {
        execFileSync("openssl", ["req", "-x509", "-newkey", newkey, "-nodes", "-days", "3", "-subj", "/CN=mock",
            "-addext", "subjectAltName=DNS:meta1.example,DNS:meta2.example,DNS:meta3.example,DNS:data1.example,DNS:data2.example,DNS:data3.example,DNS:data4.example",
            "-keyout", `${dir}/k`, "-out", `${dir}/c`], { stdio: "ignore" });
        return { key: fs.readFileSync(`${dir}/k`, "utf8"), cert: fs.readFileSync(`${dir}/c`, "utf8") };
    } finally {
        fs.rmSync(dir, { recursive: true });
    }
}

/** The SDK also rejects an Output's internal promises nobody awaits: those of the refused Output are expected here (as test/harness/mocks.ts does). */
async function withStrayRejections(f: () => Promise<void>, expected: RegExp = /not allowed by tlsProfile "fips"/): Promise<void> {
    const saved = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    const strays: unknown[] = [];
    const onStray = (e: unknown) => strays.push(e);
    process.on("unhandledRejection", onStray);
    try {
        await f();
        await new Promise((r) => setTimeout(r, 100));
        for (const e of strays) assert.match(String(e), expected);
    } finally {
        process.removeListener("unhandledRejection", onStray);
        for (const l of saved) process.on("unhandledRejection", l);
    }
}
