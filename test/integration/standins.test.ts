/**
 * The stand-ins for the products that cannot be installed here (InfluxDB Enterprise's
 * meta node and influxd-ctl), driven as a user would: configs edited in place,
 * services restarted through the systemctl shim, verification with real certificates made
 * by the real `openssl`, real TLS handshakes, and the real `influx` client and influxd
 * 1.6.7 on the data side. Runs its own two hosts (127.0.<net+10>.x, its own directory) so it
 * can break and restart services without disturbing the shared sandbox.
 */
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import * as tls from "node:tls";
import { after, before, describe, it } from "node:test";
import {
    findHost, hostLayout, isAlive, onHost, resetHost, run, sandboxDown, sandboxUp, sshArgv, systemctl,
    unitPid, type HostSpec, type HostState, type SandboxState,
} from "../sandbox";
import { applyLineEdits } from "../sandbox/influxconf";
import { sandboxNet } from "../sandbox/hosts";
import { logSince, logSize, settle } from "./helpers/units";

/** Beside the shared sandbox's 127.0.<net>.x: its own addresses, so both can run at once. */
const SIDE_NET = sandboxNet() + 10;

const HOSTS: HostSpec[] = [
    { name: "sdata1", address: `127.0.${SIDE_NET}.31`, roles: ["data"] },
    { name: "smeta1", address: `127.0.${SIDE_NET}.41`, roles: ["meta"] },
];
const META = HOSTS[1]!.address;
const FIXTURE = path.join(__dirname, "..", "..", "..", "test", "fixtures", "enterprise-1.6.2-influxdb-meta.conf");

/** Whole-line edits of a shipped default (each `from` must occur exactly once), as a human would make them. */
const edit = (text: string, pairs: [string, string][]) => applyLineEdits(text, pairs.map(([from, to]) => ({ from, to })), [], "config");


function get(address: string, port: number, p: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    return new Promise((resolve, reject) => {
        const req = http.get({ host: address, port, path: p, agent: false, timeout: 3000 }, (res) => {
            let body = "";
            res.on("data", (c: Buffer) => (body += c.toString()));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        });
        req.on("timeout", () => req.destroy(new Error("timeout")));
        req.on("error", reject);
    });
}

/** The certificate a real TLS handshake with address:port presents (no verification: we compare it ourselves). */
function servedCert(address: string, port: number): Promise<X509Certificate> {
    return new Promise((resolve, reject) => {
        const s = tls.connect({ host: address, port, rejectUnauthorized: false }, () => {
            const c = new X509Certificate(s.getPeerCertificate().raw);
            s.end();
            resolve(c);
        });
        s.on("error", reject);
    });
}

