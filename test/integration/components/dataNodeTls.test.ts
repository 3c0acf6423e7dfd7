/**
 * DataNodeTls end to end on real hosts: the exact commands it issues run over real SSH
 * (mock-driven harness), the real influxd must serve HTTPS afterwards, and destroy must bring
 * HTTP and the original bytes back. The main scenario and the key-permission check run on both
 * influxd releases the sandbox serves (data1 Debian's 1.6.7, data2 1.13.2, issue 12 §1); the
 * rest, which does not depend on the server's release, runs once.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { CertificateAuthority, DataNodeTls } from "../../../provider";
import { DeploymentError, runProgram, type Deployment } from "../../harness";
import { settle } from "../../sdk";
import { DEFAULT_HOSTS, findHost, influxdOf, onHost, resetHost, type HostState, type InfluxdVersion, type SandboxState } from "../../sandbox";
import {
    baselineInfluxConf, componentConnection, influxConfPath, influxdPid, influxHttps, influxHttpsTrusting, plainPing,
    readOnHost, sandbox, statOnHost,
} from "../helpers/hosts";

const KEY = "/etc/ssl/influxdb-selfsigned.key";
const CERT = "/etc/ssl/influxdb-selfsigned.crt";

/**
 * The data hosts whose influxd releases the version-dependent scenarios run against, with the
 * release each runs in the default sandbox (named in the test titles, so they are known before
 * the sandbox state is read; `before` fails if the running sandbox disagrees).
 */
const SERVERS: readonly { name: string; influxd: InfluxdVersion }[] = ["data1", "data2"].map((name) => {
    const spec = DEFAULT_HOSTS.find((h) => h.name === name);
    const influxd = spec && influxdOf(spec);
    if (influxd === undefined) throw new Error(`dataNodeTls.test: ${name} is not a default sandbox data host`);
    return { name, influxd };
});

function tempFile(name: string, content: string): string {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pitls-")), name);
    fs.writeFileSync(f, content);
    return f;
}

