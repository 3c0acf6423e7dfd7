/**
 * The meta STAND-INs form a cluster (test/sandbox/standins/metacluster.ts): each knows its meta
 * peers and the data nodes, probes them with the TLS settings of its own config file, and
 * `influxd-ctl show` lists every node with Version `unknown` when the queried meta node cannot
 * reach it. Driven as a user would: CA-signed certificates by the real `openssl`, the CA added to
 * each host's system bundle, configs edited in place, restarts through the systemctl shim, and a
 * real influxd stopped by the shim. Its own hosts (2 meta + 2 data at 127.0.<net+10>.x, its own
 * directory), so the shared sandbox is untouched.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { findHost, hostLayout, onHost, run, sandboxDown, sandboxUp, systemctl, type HostState, type SandboxState } from "../sandbox";
import { sandboxNet, topologyHosts } from "../sandbox/hosts";
import { writeMetaHttps } from "./helpers/metaconf";

const HOSTS = topologyHosts({ meta: 2, data: 2, telegraf: 0 }, sandboxNet() + 10);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The Version column of the row whose HTTP Address is `httpAddr` (data and meta tables alike). */
function versionOf(show: string, httpAddr: string): string | undefined {
    for (const line of show.split("\n")) {
        const f = line.trim().split(/\s+/);
        if (/^\d+$/.test(f[0] ?? "") && f[2] === httpAddr) return f[3];
    }
    return undefined;
}