describe("stand-ins: influxdb-meta, influxd-ctl", { timeout: 240_000 }, () => {
    let dir: string;
    let state: SandboxState;
    let meta: HostState;
    let data: HostState;

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-standins-test-"));
        fs.chmodSync(dir, 0o755); // services run as influxdb
        state = await sandboxUp({ dir, hosts: HOSTS });
        [data, meta] = ["sdata1", "smeta1"].map((n) => findHost(state, n)) as [HostState, HostState];
    });

    after(async () => {
        await sandboxDown({ dir }); // no-op when the last test already did it
        fs.rmSync(dir, { recursive: true, force: true });
    });

    const on = (h: HostState, argv: string[], input?: string) => onHost(h.name, argv, { state, allowFailure: true, input });
    const ctl = (...args: string[]) => on(meta, ["influxd-ctl", ...args]);

    /** openssl in the host: EC P-256 (fast), optional SANs; key owned by `keyOwner`, 0600. */
    async function makeCert(h: HostState, base: string, opts: { cn: string; san?: string; keyOwner?: string }) {
        const argv = ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", `/CN=${opts.cn}`];
        if (opts.san) argv.push("-addext", `subjectAltName=${opts.san}`);
        const r = await on(h, [...argv, "-keyout", `${base}.key`, "-out", `${base}.crt`]);
        assert.equal(r.code, 0, r.stderr);
        await on(h, ["chown", `${opts.keyOwner ?? "influxdb"}:${opts.keyOwner ?? "influxdb"}`, `${base}.key`]);
        await on(h, ["chmod", "0600", `${base}.key`]);
        return { cert: `${base}.crt`, key: `${base}.key`, x509: new X509Certificate(fs.readFileSync(path.join(hostLayout(h.dir).etcSsl, `${path.basename(base)}.crt`))) };
    }

    /** Writes the meta config (baseline + edits) and restarts the unit; returns the log offset before the restart. */
    async function restartMeta(pairs: [string, string][], append = ""): Promise<number> {
        const text = edit(fs.readFileSync(hostLayout(meta.dir).baselineMetaConf, "utf8"), pairs) + append;
        fs.writeFileSync(path.join(hostLayout(meta.dir).etcInfluxdb, "influxdb-meta.conf"), text);
        const from = logSize(meta, "influxdb-meta");
        assert.equal((await systemctl(meta.name, "restart", "influxdb-meta", { state })).code, 0);
        return from;
    }

    const httpsOn = (cert: string, key?: string): [string, string][] => [
        ["  # https-enabled = false", "  https-enabled = true"],
        [`  # https-certificate = ""`, `  https-certificate = "${cert}"`],
        ...(key ? [[`  # https-private-key = ""`, `  https-private-key = "${key}"`] as [string, string]] : []),
    ];

    const metaServes = async () => (await ctl("-bind-tls", "-k", "show")).code === 0 || (await ctl("show")).code === 0;

    describe("influxdb-meta and influxd-ctl", () => {
        let selfSigned: Awaited<ReturnType<typeof makeCert>>;

        before(async () => {
            selfSigned = await makeCert(meta, "/etc/ssl/meta-test", { cn: "smeta1", san: `DNS:localhost,DNS:smeta1,IP:${META}` });
        });
        after(() => resetHost(meta.name, state));

        it("runs as influxdb from the 1.6.2 default config, on plain HTTP :8091; influxd-ctl show works", async () => {
            const pid = unitPid(meta, "influxdb-meta")!;
            assert.equal(fs.statSync(`/proc/${pid}`).uid, Number((await run(["id", "-u", "influxdb"])).stdout));
            assert.deepEqual(meta.units, ["influxdb-meta"]);
            // The host's file is the baseline, which is the shipped default with four lines changed.
            const l = hostLayout(meta.dir);
            const baseline = fs.readFileSync(l.baselineMetaConf, "utf8");
            assert.equal(fs.readFileSync(path.join(l.etcInfluxdb, "influxdb-meta.conf"), "utf8"), baseline);
            const fixture = fs.readFileSync(FIXTURE, "utf8").split("\n");
            assert.equal(baseline.split("\n").filter((line, i) => line !== fixture[i]).length, 4);

            const ping = await get(META, 8091, "/ping");
            assert.equal(ping.status, 204);
            assert.equal(ping.headers["x-influxdb-version"], "1.6.2-c1.6.2-standin");
            assert.equal(ping.headers["x-influxdb-build"], "ENT");
            assert.equal(JSON.parse((await get(META, 8091, "/status")).body).nodeType, "meta");

            // Default -bind is localhost:8091; localhost is the host's own address in its namespace.
            const show = await ctl("show");
            assert.equal(show.code, 0, show.stderr);
            // The real format (INTERFACES.md §B); nodes by name, as the cluster knows them (standins/metacluster.ts).
            assert.match(show.stdout, /^Data Nodes\n==========\nID +TCP Address +HTTP Address +Version +Labels +Passive\n2 +sdata1:8088 +sdata1:8086 +1\.6\.7~rc0 +\{\} +false\n/);
            assert.match(show.stdout, /\n\nMeta Nodes\n==========\nID +Raft Address +HTTP Address +Version +Labels\n1 +smeta1:8089 +smeta1:8091 +1\.6\.2-c1\.6\.2-standin +\{\}\n/);
            assert.match(show.stdout, /\n\nRaft Status\n==========\nLeader  smeta1:8089\nPeers   \[\]\n$/);
            const tlsToHttp = await ctl("-bind-tls", "show");
            assert.equal(tlsToHttp.code, 1);
            assert.match(tlsToHttp.stderr, /server gave HTTP response to HTTPS client/);
        });

        it("is on root's and the sudo user's PATH over ssh, like the packaged binary", async () => {
            for (const user of ["root", state.users.sudo]) {
                const cmd = user === "root" ? "influxd-ctl show" : "sudo -n influxd-ctl show";
                const r = await run([...sshArgv(state, meta.name, user), cmd], { allowFailure: true });
                assert.equal(r.code, 0, `${user}: ${r.stderr}`);
                assert.match(r.stdout, /smeta1:8091/);
            }
        });

        it("serves HTTPS with a self-signed cert: -k works, verification fails without it, SSL_CERT_FILE trusts it", async () => {
            await restartMeta(httpsOn(selfSigned.cert, selfSigned.key));
            assert.equal(await settle(state, meta, "influxdb-meta", metaServes), "active");
            // A real handshake presents exactly the configured certificate.
            assert.equal((await servedCert(META, 8091)).fingerprint256, selfSigned.x509.fingerprint256);

            const k = await ctl("-bind-tls", "-k", "show");
            assert.equal(k.code, 0, k.stderr);
            assert.match(k.stdout, /Meta Nodes/);
            const strict = await ctl("-bind-tls", "show");
            assert.equal(strict.code, 1);
            assert.match(strict.stderr, /x509: certificate signed by unknown authority/);
            const trusted = await on(meta, ["env", `SSL_CERT_FILE=${selfSigned.cert}`, "influxd-ctl", "-bind-tls", "show"]);
            assert.equal(trusted.code, 0, trusted.stderr);
            // Clients still on http: Go's 400 from the HTTPS port.
            const plain = await ctl("show");
            assert.equal(plain.code, 1);
            assert.match(plain.stderr, /Client sent an HTTP request to an HTTPS server/);
            const raw = await get(META, 8091, "/ping");
            assert.equal(raw.status, 400);
            assert.equal(raw.body, "Client sent an HTTP request to an HTTPS server.\n");
        });

        it("checks -bind's host against SANs only, never the Common Name", async () => {
            const noLocalhost = await makeCert(meta, "/etc/ssl/meta-nolocal", { cn: "localhost", san: `DNS:smeta1,IP:${META}` });
            await restartMeta(httpsOn(noLocalhost.cert, noLocalhost.key));
            assert.equal(await settle(state, meta, "influxdb-meta", metaServes), "active");
            const trust = ["env", `SSL_CERT_FILE=${noLocalhost.cert}`, "influxd-ctl", "-bind-tls"];
            const local = await on(meta, [...trust, "show"]);
            assert.equal(local.code, 1);
            assert.match(local.stderr, /x509: certificate is valid for smeta1, not localhost/);
            for (const bind of ["smeta1:8091", `${META}:8091`]) {
                const r = await on(meta, [...trust, "-bind", bind, "show"]);
                assert.equal(r.code, 0, `${bind}: ${r.stderr}`);
            }

            const cnOnly = await makeCert(meta, "/etc/ssl/meta-cnonly", { cn: "localhost" });
            await restartMeta(httpsOn(cnOnly.cert, cnOnly.key));
            assert.equal(await settle(state, meta, "influxdb-meta", metaServes), "active");
            const legacy = await on(meta, ["env", `SSL_CERT_FILE=${cnOnly.cert}`, "influxd-ctl", "-bind-tls", "show"]);
            assert.equal(legacy.code, 1);
            assert.match(legacy.stderr, /x509: certificate relies on legacy Common Name field, use SANs instead/);
        });

        it("verifies a CA-signed certificate via SSL_CERT_FILE=<CA> or the host's system store, without -k", async () => {
            const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"];
            const ca = await on(meta, ["openssl", "req", "-x509", ...ec, "-subj", "/CN=pitls test CA", "-keyout", "/etc/ssl/test-ca.key", "-out", "/etc/ssl/test-ca.crt"]);
            assert.equal(ca.code, 0, ca.stderr);
            const leaf = await on(meta, [
                "openssl", "req", "-x509", "-CA", "/etc/ssl/test-ca.crt", "-CAkey", "/etc/ssl/test-ca.key", ...ec, "-subj", "/CN=smeta1",
                "-addext", "basicConstraints=critical,CA:FALSE", "-addext", `subjectAltName=DNS:localhost,DNS:smeta1,IP:${META}`,
                "-keyout", "/etc/ssl/meta-ca.key", "-out", "/etc/ssl/meta-ca.crt",
            ]);
            assert.equal(leaf.code, 0, leaf.stderr);
            await on(meta, ["chown", "influxdb:influxdb", "/etc/ssl/meta-ca.key"]);
            await restartMeta(httpsOn("/etc/ssl/meta-ca.crt", "/etc/ssl/meta-ca.key"));
            assert.equal(await settle(state, meta, "influxdb-meta", metaServes), "active");
            assert.equal((await ctl("-bind-tls", "show")).code, 1); // the CA is not trusted yet
            const viaEnv = await on(meta, ["env", "SSL_CERT_FILE=/etc/ssl/test-ca.crt", "influxd-ctl", "-bind-tls", "-bind", "smeta1:8091", "show"]);
            assert.equal(viaEnv.code, 0, viaEnv.stderr);
            // Go also reads every file in /etc/ssl/certs: a CA placed there (this host's /etc/ssl only) is trusted.
            await on(meta, ["cp", "/etc/ssl/test-ca.crt", "/etc/ssl/certs/pitls-test-ca.pem"]);
            const viaStore = await ctl("-bind-tls", "show");
            assert.equal(viaStore.code, 0, viaStore.stderr);
            await on(meta, ["rm", "/etc/ssl/certs/pitls-test-ca.pem"]);
        });

        it("reads the key from the certificate file when https-private-key is empty (a bundle .pem)", async () => {
            const ssl = hostLayout(meta.dir).etcSsl;
            fs.writeFileSync(path.join(ssl, "meta-bundle.pem"), Buffer.concat([fs.readFileSync(path.join(ssl, "meta-test.crt")), fs.readFileSync(path.join(ssl, "meta-test.key"))]));
            await on(meta, ["chown", "influxdb:influxdb", "/etc/ssl/meta-bundle.pem"]);
            await on(meta, ["chmod", "0600", "/etc/ssl/meta-bundle.pem"]);
            await restartMeta(httpsOn("/etc/ssl/meta-bundle.pem"));
            assert.equal(await settle(state, meta, "influxdb-meta", metaServes), "active");
            assert.equal((await servedCert(META, 8091)).fingerprint256, selfSigned.x509.fingerprint256);
        });

        it("exits like influxd when the key is root:root 0600 (guide erratum 4): permission denied", async () => {
            await makeCert(meta, "/etc/ssl/meta-rootkey", { cn: "smeta1", san: "DNS:localhost", keyOwner: "root" });
            const from = await restartMeta(httpsOn("/etc/ssl/meta-rootkey.crt", "/etc/ssl/meta-rootkey.key"));
            assert.equal(await settle(state, meta, "influxdb-meta", metaServes), "failed");
            assert.equal((await systemctl(meta.name, "is-active", "influxdb-meta", { state, allowFailure: true })).code, 3);
            assert.match(logSince(meta, "influxdb-meta", from), /run: open server: open service: open \/etc\/ssl\/meta-rootkey\.key: permission denied/);
        });

        it("exits when the key does not match the certificate", async () => {
            await makeCert(meta, "/etc/ssl/meta-other", { cn: "other", san: "DNS:other" });
            const from = await restartMeta(httpsOn(selfSigned.cert, "/etc/ssl/meta-other.key"));
            assert.equal(await settle(state, meta, "influxdb-meta", metaServes), "failed");
            assert.match(logSince(meta, "influxdb-meta", from), /tls: private key does not match public key/);
        });

        it('exits on https-enabled = "true" (a string): incompatible types, like the real TOML decoder', async () => {
            const from = await restartMeta([["  # https-enabled = false", '  https-enabled = "true"']]);
            assert.equal(await settle(state, meta, "influxdb-meta", metaServes), "failed");
            assert.match(
                logSince(meta, "influxdb-meta", from),
                /run: parse config: toml: line \d+ \(last key "meta\.https-enabled"\): incompatible types: TOML value has type string; destination has type boolean/,
            );
        });

        it("ignores unknown keys and the guide's [http] section (errata 1, 2): stays on HTTP", async () => {
            const append = `\n\n[http]\n  https-enabled = true\n  https-certificate = "${selfSigned.cert}"\n`;
            await restartMeta([["  # https-private-key = \"\"", `  http-private-key = "${selfSigned.key}"`]], append);
            assert.equal(await settle(state, meta, "influxdb-meta", metaServes), "active");
            assert.equal((await get(META, 8091, "/ping")).status, 204);
        });

        it("resetHost puts the baseline back byte for byte and the stand-in back on HTTP", async () => {
            await restartMeta(httpsOn(selfSigned.cert, selfSigned.key));
            await resetHost(meta.name, state);
            const l = hostLayout(meta.dir);
            assert.deepEqual(fs.readFileSync(path.join(l.etcInfluxdb, "influxdb-meta.conf")), fs.readFileSync(l.baselineMetaConf));
            assert.equal((await get(META, 8091, "/ping")).status, 204);
            assert.equal(fs.existsSync(path.join(l.etcSsl, "meta-test.key")), false);
        });
    });

    it("down stops the stand-in services by PID", async () => {
        await sandboxUp({ dir, hosts: HOSTS }); // reused: still healthy after the resets
        const pids = [unitPid(meta, "influxdb-meta")!, unitPid(data, "influxdb")!];
        assert.ok(pids.every(isAlive), `not all running: ${pids.join(" ")}`);
        const { stopped } = await sandboxDown({ dir });
        for (const pid of pids) {
            assert.equal(isAlive(pid), false, `PID ${pid} still runs`);
            assert.ok(stopped.includes(pid), `PID ${pid} not reported as stopped`);
        }
    });
});