describe("DataNodeTls on a real data node", { timeout: 600_000 }, () => {
    let state: SandboxState;
    let data1: HostState;
    let data2: HostState;

    before(async () => {
        state = await sandbox();
        data1 = findHost(state, "data1");
        data2 = findHost(state, "data2");
        for (const { name, influxd } of SERVERS) {
            assert.equal(findHost(state, name).influxd, influxd, `${name} must run influxd ${influxd} (the default sandbox: npm run sandbox -- up)`);
        }
        await resetHost("data1");
        await resetHost("data2");
    });
    after(async () => {
        await resetHost("data1");
        await resetHost("data2");
    });

    // The separate-resource installer (one remote.Command per file); the default installer
    // ("transaction") is covered by transaction.test.ts and the fault matrix.
    for (const { name, influxd } of SERVERS) {
        describe(`influxd ${influxd} (${name}), self-signed (fileInstaller command): create → verify → second up → rotation → destroy`, () => {
            let host: HostState;
            before(() => {
                host = findHost(state, name);
            });
            let d: Deployment;
            let node: DataNodeTls | undefined;
            const program = (validityDays: number, rotationTrigger?: string) => () => {
                node = new DataNodeTls(name, {
                    connection: componentConnection(state, name), certificate: { selfSigned: { validityDays, rotationTrigger } }, minValidityDays: 1, fileInstaller: "command",
                    version: influxd, // the keys written are checked against the release the host runs
                });
            };

            it("up: files with the right bytes, owner and mode; HTTPS verified; plain HTTP gets 400", async () => {
                d = await runProgram(program(2));
                const order = d.last.steps.map((s) => s.name);
                assert.ok(order.indexOf(`${name}-config`) > order.indexOf(`${name}-key-file`) && order.indexOf(`${name}-config`) > order.indexOf(`${name}-cert-file`));
                assert.equal(await statOnHost(host, KEY), "influxdb:influxdb 600");
                assert.equal(await statOnHost(host, CERT), "root:root 644");
                const certPem = String(d.get(`${name}-cert`).outputs.certPem);
                assert.equal(await readOnHost(host, KEY), d.get(`${name}-key`).outputs.privateKeyPem);
                assert.equal(await readOnHost(host, CERT), certPem);
                assert.equal(await influxHttps(host), 0);
                assert.equal(await plainPing(host), 400);
                const config = d.get(`${name}-config`);
                assert.equal(config.outputs.restarted, true);
                // The component's fingerprint output is what openssl says of the installed certificate.
                const fingerprint = execFileSync("openssl", ["x509", "-noout", "-fingerprint", "-sha256"], { input: certPem }).toString().trim();
                assert.equal(fingerprint, `sha256 Fingerprint=${await settle(node!.certificateSha256Fingerprint)}`);
                assert.equal(await settle(node!.verified), true);
                assert.equal(await settle(node!.url), `https://${host.address}:8086`);
                for (const s of d.last.steps.filter((x) => x.sshConnections !== undefined && x.type !== "tls:index/privateKey:PrivateKey")) {
                    console.log(`ssh connections ${s.op} ${s.name}: ${s.sshConnections} (${s.ms} ms)`);
                }
            });

            it("a second up with nothing changed writes and restarts nothing (no SSH at all)", async () => {
                const pid = influxdPid(host);
                const log = await d.update(program(2));
                assert.deepEqual([...new Set(log.steps.map((s) => s.op))], ["same"]);
                assert.equal(log.sshConnections, 0);
                assert.equal(influxdPid(host), pid);
            });

            it("a new certificate rewrites the certificate file and restarts once", async () => {
                const pid = influxdPid(host);
                const oldCert = await readOnHost(host, CERT);
                const log = await d.update(program(3));
                const ops = Object.fromEntries(log.steps.map((s) => [s.name, s.op]));
                assert.equal(ops[`${name}-key-file`], "same", "the key did not change");
                assert.equal(ops[`${name}-cert-file`], "update", "rewritten in place");
                assert.equal(ops[`${name}-config`], "update");
                const config = d.get(`${name}-config`);
                assert.equal(config.outputs.written, false, "the config text did not change");
                assert.equal(config.outputs.restarted, true, "restarted for the new certificate");
                assert.notEqual(influxdPid(host), pid);
                const newCert = await readOnHost(host, CERT);
                assert.notEqual(newCert, oldCert);
                assert.equal(newCert, String(d.get(`${name}-cert`).outputs.certPem));
                assert.equal(await influxHttps(host), 0);
            });

            it("rotation: the first rotationTrigger ever set makes a new key; both files rewritten, one restart", async () => {
                // The engine ignores a trigger whose stored value is absent; the component always
                // sends one, so setting it the first time rotates (seen with the real CLI, issue 8).
                const pid = influxdPid(host);
                const oldKey = await readOnHost(host, KEY);
                const log = await d.update(program(3, "2027-q1"));
                const ops = Object.fromEntries(log.steps.filter((s) => s.op !== "delete-replaced").map((s) => [s.name, s.op]));
                assert.equal(ops[`${name}-key`], "create-replacement", "a new key");
                assert.equal(ops[`${name}-cert`], "create-replacement");
                assert.equal(ops[`${name}-key-file`], "update");
                assert.equal(ops[`${name}-cert-file`], "update");
                assert.equal(d.get(`${name}-config`).outputs.restarted, true);
                assert.notEqual(influxdPid(host), pid);
                assert.notEqual(await readOnHost(host, KEY), oldKey);
                assert.equal(await readOnHost(host, KEY), d.get(`${name}-key`).outputs.privateKeyPem);
                assert.equal(await influxHttps(host), 0);
                const again = await d.update(program(3, "2027-q1"));
                assert.deepEqual([...new Set(again.steps.map((s) => s.op))], ["same"], "the same trigger again is no change");
            });

            it("destroy: config reverted and HTTP back before the files go; config byte-identical", async () => {
                const log = await d.destroy();
                const order = log.steps.map((s) => s.name);
                assert.ok(order.indexOf(`${name}-config`) < order.indexOf(`${name}-key-file`), "config reverted before the key is removed");
                assert.ok(fs.readFileSync(influxConfPath(host)).equals(baselineInfluxConf(host)));
                assert.equal(await statOnHost(host, KEY), undefined);
                assert.equal(await statOnHost(host, CERT), undefined);
                assert.equal(await plainPing(host), 204);
            });
        });
    }

    it("file replacements (new path, forced same-path) never delete the successor's file; a new path is created before the old one goes (fileInstaller command)", async () => {
        // Same-path replacement is forced with a transformation (as `pulumi up --replace` would).
        const program = (certificatePath: string, validityDays: number) => () => {
            new DataNodeTls("data1", {
                connection: componentConnection(state, "data1"), certificate: { selfSigned: { validityDays } }, minValidityDays: 1, certificatePath, fileInstaller: "command",
            }, {
                transformations: [(a) => a.name === "data1-cert-file" ? { props: a.props, opts: pulumi.mergeOptions(a.opts, { replaceOnChanges: ["stdin"] }) } : undefined],
            });
        };
        const d = await runProgram(program(CERT, 2));
        let log = await d.update(program("/etc/ssl/influxdb-node.crt", 2));
        const order = log.steps.map((s) => `${s.op} ${s.name}`);
        assert.deepEqual(log.steps.filter((s) => s.name === "data1-cert-file").map((s) => s.op), ["create-replacement", "delete-replaced"],
            "a new path: the new file first, the old one last");
        assert.ok(order.indexOf("update data1-config") > order.indexOf("create-replacement data1-cert-file") &&
            order.indexOf("update data1-config") < order.indexOf("delete-replaced data1-cert-file"), `the config moves in between: ${order.join(", ")}`);
        assert.equal(await statOnHost(data1, CERT), undefined, "old path removed");
        assert.equal(await statOnHost(data1, "/etc/ssl/influxdb-node.crt"), "root:root 644");
        assert.match(fs.readFileSync(influxConfPath(data1), "utf8"), /https-certificate = "\/etc\/ssl\/influxdb-node\.crt"/);
        assert.equal(await influxHttps(data1), 0);

        log = await d.update(program("/etc/ssl/influxdb-node.crt", 3));
        assert.deepEqual(log.steps.filter((s) => s.name === "data1-cert-file").map((s) => s.op), ["create-replacement", "delete-replaced"],
            "same path, new certificate: replaced");
        assert.equal(await readOnHost(data1, "/etc/ssl/influxdb-node.crt"), String(d.get("data1-cert").outputs.certPem), "the successor's file is there");
        assert.equal(await influxHttps(data1), 0);
        await d.destroy();
        assert.equal(await statOnHost(data1, "/etc/ssl/influxdb-node.crt"), undefined);
        assert.ok(fs.readFileSync(influxConfPath(data1)).equals(baselineInfluxConf(data1)));
    });

    it("a path change to a directory that does not exist fails at the new file: old files in place, config untouched, HTTPS still up (fileInstaller command)", async () => {
        const program = (certificatePath: string, privateKeyPath: string) => () => {
            new DataNodeTls("data1", {
                connection: componentConnection(state, "data1"), certificate: { selfSigned: { validityDays: 2 } }, minValidityDays: 1,
                certificatePath, privateKeyPath, verifyTimeoutSeconds: 8, fileInstaller: "command",
            });
        };
        const d = await runProgram(program(CERT, KEY));
        const conf = fs.readFileSync(influxConfPath(data1));
        const pid = influxdPid(data1);
        let failure: DeploymentError | undefined;
        try {
            await d.update(program("/etc/influxdb/tls/influx.crt", "/etc/influxdb/tls/influx.key"));
        } catch (e) {
            failure = e as DeploymentError;
        }
        assert.ok(failure instanceof DeploymentError, "the up fails");
        assert.match(failure.errors.map((e) => e.message).join("\n"), /directory \/etc\/influxdb\/tls does not exist/);
        const ops = failure.log.steps.map((s) => `${s.op} ${s.name}${s.error ? " (failed)" : ""}`);
        assert.ok(!ops.some((o) => o.startsWith("delete")), `nothing deleted: ${ops.join(", ")}`);
        assert.ok(!ops.some((o) => o.includes("data1-config")), `the config is not touched: ${ops.join(", ")}`);
        assert.equal(await readOnHost(data1, CERT), String(d.get("data1-cert").outputs.certPem), "old certificate in place");
        assert.equal(await statOnHost(data1, KEY), "influxdb:influxdb 600", "old key in place");
        assert.ok(fs.readFileSync(influxConfPath(data1)).equals(conf), "config byte-identical");
        assert.equal(influxdPid(data1), pid, "not restarted");
        assert.equal(await influxHttps(data1), 0, "still answering HTTPS");
        await d.destroy();
        assert.ok(fs.readFileSync(influxConfPath(data1)).equals(baselineInfluxConf(data1)));
        assert.equal(await statOnHost(data1, CERT), undefined);
        assert.equal(await statOnHost(data1, KEY), undefined);
    });

    it("files deleted on the host: refresh, then up recreates them and restarts the service (fileInstaller ssh)", async () => {
        const program = () => {
            new DataNodeTls("data1", {
                connection: componentConnection(state, "data1"), certificate: { selfSigned: { validityDays: 2 } }, minValidityDays: 1,
                fileInstaller: "ssh", verifyTimeoutSeconds: 8,
            });
        };
        const d = await runProgram(program);
        const pid = influxdPid(data1);
        const certPem = String(d.get("data1-cert").outputs.certPem);
        assert.ok(d.get("data1-key-file").secretOutputs.includes("sha256"), "the key file's hash is a secret output");
        await onHost("data1", ["rm", "-f", CERT, KEY]);
        await d.refresh();
        assert.equal(d.get("data1-cert-file").outputs.sha256, "", "refresh saw the file gone");
        const log = await d.update(program);
        const ops = Object.fromEntries(log.steps.map((s) => [s.name, s.op]));
        assert.deepEqual([ops["data1-cert-file"], ops["data1-key-file"], ops["data1-config"]], ["update", "update", "update"]);
        assert.equal(await readOnHost(data1, CERT), certPem, "certificate recreated");
        assert.equal(await statOnHost(data1, KEY), "influxdb:influxdb 600", "key recreated");
        assert.equal(d.get("data1-config").outputs.restarted, true);
        assert.notEqual(influxdPid(data1), pid, "the service was restarted");
        assert.equal(await influxHttps(data1), 0);
        await d.destroy();
        assert.ok(fs.readFileSync(influxConfPath(data1)).equals(baselineInfluxConf(data1)));
    });

    it("internal CA: verified against the CA (no -unsafeSsl), trusted from outside too; destroy removes every file", async () => {
        const d = await runProgram(() => {
            const ca = new CertificateAuthority("ca", { validityDays: 2 });
            new DataNodeTls("data2", { connection: componentConnection(state, "data2"), certificate: { issuedBy: { authority: ca, validityDays: 2 } }, minValidityDays: 1 });
        });
        const verify = (d.get("data2-config").inputs.service as { verify: string[] }).verify;
        assert.ok(!verify.includes("-unsafeSsl"));
        assert.equal(verify[1], "SSL_CERT_FILE=/etc/ssl/influxdb-ca.pem");
        const caFile = tempFile("ca.pem", String(d.get("ca-cert").outputs.certPem));
        assert.equal(await influxHttpsTrusting(data2, caFile), 0, "the CA is all a client needs");
        assert.equal(await statOnHost(data2, "/etc/ssl/influxdb.key"), "influxdb:influxdb 600");
        await d.destroy();
        assert.ok(fs.readFileSync(influxConfPath(data2)).equals(baselineInfluxConf(data2)));
        for (const f of ["/etc/ssl/influxdb.key", "/etc/ssl/influxdb.crt", "/etc/ssl/influxdb-ca.pem"]) {
            assert.equal(await statOnHost(data2, f), undefined, `${f} removed`);
        }
        assert.equal(await plainPing(data2), 204);
    });

    it("provided .pem bundle: installed once (influxdb 0600), used for both keys", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-certs-"));
        execFileSync("bash", [path.join(__dirname, "../../../../examples/ca-signed/make-certs.sh"), dir, `data1=${data1.address}`], { stdio: "ignore" });
        const bundle = fs.readFileSync(path.join(dir, "data1.pem"), "utf8");
        const ca = fs.readFileSync(path.join(dir, "ca.crt"), "utf8");
        const d = await runProgram(() => {
            new DataNodeTls("data1", { connection: componentConnection(state, "data1"), certificate: { provided: { bundlePem: bundle, caCertificatePem: ca } } });
        });
        assert.equal(await statOnHost(data1, "/etc/ssl/influxdb.pem"), "influxdb:influxdb 600");
        const conf = fs.readFileSync(influxConfPath(data1), "utf8");
        assert.match(conf, /https-certificate = "\/etc\/ssl\/influxdb\.pem"/);
        assert.match(conf, /https-private-key = "\/etc\/ssl\/influxdb\.pem"/);
        assert.equal(await influxHttpsTrusting(data1, path.join(dir, "ca.crt")), 0);
        await d.destroy();
        assert.ok(fs.readFileSync(influxConfPath(data1)).equals(baselineInfluxConf(data1)));
        assert.equal(await statOnHost(data1, "/etc/ssl/influxdb.pem"), undefined);
    });

    it("fileInstaller \"ssh\" (no command plugin): per-node CA-signed files by RemoteFile, a SHA256 fingerprint pin; same contract", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-certs-"));
        execFileSync("bash", [path.join(__dirname, "../../../../examples/ca-signed/make-certs.sh"), dir, `data2=${data2.address}`], { stdio: "ignore" });
        const read = (f: string) => fs.readFileSync(path.join(dir, f), "utf8");
        const d = await runProgram(() => {
            new DataNodeTls("data2", {
                connection: { ...componentConnection(state, "data2"), hostKey: data2.hostKeyFingerprint },
                certificate: { provided: { certificatePem: read("data2.crt"), privateKeyPem: read("data2.key"), caCertificatePem: read("ca.crt") } },
                fileInstaller: "ssh",
            });
        });
        assert.deepEqual(d.byType("command:remote:Command"), [], "no remote.Command at all");
        assert.equal(d.byType("pulumi-nodejs:dynamic/influxdb-tls:RemoteFile").length, 3);
        assert.ok(d.get("data2-key-file").secretInputs.includes("content"), "the key is a secret input");
        assert.equal(await statOnHost(data2, "/etc/ssl/influxdb.key"), "influxdb:influxdb 600");
        assert.equal(await statOnHost(data2, "/etc/ssl/influxdb.crt"), "root:root 644");
        assert.equal(await readOnHost(data2, "/etc/ssl/influxdb.key"), read("data2.key"));
        assert.equal(await influxHttpsTrusting(data2, path.join(dir, "ca.crt")), 0);
        const again = await d.update(() => {
            new DataNodeTls("data2", {
                connection: { ...componentConnection(state, "data2"), hostKey: data2.hostKeyFingerprint },
                certificate: { provided: { certificatePem: read("data2.crt"), privateKeyPem: read("data2.key"), caCertificatePem: read("ca.crt") } },
                fileInstaller: "ssh",
            });
        });
        assert.deepEqual([...new Set(again.steps.map((s) => s.op))], ["same"]);
        await d.destroy();
        assert.ok(fs.readFileSync(influxConfPath(data2)).equals(baselineInfluxConf(data2)));
        for (const f of ["/etc/ssl/influxdb.key", "/etc/ssl/influxdb.crt", "/etc/ssl/influxdb-ca.pem"]) {
            assert.equal(await statOnHost(data2, f), undefined, `${f} removed`);
        }
        assert.equal(await plainPing(data2), 204);
    });

    it("the guide's root:root key (erratum 4) is refused by the preflight, with its reason: nothing changed, not restarted, HTTP still up", async () => {
        // The preflight (run as the service user on the host) catches it before influxd is
        // restarted, so this does not depend on the server's release; influxd's own refusal of
        // unreadable or too-open keys on 1.13.2 is in realPrograms.test.ts.
        const before = fs.readFileSync(influxConfPath(data1));
        const pid = influxdPid(data1);
        let failure: DeploymentError | undefined;
        try {
            await runProgram(() => {
                new DataNodeTls("data1", {
                    connection: componentConnection(state, "data1"),
                    certificate: { selfSigned: { validityDays: 2 } }, minValidityDays: 1,
                    privateKeyOwner: "root", privateKeyGroup: "root",
                    verifyTimeoutSeconds: 8,
                });
            });
        } catch (e) {
            failure = e as DeploymentError;
        }
        assert.ok(failure instanceof DeploymentError, "the deployment fails");
        // The reason must survive the provider's serialization (it read "…: undefined" before PreflightError set its message).
        assert.match(failure.errors.map((x) => x.message).join("\n"),
            /preflight on [^\n]* refused[\s\S]*\/etc\/ssl\/influxdb-selfsigned\.key: [^\n]*influxdb cannot read it[\s\S]*Nothing was changed/);
        assert.ok(fs.readFileSync(influxConfPath(data1)).equals(before), "config unchanged");
        assert.equal(influxdPid(data1), pid, "not restarted");
        assert.equal(await plainPing(data1), 204, "influxd serves HTTP");
        await failure.deployment.destroy();
        assert.equal(await statOnHost(data1, KEY), undefined, "files cleaned up by destroy");
    });
});
