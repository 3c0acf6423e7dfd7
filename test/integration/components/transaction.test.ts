/**
 * The default fileInstaller ("transaction") on a real host (data2): the certificate files and
 * the config move in one step of the config's resource. What the fault matrix does not show:
 * files that existed before are put back byte for byte (content, owner, mode) by destroy; a
 * file changed on the host is drift that the next `up` repairs (and restarts for); a path change
 * moves the files and gives the old path back; a path change into a missing directory changes
 * nothing; no backup (`.*.pitls-prev`) is left behind.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DataNodeTls } from "../../../provider";
import { DeploymentError, runProgram, type Deployment } from "../../harness";
import { findHost, onHost, resetHost, type HostState, type SandboxState } from "../../sandbox";
import { makeFaultCerts, type FaultCerts } from "../../faults/certs";
import {
    baselineInfluxConf, componentConnection, influxConfPath, influxdPid, influxHttps, influxHttpsTrusting, plainPing, readOnHost, sandbox, statOnHost,
} from "../helpers/hosts";

const CERT = "/etc/ssl/influxdb.crt";
const KEY = "/etc/ssl/influxdb.key";
const CA = "/etc/ssl/influxdb-ca.pem";

describe("fileInstaller \"transaction\" (default) on data2", { timeout: 600_000 }, () => {
    let state: SandboxState;
    let host: HostState;
    let certs: FaultCerts;
    let caOnMachine: string;

    const program = (opts: { pair?: "a" | "b"; certificatePath?: string; privateKeyPath?: string } = {}) => () => {
        const pair = certs[opts.pair ?? "a"];
        new DataNodeTls("data2", {
            connection: componentConnection(state, "data2"),
            hostname: host.address,
            certificate: { provided: { ...pair, caCertificatePem: certs.caPem } },
            verifyTimeoutSeconds: 15,
            ...(opts.certificatePath ? { certificatePath: opts.certificatePath } : {}),
            ...(opts.privateKeyPath ? { privateKeyPath: opts.privateKeyPath } : {}),
        });
    };
    const leftovers = async () => (await onHost(host.name, ["sh", "-c", "ls -a /etc/ssl /etc/influxdb /tmp | grep -e pitls-prev -e '^\\.pitls\\.' || :"])).stdout.trim();
    const configIsBaseline = async () => (await onHost(host.name, ["cat", influxConfPath(host)])).stdout === baselineInfluxConf(host).toString("utf8");

    before(async () => {
        state = await sandbox();
        host = findHost(state, "data2");
        certs = makeFaultCerts(host.address, "data2");
        await resetHost("data2");
        await onHost(host.name, ["rm", "-f", CERT, KEY, CA]);
        caOnMachine = `/tmp/pitls-transaction-ca-${process.pid}.pem`;
        require("node:fs").writeFileSync(caOnMachine, certs.caPem);
    });
    after(async () => {
        await onHost(host.name, ["rm", "-f", CERT, KEY, CA, "/etc/ssl/moved.crt", "/etc/ssl/moved.key"]);
        await resetHost("data2");
    });

    it("files that existed before are put back byte for byte (content, owner, mode) by destroy; no backups left", async () => {
        // Someone's own files already at the paths, with their own owner and mode.
        await onHost(host.name, ["sh", "-c", 'printf "old cert\\n" > "$1" && chmod 0640 "$1" && chown root:influxdb "$1" && printf "old key\\n" > "$2" && chmod 0400 "$2"', "sh", CERT, KEY]);
        const d = await runProgram(program());
        assert.equal(await influxHttpsTrusting(host, caOnMachine), 0, "HTTPS verified with the CA");
        assert.equal(await readOnHost(host, KEY), certs.a.privateKeyPem);
        assert.equal(await statOnHost(host, KEY), "influxdb:influxdb 600");
        assert.equal(await leftovers(), "", "no backup or temp file after a successful create");
        await d.destroy();
        assert.equal(await readOnHost(host, CERT), "old cert\n");
        assert.equal(await statOnHost(host, CERT), "root:influxdb 640");
        assert.equal(await readOnHost(host, KEY), "old key\n");
        assert.equal(await statOnHost(host, KEY), "root:root 400");
        assert.equal(await readOnHost(host, CA), undefined, "a file that did not exist is removed");
        assert.ok(await configIsBaseline(), "config byte-identical to the original");
        assert.equal(await plainPing(host), 204, "back on HTTP");
        assert.equal(await leftovers(), "");
        await onHost(host.name, ["rm", "-f", CERT, KEY]);
    });

    it("self-signed: a second up opens no SSH; a rotation rewrites key and certificate in one step with one restart", async () => {
        const selfSigned = (rotationTrigger?: string) => () => {
            new DataNodeTls("data2", { connection: componentConnection(state, "data2"), certificate: { selfSigned: { rotationTrigger } }, verifyTimeoutSeconds: 15 });
        };
        const KEY_SS = "/etc/ssl/influxdb-selfsigned.key";
        const d = await runProgram(selfSigned());
        assert.equal(await statOnHost(host, KEY_SS), "influxdb:influxdb 600");
        assert.equal(await influxHttps(host), 0);
        const again = await d.update(selfSigned());
        assert.deepEqual([...new Set(again.steps.map((s) => s.op))], ["same"]);
        assert.equal(again.sshConnections, 0, "nothing to change: no SSH connection");
        const pid = influxdPid(host);
        const oldKey = await readOnHost(host, KEY_SS);
        const log = await d.update(selfSigned("2027-q1"));
        const ops = Object.fromEntries(log.steps.filter((s) => s.op !== "delete-replaced").map((s) => [s.name, s.op]));
        assert.equal(ops["data2-key"], "create-replacement");
        assert.equal(ops["data2-config"], "update", "the files move with the config");
        const outs = d.get("data2-config").outputs as { written: boolean; restarted: boolean };
        assert.deepEqual([outs.written, outs.restarted], [false, true], "config text unchanged, one restart");
        assert.notEqual(influxdPid(host), pid);
        assert.notEqual(await readOnHost(host, KEY_SS), oldKey);
        assert.equal(await readOnHost(host, KEY_SS), d.get("data2-key").outputs.privateKeyPem);
        assert.equal(await influxHttps(host), 0);
        await d.destroy();
        assert.ok(await configIsBaseline());
        assert.equal(await readOnHost(host, KEY_SS), undefined);
        assert.equal(await plainPing(host), 204);
    });

    it("a managed file changed on the host is drift: refresh records it, the next up rewrites it and restarts", async () => {
        const d: Deployment = await runProgram(program());
        await onHost(host.name, ["sh", "-c", 'printf "tampered\\n" > "$1"', "sh", CERT]);
        await d.refresh();
        const log = await d.update(program());
        assert.ok(log.steps.some((s) => s.op === "update" && s.name === "data2-config"), JSON.stringify(log.steps.map((s) => `${s.op} ${s.name}`)));
        assert.equal(await readOnHost(host, CERT), certs.a.certificatePem);
        const outs = d.get("data2-config").outputs as { restarted: boolean; healthy: boolean };
        assert.equal(outs.restarted, true, "a rewritten certificate restarts the service");
        assert.equal(await influxHttpsTrusting(host, caOnMachine), 0);
        await d.destroy();
        assert.ok(await configIsBaseline());
        assert.equal(await readOnHost(host, CERT), undefined);
    });

    it("a path change moves the files in one step and gives the old paths back; one into a missing directory changes nothing", async () => {
        const d = await runProgram(program());
        await d.update(program({ certificatePath: "/etc/ssl/moved.crt", privateKeyPath: "/etc/ssl/moved.key" }));
        assert.equal(await readOnHost(host, "/etc/ssl/moved.key"), certs.a.privateKeyPem);
        assert.equal(await readOnHost(host, KEY), undefined, "the old key path is given back (it did not exist before)");
        assert.equal(await readOnHost(host, CERT), undefined);
        assert.equal(await influxHttpsTrusting(host, caOnMachine), 0);
        const before = (await onHost(host.name, ["cat", influxConfPath(host)])).stdout;
        await assert.rejects(d.update(program({ certificatePath: "/etc/influxdb/tls/influx.crt", pair: "b" })), (e: unknown) => {
            assert.ok(e instanceof DeploymentError);
            assert.match(e.message, /directory \/etc\/influxdb\/tls does not exist/);
            assert.match(e.message, /127\.0\.\d+\.\d+/, "names the host");
            return true;
        });
        assert.equal((await onHost(host.name, ["cat", influxConfPath(host)])).stdout, before, "config untouched");
        assert.equal(await readOnHost(host, "/etc/ssl/moved.crt"), certs.a.certificatePem, "old certificate still in place");
        assert.equal(await readOnHost(host, "/etc/ssl/moved.key"), certs.a.privateKeyPem, "old key still in place");
        assert.equal(await influxHttpsTrusting(host, caOnMachine), 0, "the node still answers");
        assert.equal(await leftovers(), "");
        await d.update(program());
        await d.destroy();
        assert.ok(await configIsBaseline());
        for (const p of [CERT, KEY, CA, "/etc/ssl/moved.crt", "/etc/ssl/moved.key"]) assert.equal(await readOnHost(host, p), undefined, p);
    });
});
