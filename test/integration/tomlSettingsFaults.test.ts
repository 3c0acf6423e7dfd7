/**
 * TomlSettings under real faults on the sandbox's data1 (real sshd, real influxd 1.6.7):
 * connections cut by killing the per-connection sshd by PID or through a TCP proxy, a service
 * that cannot start (key unreadable, key not matching the certificate), a verifier that never
 * passes, a rollback that fails too (issue 7 §0 items 2, 12, 16 and the refresh half of 15).
 * For each: the error says what happened; the config is byte-identical or fully applied and
 * verified; the service answers on the protocol its file says; what the provider hands the
 * engine describes the host (an init failure when the node is not back where it was); the
 * next operation converges and delete restores every byte.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { afterEach, before, describe, it } from "node:test";
import { TomlSettingsProvider } from "../../provider/providers/tomlSettings/provider";
import { editsToSettings } from "../../provider/providers/tomlSettings/settings";
import type { ServiceSpec, TomlSettingsInputs, TomlSettingsOutputs } from "../../provider/providers/tomlSettings/types";
import { resetSshStats, sha256Hex, sshStats } from "../../provider/ssh";
import { findHost, onHost, resetHost, type HostState, type SandboxState } from "../sandbox";
import { blockOnce, CuttableProxy, killConnectionOf, killQuietly, waitForMarker } from "./helpers/faults";
import { Blackhole } from "../faults/inject/blackhole";
import { TcpProxy } from "../faults/inject/proxy";
import {
    baselineInfluxConf, connectionTo, dataNodeService, influxConfPath, influxdPid, influxHttp, influxHttps, makeCertOnHost, plainPing, sandbox,
} from "./helpers/hosts";

const provider = new TomlSettingsProvider();
const CONF = "/etc/influxdb/influxdb.conf";
const figures: string[] = [];

interface InitFailure extends Error {
    id: string;
    properties: TomlSettingsOutputs;
    reasons: string[];
}

/** The error a provider call rejected with, and how long it took. */
async function failure(p: Promise<unknown>): Promise<{ e: Error & Partial<InitFailure>; ms: number }> {
    const started = Date.now();
    try {
        await p;
    } catch (e) {
        return { e: e as Error & Partial<InitFailure>, ms: Date.now() - started };
    }
    assert.fail("expected the operation to fail");
}

