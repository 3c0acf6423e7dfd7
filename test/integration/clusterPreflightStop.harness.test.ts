/**
 * Issue 10's acceptance "a data node whose new key does not match its certificate" on a
 * real-shaped cluster (3 meta + 4 data + 1 Telegraf test hosts, a side sandbox of its own),
 * through the harness, with `provided` certificates (make-certs.sh: one CA, one certificate and
 * key per node), maxUnavailable 1 — data2 is the 2nd data step, in the middle of the order.
 *
 * Two ways a wrong key can be given for data2:
 * - `provided` PEMs (data2 given data3's key, as a secret Output like examples/cluster-tls):
 *   ClusterTls checks every node's pair before the first step starts, so `up` fails with nothing
 *   changed on any host, naming the node, the argument and the check. (Before, only data2's own
 *   component checked it, when data2's turn came: meta1-3 and data1 were switched first.)
 * - files already on data2 (`onHost`: its own tooling put data3's key there), which only the host
 *   can tell: the preflight refuses it in data2's own transaction, after its CA files were written
 *   and before its config or restart, naming the host, the key file and the check. The rollout
 *   stops there: meta1-3 and data1 are on HTTPS with the new settings (restarted, serving a
 *   certificate that verifies against the CA); data2, data3, data4 and tele1 are untouched (config
 *   byte-identical, same service PID, /etc/ssl as before: no CA, temp or backup file left).
 * Each time the key is then fixed, `up` completes, and `destroy` puts every config back byte for byte.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { ClusterTls, type CertificateArgs } from "../../provider";
import { DeploymentError, runProgram, type Deployment } from "../harness";
import { hostLayout, onHost, sandboxDown, unitPid, type HostState, type SandboxState } from "../sandbox";
import { clusterSandbox, dataNames, metaNames, servedCertificate, servicePids, teleNames } from "./helpers/cluster";
import { componentConnection, configsDifferingFromBaseline } from "./helpers/hosts";

const ROOT = path.resolve(__dirname, "../../..");

/** Every file under the host's /etc/ssl (seen from outside its namespace): path → mode, owner, SHA-256. */
function etcSsl(state: SandboxState, name: string): Record<string, string> {
    const root = hostLayout(state.hosts.find((h) => h.name === name)!.dir).etcSsl;
    const out: Record<string, string> = {};
    const walk = (dir: string) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            const p = path.join(dir, e.name);
            if (e.isDirectory()) walk(p);
            else {
                const st = fs.lstatSync(p);
                out[path.relative(root, p)] = `${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid} ${e.isFile() ? crypto.createHash("sha256").update(fs.readFileSync(p)).digest("hex").slice(0, 16) : "link"}`;
            }
        }
    };
    walk(root);
    return out;
}

/** GET /ping over plain HTTP on the node's port (meta 8091, data 8086): the status, undefined when nothing answers HTTP. */
function plainPingStatus(h: HostState): Promise<number | undefined> {
    if (h.roles.includes("telegraf")) return Promise.resolve(undefined);
    return new Promise((resolve) => {
        const req = http.get({ host: h.address, port: h.roles.includes("meta") ? 8091 : 8086, path: "/ping", timeout: 3000 }, (res) => {
            res.resume();
            resolve(res.statusCode);
        });
        req.on("timeout", () => req.destroy());
        req.on("error", () => resolve(undefined));
    });
}

/** The PID of every host's service (meta stand-in, influxd, Telegraf), by host name. */
function pids(state: SandboxState): Record<string, number | undefined> {
    return { ...servicePids(state), ...Object.fromEntries(teleNames(state).map((n) => [n, unitPid(state.hosts.find((h) => h.name === n)!, "telegraf")])) };
}