describe("meta stand-ins as a cluster: reachability by each node's own TLS settings", { timeout: 120_000 }, () => {
    let dir: string;
    let certs: string;
    let state: SandboxState;
    let meta1: HostState;
    let meta2: HostState;

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-metacluster-test-"));
        state = await sandboxUp({ dir, hosts: HOSTS, exact: true });
        [meta1, meta2] = ["meta1", "meta2"].map((n) => findHost(state, n)) as [HostState, HostState];
        // A CA (EC P-256: fast) and one certificate per meta node with its name and address as SANs.
        certs = path.join(dir, "certs");
        fs.mkdirSync(certs);
        const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
        await run(["openssl", "req", "-x509", ...ec, "-days", "2", "-subj", "/CN=pitls metacluster test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign",
            "-keyout", path.join(certs, "ca.key"), "-out", path.join(certs, "ca.crt")]);
        const influxdb = Number((await run(["id", "-u", "influxdb"])).stdout);
        for (const h of [meta1, meta2]) {
            const base = path.join(certs, h.name);
            await run(["openssl", "req", "-new", ...ec, "-subj", `/CN=${h.name}`, "-keyout", `${base}.key`, "-out", `${base}.csr`]);
            fs.writeFileSync(`${base}.ext`, `subjectAltName=DNS:${h.name},DNS:localhost,IP:${h.address}\n`);
            await run(["openssl", "x509", "-req", "-in", `${base}.csr`, "-CA", path.join(certs, "ca.crt"), "-CAkey", path.join(certs, "ca.key"),
                "-CAcreateserial", "-days", "2", "-extfile", `${base}.ext`, "-out", `${base}.crt`]);
            // Into the host's own /etc/ssl (its directory is mounted there); the CA into its system bundle.
            const ssl = hostLayout(h.dir).etcSsl;
            fs.copyFileSync(`${base}.crt`, path.join(ssl, "meta.crt"));
            fs.copyFileSync(`${base}.key`, path.join(ssl, "meta.key"));
            fs.chownSync(path.join(ssl, "meta.key"), influxdb, influxdb);
            fs.chmodSync(path.join(ssl, "meta.key"), 0o600);
            fs.appendFileSync(path.join(ssl, "certs", "ca-certificates.crt"), fs.readFileSync(path.join(certs, "ca.crt")));
        }
    });

    after(async () => {
        if (dir) await sandboxDown({ dir });
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    const show = async (h: HostState, tls: boolean) => {
        const r = await onHost(h.name, ["influxd-ctl", ...(tls ? ["-bind-tls"] : []), "-bind", `${h.name}:8091`, "show"], { state, allowFailure: true });
        assert.equal(r.code, 0, `influxd-ctl show on ${h.name}: ${r.stderr}`);
        return r.stdout;
    };
    const versions = (out: string) => Object.fromEntries(["meta1:8091", "meta2:8091", "data1:8086", "data2:8086"].map((a) => [a, versionOf(out, a)]));
    const META_V = "1.6.2-c1.6.2-standin";
    const DATA_V = "1.6.7~rc0";

    /** Switches a meta node's config to HTTPS with its CA-signed pair and waits until it serves it. */
    async function toHttps(h: HostState): Promise<void> {
        writeMetaHttps(h, "/etc/ssl/meta.crt", "/etc/ssl/meta.key");
        assert.equal((await systemctl(h.name, "restart", "influxdb-meta", { state })).code, 0);
        for (let i = 0; ; i++) {
            const r = await onHost(h.name, ["influxd-ctl", "-bind-tls", "-bind", `${h.name}:8091`, "show"], { state, allowFailure: true });
            if (r.code === 0) return;
            if (i > 100) assert.fail(`${h.name} does not serve HTTPS: ${r.stderr}`);
            await sleep(100);
        }
    }

    it("all on HTTP: every meta peer and data node is reachable from each meta node; the real table format", async () => {
        const out = await show(meta1, false);
        assert.deepEqual(versions(out), { "meta1:8091": META_V, "meta2:8091": META_V, "data1:8086": DATA_V, "data2:8086": DATA_V });
        assert.match(out, /^Data Nodes\n==========\nID +TCP Address +HTTP Address +Version +Labels +Passive\n3 +data1:8088 +data1:8086 +1\.6\.7~rc0 +\{\} +false\n/);
        assert.match(out, /\n\nMeta Nodes\n==========\nID +Raft Address +HTTP Address +Version +Labels\n1 +meta1:8089 +meta1:8091 /);
        assert.match(out, /\n\nRaft Status\n==========\nLeader  meta1:8089\nPeers   \["meta2:8089"\]\n$/);
        assert.deepEqual(versions(await show(meta2, false)), versions(out));
    });

    it("meta1 on HTTPS, meta2 still on HTTP: each lists the other as unknown, data nodes reachable, exit 0", async () => {
        await toHttps(meta1);
        const from1 = versions(await show(meta1, true));
        assert.deepEqual(from1, { "meta1:8091": META_V, "meta2:8091": "unknown", "data1:8086": DATA_V, "data2:8086": DATA_V });
        const from2 = versions(await show(meta2, false));
        assert.deepEqual(from2, { "meta1:8091": "unknown", "meta2:8091": META_V, "data1:8086": DATA_V, "data2:8086": DATA_V });
        assert.match(fs.readFileSync(path.join(hostLayout(meta1.dir).log, "influxdb-meta.log"), "utf8"), /Listening on HTTPS/);
    });

    it("both on HTTPS (peers verified against the CA in the system bundle): reachable again", async () => {
        await toHttps(meta2);
        for (const h of [meta1, meta2]) {
            assert.deepEqual(versions(await show(h, true)), { "meta1:8091": META_V, "meta2:8091": META_V, "data1:8086": DATA_V, "data2:8086": DATA_V }, h.name);
        }
    });

    it("a peer whose certificate the node cannot verify is unknown; a stopped data node is unknown", async () => {
        // meta1 forgets the CA: meta2's certificate no longer verifies from meta1 (meta2 still trusts meta1's).
        const bundle = path.join(hostLayout(meta1.dir).etcSsl, "certs", "ca-certificates.crt");
        const ca = fs.readFileSync(path.join(certs, "ca.crt"), "utf8");
        const withCa = fs.readFileSync(bundle, "utf8");
        fs.writeFileSync(bundle, withCa.replace(ca, ""));
        try {
            // -k: influxd-ctl itself skips verification; what is checked is meta1's own probe of meta2.
            const out = await onHost(meta1.name, ["influxd-ctl", "-bind-tls", "-k", "-bind", "meta1:8091", "show"], { state });
            assert.equal(versionOf(out.stdout, "meta2:8091"), "unknown");
            assert.equal(versionOf((await show(meta2, true)), "meta1:8091"), META_V);
        } finally {
            fs.writeFileSync(bundle, withCa);
        }
        await systemctl("data2", "stop", "influxdb", { state });
        try {
            const out = await show(meta1, true);
            assert.equal(versionOf(out, "data2:8086"), "unknown");
            assert.equal(versionOf(out, "data1:8086"), DATA_V);
        } finally {
            await systemctl("data2", "start", "influxdb", { state });
        }
    });
});