describe("TomlSettings faults on a real data node", { timeout: 600_000 }, () => {
    let state: SandboxState;
    let data1: HostState;
    let cert: { cert: string; key: string };
    const baseline = () => baselineInfluxConf(data1);
    const conf = () => fs.readFileSync(influxConfPath(data1));

    /** The service spec the components give a data node (status + log commands), with a short timeout. */
    function service(over: Partial<ServiceSpec> = {}): ServiceSpec {
        return {
            ...dataNodeService(data1),
            verifyTimeoutSeconds: 10,
            status: ["systemctl", "is-active", "influxdb"],
            logs: ["journalctl", "-u", "influxdb", "-n", "20", "--no-pager", "-o", "cat"],
            ...over,
        };
    }

    function inputs(paths: { cert: string; key: string }, svc: ServiceSpec = service(), extra: Record<string, unknown> = {}, port?: number): TomlSettingsInputs {
        const connection = connectionTo(state, "data1");
        return {
            schemaVersion: 1,
            connection: port ? { ...connection, host: "127.0.0.1", port } : connection,
            target: `root@${data1.address}:22`,
            path: CONF,
            settings: editsToSettings([{ table: "http", set: { "https-enabled": true, "https-certificate": paths.cert, "https-private-key": paths.key, ...extra } }]),
            service: svc,
        };
    }

    /** The node as `up` left it: file byte-identical, influxd answering plain HTTP. */
    async function assertPristine(what: string): Promise<void> {
        assert.ok(conf().equals(baseline()), `${what}: config byte-identical to the original`);
        assert.equal(await plainPing(data1), 204, `${what}: influxd answers plain HTTP`);
        assert.equal(await influxHttp(data1), 0, `${what}: influx over HTTP works`);
    }

    /** Fully applied and verified: HTTPS answers, plain HTTP gets 400. */
    async function assertOnHttps(what: string): Promise<void> {
        assert.match(conf().toString("utf8"), /\n\s*https-enabled = true\n/, `${what}: applied`);
        assert.equal(await influxHttps(data1), 0, `${what}: influx -ssl works`);
        assert.equal(await plainPing(data1), 400, `${what}: plain HTTP refused`);
    }

    before(async () => {
        state = await sandbox();
        data1 = findHost(state, "data1");
        await resetHost("data1");
    });
    afterEach(async () => {
        await resetHost("data1");
        cert = await makeCertOnHost(data1);
    });

    it("service cannot read its key (root:root 0600): influxd's own `permission denied` within seconds, rolled back", async () => {
        cert = await makeCertOnHost(data1);
        await onHost("data1", ["chown", "root:root", cert.key]);
        const { e, ms } = await failure(provider.create(inputs(cert, service({ verifyTimeoutSeconds: 30 }))));
        figures.push(`key root:root 0600: failed after ${ms} ms (verify timeout 30 s)`);
        assert.match(e.message, /the service is not running \(`systemctl is-active influxdb`: failed\)/);
        assert.match(e.message, /service log \(`journalctl -u influxdb/);
        assert.match(e.message, new RegExp(`open ${cert.key}: permission denied`));
        assert.match(e.message, /Rolled back: .* has its previous content again and the service was restarted and verified/);
        assert.equal(e.id, undefined, "settled: nothing for the engine to record");
        assert.ok(ms < 12_000, `not after the 30 s timeout (${ms} ms)`);
        await assertPristine("after the failed create");
    });

    it("key in a directory the service cannot traverse (0710 root:ssl-cert): `permission denied` within seconds", async () => {
        const dir = `/etc/ssl/private-${randomBytes(3).toString("hex")}`;
        await onHost("data1", ["install", "-d", "-m", "0710", "-o", "root", "-g", "ssl-cert", dir]);
        cert = await makeCertOnHost(data1, `${dir}/influxdb`);
        const { e, ms } = await failure(provider.create(inputs(cert, service({ verifyTimeoutSeconds: 30 }))));
        figures.push(`key in 0710 root:ssl-cert dir: failed after ${ms} ms (verify timeout 30 s)`);
        assert.match(e.message, /permission denied/);
        assert.match(e.message, /Rolled back/);
        assert.ok(ms < 12_000, `not after the 30 s timeout (${ms} ms)`);
        await assertPristine("after the failed create");
    });

    it("certificate not matching the key: the TLS message from influxd's log, rolled back", async () => {
        const a = await makeCertOnHost(data1, "/etc/ssl/pitls-a");
        const b = await makeCertOnHost(data1, "/etc/ssl/pitls-b");
        const { e, ms } = await failure(provider.create(inputs({ cert: a.cert, key: b.key }, service({ verifyTimeoutSeconds: 30 }))));
        figures.push(`cert/key mismatch: failed after ${ms} ms (verify timeout 30 s)`);
        assert.match(e.message, /tls: private key does not match public key/);
        assert.match(e.message, /Rolled back/);
        assert.ok(ms < 12_000, `not after the 30 s timeout (${ms} ms)`);
        await assertPristine("after the failed create");
    });

    it("a verifier's deterministic TLS error (unknown authority) is not retried", async () => {
        cert = await makeCertOnHost(data1);
        const strict = ["influx", "-ssl", "-host", data1.address, "-execute", "SHOW DATABASES"]; // self-signed, not trusted
        const { e, ms } = await failure(provider.create(inputs(cert, service({ verify: strict, verifyTimeoutSeconds: 30 }))));
        figures.push(`verify x509 unknown authority: failed after ${ms} ms (verify timeout 30 s)`);
        assert.match(e.message, /failed with a TLS error that retrying cannot fix \(not retried\)/);
        assert.match(e.message, /x509: certificate signed by unknown authority/);
        assert.ok(ms < 12_000, `not after the 30 s timeout (${ms} ms)`);
        await assertPristine("after the failed create");
    });

    it("service starts but never passes verify: retried until the timeout, rolled back, HTTP again", async () => {
        cert = await makeCertOnHost(data1);
        const never = ["influx", "-ssl", "-unsafeSsl", "-host", data1.address, "-port", "9", "-execute", "SHOW DATABASES"];
        const { e, ms } = await failure(provider.create(inputs(cert, service({ verify: never, verifyTimeoutSeconds: 3 }))));
        figures.push(`verify never passes (timeout 3 s): failed after ${ms} ms`);
        assert.match(e.message, /still failing after \d+ attempts in \d+ s; last exit code 1: .*connection refused/s);
        assert.match(e.message, /Rolled back/);
        await assertPristine("after the failed create");
    });

    it("the revert after a failed apply also fails to verify: error says both, the init failure says where the node is; next update converges, delete restores every byte", async () => {
        cert = await makeCertOnHost(data1);
        const never = (ssl: boolean) => ["influx", ...(ssl ? ["-ssl", "-unsafeSsl"] : []), "-host", data1.address, "-port", "9", "-execute", "SHOW DATABASES"];
        const bad = inputs(cert, service({ verify: never(true), revertVerify: never(false), verifyTimeoutSeconds: 2 }));
        const { e } = await failure(provider.create(bad));
        assert.match(e.message, /^TomlSettings create of .*verification `influx -ssl .*still failing/s);
        assert.match(e.message, /ROLLBACK FAILED for .*verification `influx -host .*still failing/s);
        assert.match(e.message, /Node state: .* has its previous content again \(sha256 [0-9a-f]{64}\); the service is not verified/);
        // The init failure: what the engine records.
        assert.equal(e.id, `${data1.address}:22:${CONF}`);
        const p = e.properties!;
        assert.equal(p.healthy, false);
        assert.equal(p.originalSha256, sha256Hex(baseline()));
        assert.equal(p.fileSha256, sha256Hex(baseline()), "the file is back to the original");
        assert.deepEqual(e.reasons, [e.message], "the engine prints the reasons, not the message: the whole story is there");
        assert.ok(conf().equals(baseline()), "config byte-identical");
        assert.equal(await plainPing(data1), 204, "influxd on HTTP (the revert verify was what failed)");

        // Next `up`: the engine sends an update for a resource with init errors.
        const good = inputs(cert);
        assert.equal((await provider.diff(e.id!, p, good)).changes, true);
        const fixed = (await provider.update!(e.id!, p, good)).outs!;
        assert.equal(fixed.healthy, true);
        await assertOnHttps("after the converging update");
        await provider.delete!(e.id!, fixed);
        await assertPristine("after delete");
    });

    it("delete of a node the state calls unhealthy whose file is already reverted: restarts the stopped service and verifies HTTP", async () => {
        cert = await makeCertOnHost(data1);
        const never = (ssl: boolean) => ["influx", ...(ssl ? ["-ssl", "-unsafeSsl"] : []), "-host", data1.address, "-port", "9", "-execute", "SHOW DATABASES"];
        const { e } = await failure(provider.create(inputs(cert, service({ verify: never(true), revertVerify: never(false), verifyTimeoutSeconds: 2 }))));
        assert.equal(e.properties!.healthy, false);
        assert.ok(conf().equals(baseline()), "file already back to the original");
        process.kill(influxdPid(data1)!, "SIGKILL");
        assert.equal(await plainPing(data1), undefined, "influxd is down");
        await provider.delete!(e.id!, { ...e.properties!, service: service() });
        await assertPristine("after delete");
    });

    it("SSH connection killed after the rename, before the restart: rolled back over a new connection", async () => {
        cert = await makeCertOnHost(data1);
        const marker = `/tmp/pitls-wp2-${randomBytes(4).toString("hex")}`;
        const svc = service({ restart: blockOnce(marker, ["systemctl", "restart", "influxdb"]) });
        resetSshStats();
        const pending = failure(provider.create(inputs(cert, svc)));
        const pid = await waitForMarker(marker);
        assert.match(conf().toString("utf8"), /https-enabled = true/, "the new config is in place when the restart starts");
        const killed = killConnectionOf(pid, data1.sshdPid);
        killQuietly(pid);
        const { e, ms } = await pending;
        figures.push(`connection killed before restart (sshd PIDs ${killed.join(",")}): rolled back in ${ms} ms, ${sshStats.connections} connections`);
        assert.match(e.message, /Rolled back \(over a new connection: the first one was lost\)/);
        assert.equal(e.id, undefined, "settled");
        assert.equal(sshStats.connections, 2);
        await assertPristine("after the rollback");
        // The next create converges (the wrapper no longer blocks).
        const created = await provider.create(inputs(cert, svc));
        await assertOnHttps("after the retried create");
        await provider.delete!(created.id, created.outs!);
        await assertPristine("after delete");
        fs.rmSync(marker, { force: true });
    });

    it("SSH connection killed during the verify retries: reconnects, verification goes on, fully applied and verified", async () => {
        cert = await makeCertOnHost(data1);
        const marker = `/tmp/pitls-wp2-${randomBytes(4).toString("hex")}`;
        const svc = service({ verify: blockOnce(marker, dataNodeService(data1).verify) });
        resetSshStats();
        const pending = provider.create(inputs(cert, svc));
        const pid = await waitForMarker(marker);
        killConnectionOf(pid, data1.sshdPid);
        killQuietly(pid);
        const created = await pending;
        fs.rmSync(marker, { force: true });
        assert.equal(created.outs!.healthy, true);
        assert.equal(sshStats.connections, 2);
        await assertOnHttps("after create");
        await provider.delete!(created.id, created.outs!);
        await assertPristine("after delete");
    });

    it("connection lost for good after the rename (proxy cut, reconnects refused): init failure with the true prior state; update converges; delete restores every byte", async () => {
        cert = await makeCertOnHost(data1);
        const proxy = new CuttableProxy(data1.address, data1.sshPort);
        const port = await proxy.start();
        const marker = `/tmp/pitls-wp2-${randomBytes(4).toString("hex")}`;
        const svc = service({ restart: blockOnce(marker, ["systemctl", "restart", "influxdb"]) });
        const pending = failure(provider.create(inputs(cert, svc, {}, port)));
        const pid = await waitForMarker(marker);
        await proxy.cut();
        killQuietly(pid);
        const { e, ms } = await pending;
        fs.rmSync(marker, { force: true });
        figures.push(`connection lost for good before restart: failed in ${ms} ms`);
        assert.match(e.message, /ROLLBACK FAILED for .*the connection to root@127\.0\.0\.1:\d+ was lost and could not be reopened/s);
        assert.match(e.message, /Node state: the content of .* is not known/);
        assert.match(conf().toString("utf8"), /https-enabled = true/, "the applied config is still in place");
        const p = e.properties!;
        assert.equal(p.healthy, false);
        assert.equal(p.fileSha256, "unknown");
        assert.equal(p.originalSha256, sha256Hex(baseline()), "originalSha256: the real prior content");
        // The undo describes the original, not the applied values (the old bug: a retry of create took them as "prior").
        const https = p.undo.keys.find((k) => k.key === "https-enabled")!;
        assert.equal(https.prior, "commented");
        assert.match(https.line!, /#\s*https-enabled = false/);

        // Next `up` (update, init errors) through a working connection: converges.
        await proxy.start(port);
        try {
            const fixed = (await provider.update!(e.id!, p, inputs(cert, service(), {}, port))).outs!;
            assert.equal(fixed.healthy, true);
            assert.equal(fixed.restarted, true, "restarted although the file already had the new content");
            await assertOnHttps("after the converging update");
            await provider.delete!(e.id!, fixed);
            await assertPristine("after delete");
        } finally {
            await proxy.cut();
        }
    });

    it("connection lost after the rename and the address blackholed: the rollback tries to reach the host under one dial policy, not one per reopen and rollback round", async () => {
        cert = await makeCertOnHost(data1);
        // A proxy on an address of this sandbox's net that nothing else uses, then a blackhole there.
        const address = data1.address.replace(/\.\d+$/, ".203");
        const proxy = new TcpProxy(address, 2222, { host: data1.address, port: data1.sshPort });
        const hole = new Blackhole(address, 2222);
        await proxy.start();
        const marker = `/tmp/pitls-wp2-${randomBytes(4).toString("hex")}`;
        const svc = service({ restart: blockOnce(marker, ["systemctl", "restart", "influxdb"]) });
        const viaProxy = (svcSpec: ServiceSpec): TomlSettingsInputs => {
            const i = inputs(cert, svcSpec);
            // One dial policy: 2 attempts × 2 s + 1 s backoff = 5 s.
            return { ...i, connection: { ...i.connection, host: address, port: 2222, connectTimeoutSeconds: 2, dialErrorLimit: 2 } };
        };
        try {
            const pending = failure(provider.create(viaProxy(svc)));
            const pid = await waitForMarker(marker);
            // The blackhole takes the address before the connection drops: every reopen meets it.
            await proxy.stopListening();
            await hole.start();
            const cutAt = Date.now();
            await proxy.stop();
            killQuietly(pid);
            const { e } = await pending;
            const ms = Date.now() - cutAt;
            fs.rmSync(marker, { force: true });
            figures.push(`connection lost before restart, address blackholed (policy 2 × 2 s): failed ${ms} ms after the cut`);
            assert.match(e.message, new RegExp(`ROLLBACK FAILED for ${CONF} on root@${address.replace(/\./g, "\\.")}:2222: the connection to root@${address.replace(/\./g, "\\.")}:2222 was lost and could not be reopened: ` +
                `SSH connection to \\S+ timed out after 2s .* gave up after 2 attempts in \\d+\\.\\ds \\(dialErrorLimit 2, connectTimeoutSeconds 2\\)`), e.message);
            // Before: each of the rollback's 2 rounds reopened 3 times, each reopen a whole policy (≈ 2 × 18 s).
            assert.ok(ms >= 4500 && ms < 9000, `one dial policy (≈ 5 s) after the cut, took ${ms} ms`);
            assert.equal(e.properties!.healthy, false);
            assert.equal(e.properties!.fileSha256, "unknown");

            // The host answers again: the next update converges, delete restores every byte.
            await hole.stop();
            await proxy.start();
            const fixed = (await provider.update!(e.id!, e.properties!, viaProxy(service()))).outs!;
            assert.equal(fixed.healthy, true);
            await assertOnHttps("after the converging update");
            await provider.delete!(e.id!, fixed);
            await assertPristine("after delete");
        } finally {
            await hole.stop();
            await proxy.stop();
        }
    });

    it("a failed update rolls back with the OLD restart and verify commands", async () => {
        cert = await makeCertOnHost(data1);
        const log = `/tmp/pitls-wp2-restarts-${randomBytes(4).toString("hex")}`;
        const restart = (tag: string) => ["sh", "-c", 'echo "$1" >> "$2" && exec systemctl restart influxdb', "restart", tag, log];
        const created = await provider.create(inputs(cert, service({ restart: restart("old") })));
        fs.rmSync(log, { force: true });
        const news = inputs({ cert: cert.cert, key: "/etc/ssl/missing.key" }, service({ restart: restart("new") }));
        const { e } = await failure(provider.update!(created.id, created.outs!, news));
        assert.match(e.message, /Rolled back/);
        assert.equal(fs.readFileSync(log, "utf8"), "new\nold\n", "forward with the new command, rollback with the old one");
        fs.rmSync(log, { force: true });
        await assertOnHttps("the old state, verified");
        await provider.delete!(created.id, created.outs!);
        await assertPristine("after delete");
    });

    it("a failed update whose rollback fails too records an undo for both states; keys the update added are restored by delete", async () => {
        cert = await makeCertOnHost(data1);
        const flag = `/tmp/pitls-wp2-flag-${randomBytes(4).toString("hex")}`;
        // The old verify starts failing once `flag` exists: the rollback's verify then fails.
        const oldVerify = ["sh", "-c", '[ ! -e "$1" ] && shift && exec "$@"', "verify", flag, ...dataNodeService(data1).verify];
        const created = await provider.create(inputs(cert, service({ verify: oldVerify, verifyTimeoutSeconds: 3 })));
        fs.writeFileSync(flag, "");
        const news = inputs({ cert: cert.cert, key: "/etc/ssl/missing.key" }, service({ verifyTimeoutSeconds: 3 }), { "max-row-limit": 5000 });
        const { e } = await failure(provider.update!(created.id, created.outs!, news));
        assert.match(e.message, /ROLLBACK FAILED/);
        assert.match(e.message, /has its previous content again/);
        const p = e.properties!;
        assert.equal(p.healthy, false);
        const keys = p.undo.keys.map((k) => k.key).sort();
        assert.deepEqual(keys, ["https-certificate", "https-enabled", "https-private-key", "max-row-limit"]);
        assert.equal(p.settings.http["max-row-limit"], 5000);
        fs.rmSync(flag, { force: true });
        // Next `up` converges with the new settings; delete restores every byte, the added key included.
        const fixedInputs = inputs(cert, service(), { "max-row-limit": 5000 });
        const fixed = (await provider.update!(created.id, p, fixedInputs)).outs!;
        assert.equal(fixed.healthy, true);
        assert.match(conf().toString("utf8"), /\n\s*max-row-limit = 5000\n/);
        await assertOnHttps("after the converging update");
        await provider.delete!(created.id, fixed);
        await assertPristine("after delete");
    });

    it("refresh: influxd killed by PID (stays down) → read says unhealthy, diff a change; update restarts it and it answers HTTPS again", async () => {
        cert = await makeCertOnHost(data1);
        const good = inputs(cert);
        const created = await provider.create(good);
        assert.equal(created.outs!.healthy, true);
        const refreshed = (await provider.read!(created.id, created.outs!)).props!;
        assert.equal(refreshed.healthy, true);
        assert.equal((await provider.diff(created.id, refreshed, good)).changes, false);

        const pid = influxdPid(data1)!;
        process.kill(pid, "SIGKILL");
        assert.notEqual(await influxHttps(data1), 0, "influxd is down");
        const started = Date.now();
        const down = (await provider.read!(created.id, refreshed)).props!;
        figures.push(`read of a node whose influxd was killed: ${Date.now() - started} ms`);
        assert.equal(down.healthy, false);
        assert.deepEqual(down.settings, refreshed.settings, "no drift in the file");
        const d = await provider.diff(created.id, down, good);
        assert.equal(d.changes, true, "health is part of drift");
        const repaired = (await provider.update!(created.id, down, good)).outs!;
        assert.equal(repaired.healthy, true);
        assert.equal(repaired.restarted, true);
        assert.equal(repaired.written, false);
        await assertOnHttps("after the repairing update");
        await provider.delete!(created.id, repaired);
        await assertPristine("after delete");
    });

    it("figures", () => {
        console.log(`measured:\n  ${figures.join("\n  ")}`);
    });
});