describe("ClusterTls stopped by a mismatched key on data2 (harness, provided certificates, 3+4+1 hosts)", { timeout: 600_000 }, () => {
    let dir = "";
    let state: SandboxState;
    let certDir = "";
    let d: Deployment | undefined;
    const read = (f: string) => fs.readFileSync(path.join(certDir, f), "utf8");
    before(async () => {
        ({ dir, state } = await clusterSandbox("cluster-preflight"));
        certDir = path.join(dir, "certs");
        execFileSync("bash", [path.join(ROOT, "examples/ca-signed/make-certs.sh"), certDir, ...state.hosts.map((h) => `${h.name}=${h.address}`)], { stdio: "ignore" });
    });
    after(async () => {
        try {
            if (d) await d.destroy().catch((e: Error) => console.log(`cleanup destroy: ${e.message}`));
        } finally {
            if (dir) await sandboxDown({ dir });
            if (dir) fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    const program = (certificateOf: (name: string) => CertificateArgs) => () => {
        const node = (name: string) => ({ name, connection: componentConnection(state, name), hostname: name, verifyTimeoutSeconds: 20, certificate: certificateOf(name) });
        new ClusterTls("c", {
            version: "1.6.7",
            metaNodes: metaNames(state).map(node),
            dataNodes: dataNames(state).map(node),
            telegrafs: teleNames(state).map((name) => ({
                name, connection: componentConnection(state, name), verifyCommand: ["telegraf", "--config", "/etc/telegraf/telegraf.conf", "--once"],
            })),
            certificates: { provided: { caCertificatePem: read("ca.crt") } },
            rollout: { maxUnavailable: 1, healthTimeoutSeconds: 60 },
        });
    };
    const own = (name: string, keyOf = name): CertificateArgs => ({ provided: { certificatePem: read(`${name}.crt`), privateKeyPem: pulumi.secret(read(`${keyOf}.key`)) } });

    const OWN_CERT = "/etc/ssl/data2-own.crt";
    const OWN_KEY = "/etc/ssl/data2-own.key";
    const names = () => state.hosts.map((h) => h.name);
    const host = (n: string) => state.hosts.find((h) => h.name === n)!;
    const providedMismatch = (n: string) => own(n, n === "data2" ? "data3" : n);
    const onHostData2 = (n: string): CertificateArgs => n === "data2"
        ? { onHost: { certificatePath: OWN_CERT, privateKeyPath: OWN_KEY, caCertificatePem: read("ca.crt") } }
        : own(n);
    const put = async (file: string, content: string, owner: string, mode: string) => {
        await onHost("data2", ["tee", file], { state, input: content });
        await onHost("data2", ["chown", owner, file], { state });
        await onHost("data2", ["chmod", mode, file], { state });
    };

    /** The first `up` of the stack, which must fail: the error's text and what the hosts had before. */
    async function failingFirstUp(certificateOf: (n: string) => CertificateArgs) {
        assert.deepEqual(configsDifferingFromBaseline(state, names()), []);
        const ssl0 = Object.fromEntries(names().map((n) => [n, etcSsl(state, n)]));
        const pids0 = pids(state);
        const t = Date.now();
        let err: unknown;
        try {
            d = await runProgram(program(certificateOf), { parallel: true });
        } catch (e) {
            err = e;
            if (e instanceof DeploymentError) d = e.deployment;
        }
        assert.ok(err instanceof DeploymentError, `up must fail: ${String(err)}`);
        console.log(`failed up: ${((Date.now() - t) / 1000).toFixed(1)} s\n${err.message}`);
        return { message: err.message, ssl0, pids0 };
    }

    /** Runs the first `up`, which must fail; checks the cluster stopped at data2. Returns the error's text. */
    async function upStoppedAtData2(certificateOf: (n: string) => CertificateArgs): Promise<string> {
        const { message, ssl0, pids0 } = await failingFirstUp(certificateOf);
        const pids1 = pids(state);
        const changed = configsDifferingFromBaseline(state, names()).map((f) => f.split(":")[0]);
        // Before data2 in the order: switched, restarted, serving HTTPS that verifies against the CA.
        for (const n of ["meta1", "meta2", "meta3", "data1"]) {
            assert.ok(changed.includes(n), `${n}: config changed`);
            assert.notEqual(pids1[n], pids0[n], `${n}: restarted`);
            await servedCertificate(host(n).address, n.startsWith("meta") ? 8091 : 8086, n, read("ca.crt"));
        }
        // data2 and everything after it: config, service and /etc/ssl as before; still plain HTTP.
        for (const n of ["data2", "data3", "data4", "tele1"]) {
            assert.ok(!changed.includes(n), `${n}: config byte-identical to before`);
            assert.equal(pids1[n], pids0[n], `${n}: service not restarted`);
            assert.deepEqual(etcSsl(state, n), ssl0[n], `${n}: /etc/ssl as before (no CA, certificate, key, temp or backup file left)`);
            assert.equal(await plainPingStatus(host(n)), n === "tele1" ? undefined : 204, `${n}: plain HTTP`);
        }
        assert.deepEqual(d!.resources.filter((r) => /c-(data[234]|tele1)-config/.test(r.name)).map((r) => r.name), [], "nothing recorded from data2 on");
        return message;
    }

    /** The key fixed: `up` completes (every node on HTTPS); `destroy` puts every config back and HTTP answers. */
    async function fixedUpThenDestroy(certificateOf: (n: string) => CertificateArgs): Promise<void> {
        const t = Date.now();
        await d!.update(program(certificateOf));
        console.log(`up after the fix: ${((Date.now() - t) / 1000).toFixed(1)} s`);
        for (const h of state.hosts.filter((x) => !x.roles.includes("telegraf"))) {
            await servedCertificate(h.address, h.roles.includes("meta") ? 8091 : 8086, h.name, read("ca.crt"));
        }
        const t2 = Date.now();
        await d!.destroy();
        console.log(`destroy: ${((Date.now() - t2) / 1000).toFixed(1)} s`);
        d = undefined;
        assert.deepEqual(configsDifferingFromBaseline(state, names()), []);
        for (const h of state.hosts.filter((x) => !x.roles.includes("telegraf"))) {
            assert.equal(await plainPingStatus(h), 204, `${h.name}: plain HTTP`);
        }
    }

    it("provided: data2 given data3's key: up refused before any host changes, naming the node, the argument and the check", async () => {
        const { message, ssl0, pids0 } = await failingFirstUp(providedMismatch);
        assert.match(message, /ClusterTls c: node data2: certificate\.provided\.privateKeyPem does not match the certificate \(subject "CN=data2"\)/);
        assert.doesNotMatch(message, /PRIVATE KEY/);
        assert.deepEqual(configsDifferingFromBaseline(state, names()), [], "no config changed");
        assert.deepEqual(pids(state), pids0, "no service restarted");
        for (const n of names()) assert.deepEqual(etcSsl(state, n), ssl0[n], `${n}: /etc/ssl as before`);
        assert.deepEqual(d!.resources.filter((r) => r.name.endsWith("-config")).map((r) => r.name), [], "no config step ran");
    });

    it("provided: the key fixed, up completes; destroy puts every config back byte for byte", async () => {
        await fixedUpThenDestroy((n) => own(n));
    });

    it("on the host: data2's key does not match: the preflight stops the rollout at data2, nothing of data2's left half-done", async () => {
        await put(OWN_CERT, read("data2.crt"), "root:root", "0644");
        await put(OWN_KEY, read("data3.key"), "influxdb:influxdb", "0600");
        const message = await upStoppedAtData2(onHostData2);
        const data2 = host("data2");
        assert.ok(message.includes(`preflight on root@${data2.address}:${data2.sshPort}`), `names data2: ${message}`);
        assert.ok(message.includes(`${OWN_KEY}: key matches certificate: does not match the certificate ${OWN_CERT}`), message);
        assert.match(message, /before the config was written \(the service was not restarted\)/);
        // The transaction's promise: the files it wrote before the preflight (the CA) put back too.
        assert.ok(message.includes("(and /etc/ssl/influxdb-ca.pem, /etc/ssl/certs/influxdb-tls-ca.pem) has its previous content"), message);
        assert.doesNotMatch(message, /PRIVATE KEY/);
    });

    it("on the host: the key fixed, up completes; destroy puts every config back byte for byte", async () => {
        await put(OWN_KEY, read("data2.key"), "influxdb:influxdb", "0600");
        await fixedUpThenDestroy(onHostData2);
    });
});
