/**
 * Connection faults on the real test hosts (issue 7 §1 faults 9–12, §0 item 10), each driven
 * through the TomlSettings provider the way the engine drives it, so the error is the one a
 * user sees: it must name the host and the step, come within a bounded time, and the host
 * must be unchanged (config byte-identical, influxd not restarted).
 *
 * Injected for real: a side sshd with ed25519 + ECDSA + RSA host keys on one of this
 * checkout's loopback addresses (its keys regenerated for "host key changed"), nothing
 * listening on another address, a TCP listener that never sends the SSH banner, an
 * unauthorized key / wrong password / wrong passphrase against data1's sshd, and data1's
 * NOPASSWD sudo rule hidden inside data1's mount namespace.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { TomlSettingsProvider } from "../../provider/providers/tomlSettings/provider";
import type { TomlSettingsInputs } from "../../provider/providers/tomlSettings/types";
import { HostKeyMismatchError, withSession, type SshConnection } from "../../provider/ssh";
import { findHost, onHost, resetHost, type HostState, type SandboxState } from "../sandbox";
import { connectionTo, dataNodeService, influxConfPath, influxdPid, sandbox } from "../integration/helpers/hosts";
import { silentServer, startSshd, type TestSshd } from "../integration/ssh/sshd";

const provider = new TomlSettingsProvider();
const CONF = "/etc/influxdb/influxdb.conf";

function inputs(connection: SshConnection, host: HostState | string): TomlSettingsInputs {
    const address = typeof host === "string" ? host : host.address;
    return {
        schemaVersion: 1,
        connection,
        target: `${connection.user ?? "root"}@${address}:${connection.port ?? 22}`,
        path: CONF,
        settings: { http: { "https-enabled": true } },
        service: typeof host === "string" ? { restart: ["true"] } : { ...dataNodeService(host), verifyTimeoutSeconds: 3 },
    };
}

/** Runs create, expecting it to fail; returns the message and how long it took. */
async function failingCreate(i: TomlSettingsInputs): Promise<{ message: string; ms: number }> {
    assert.deepEqual(await provider.check(i, i).then((r) => r.failures), [], "the inputs themselves are valid");
    const started = Date.now();
    try {
        await provider.create(i);
    } catch (e) {
        return { message: (e as Error).message, ms: Date.now() - started };
    }
    assert.fail("create succeeded");
}

describe("connection faults on the test hosts", { timeout: 300_000 }, () => {
    let state: SandboxState;
    let data1: HostState;
    /** "127.0.<net>" of this checkout's test hosts. */
    let net: string;
    let side: TestSshd;
    const outcomes: string[][] = [];

    before(async () => {
        state = await sandbox();
        data1 = findHost(state, "data1");
        net = data1.address.split(".").slice(0, 3).join(".");
        await resetHost("data1");
        side = await startSshd({ host: `${net}.51`, hostKeyTypes: ["ed25519", "ecdsa", "rsa"] });
    });
    after(async () => {
        await side?.stop();
        await resetHost("data1");
        console.log("\nconnection faults (fault × outcome):");
        for (const [fault, outcome] of outcomes) {
            console.log(`  ${fault.padEnd(58)} ${outcome}`);
        }
    });

    /** data1 untouched: config byte-identical to before, influxd not restarted. */
    async function unchanged(before: { conf: Buffer; pid: number | undefined }): Promise<void> {
        assert.ok(fs.readFileSync(influxConfPath(data1)).equals(before.conf), "config byte-identical");
        assert.equal(influxdPid(data1), before.pid, "influxd not restarted");
    }
    const snapshot = () => ({ conf: fs.readFileSync(influxConfPath(data1)), pid: influxdPid(data1) });

    it("item 10: each of a host's ed25519, ECDSA and RSA keys can be pinned; a bare ECDSA/RSA fingerprint says how", async () => {
        const keys = side.hostKeys();
        assert.deepEqual(keys.map((k) => k.type), ["ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa"]);
        for (const k of keys) {
            for (const hostKey of [`${k.type} ${k.fingerprint}`, k.line]) {
                const out = await withSession(side.conn({ hostKey }), (s) => s.run(["echo", "ok"]));
                assert.equal(out.stdout.toString(), "ok\n", hostKey);
            }
        }
        // A bare fingerprint: the server presents its preferred key (ed25519).
        await withSession(side.conn({ hostKey: keys[0].fingerprint }), (s) => s.run(["true"]));
        for (const k of keys.slice(1)) {
            await assert.rejects(withSession(side.conn({ hostKey: k.fingerprint }), (s) => s.run(["true"])), (e: unknown) => {
                assert.ok(e instanceof HostKeyMismatchError);
                assert.equal(e.actualType, "ssh-ed25519");
                assert.match(e.message, /\(the server presented its ssh-ed25519 host key\); if the pin is the fingerprint of another of this host's keys \(ECDSA, RSA\), name its type: hostKey: "ecdsa-sha2-nistp256 SHA256:…"/);
                return true;
            });
        }
        // A typed pin of a key type the host does not have.
        await assert.rejects(withSession(side.conn({ hostKey: `ecdsa-sha2-nistp384 ${keys[1].fingerprint}` }), (s) => s.run(["true"])),
            /failed: the server has no host key of the pinned type \(offered: ecdsa-sha2-nistp384\)/);
        outcomes.push(["item 10: ECDSA/RSA pinned on a host that also has ed25519", "typed pins connect; bare pin: mismatch naming ssh-ed25519 + how to pin"]);
    });

    it("fault 12: host key changed since it was pinned → refused before login, every pin form", async () => {
        const old = side.hostKeys();
        const pins = [old[0].fingerprint, old[0].line, `${old[1].type} ${old[1].fingerprint}`, old[2].line];
        await side.regenerateHostKeys();
        const marker = join(side.dir, "must-not-exist");
        const accepted = (side.log().match(/Accepted publickey/g) ?? []).length;
        for (const hostKey of pins) {
            const r = await failingCreate(inputs(side.conn({ hostKey }), side.host));
            assert.match(r.message, new RegExp(`^TomlSettings create of ${CONF} on root@${side.host.replace(/\./g, "\\.")}:${side.port}: host key mismatch for ${side.host.replace(/\./g, "\\.")}:${side.port}: expected SHA256:\\S+, got SHA256:`), r.message);
            assert.ok(r.ms < 5000, `refused within 5 s (${r.ms} ms)`);
        }
        assert.ok(!fs.existsSync(marker));
        assert.equal((side.log().match(/Accepted publickey/g) ?? []).length, accepted, "no login happened");
        outcomes.push(["fault 12: host key changed since pinned", "HostKeyMismatchError before auth, < 5 s, not retried"]);
    });

    it("fault 11: nothing listening → bounded retries with backoff; the error says how long", async () => {
        const addr = `${net}.98`;
        const r = await failingCreate(inputs({ ...connectionTo(state, "data1"), host: addr, connectTimeoutSeconds: 2, dialErrorLimit: 3 }, addr));
        assert.match(r.message, new RegExp(
            `^TomlSettings create of ${CONF} on root@${addr.replace(/\./g, "\\.")}:22: SSH connection to root@${addr.replace(/\./g, "\\.")}:22 failed: ` +
            `connect ECONNREFUSED ${addr.replace(/\./g, "\\.")}:22 — gave up after 3 attempts in \\d+\\.\\ds \\(dialErrorLimit 3, connectTimeoutSeconds 2\\)$`));
        // Backoff 1 s + 2 s between the three attempts.
        assert.ok(r.ms >= 2900 && r.ms < 6000, `${r.ms} ms`);
        outcomes.push(["fault 11: nothing listening (ECONNREFUSED)", `3 attempts, ${(r.ms / 1000).toFixed(1)} s, error says so`]);
    });

    it("fault 11: a listener that never sends the SSH banner (black hole) → per-attempt timeout × dialErrorLimit", async () => {
        const addr = `${net}.99`;
        const hole = await silentServer(addr, 22);
        try {
            const r = await failingCreate(inputs({ ...connectionTo(state, "data1"), host: addr, connectTimeoutSeconds: 1, dialErrorLimit: 2 }, addr));
            assert.match(r.message, /SSH connection to root@\S+:22 timed out after 1s \(TCP connect, handshake and authentication\) — gave up after 2 attempts in \d+\.\ds \(dialErrorLimit 2, connectTimeoutSeconds 1\)$/);
            assert.equal(hole.count(), 2, "exactly dialErrorLimit attempts");
            assert.ok(r.ms >= 2900 && r.ms < 6000, `${r.ms} ms`);
            outcomes.push(["fault 11: black hole (no SSH banner)", `2 × 1 s timeout + 1 s backoff = ${(r.ms / 1000).toFixed(1)} s`]);
        } finally {
            hole.server.close();
        }
    });

    it("fault 10: wrong private key, wrong password, wrong passphrase → clear error at once, data1 unchanged", async () => {
        const before = snapshot();
        const good = connectionTo(state, "data1");
        const stranger = side.keygen("stranger");
        const encrypted = side.keygen("encrypted", "right passphrase");
        const cases: [string, SshConnection, RegExp, number][] = [
            ["unauthorized private key", { ...good, privateKey: stranger.privateKey }, /SSH authentication failed for root@\S+:22 \(tried: publickey\)$/, 5000],
            ["wrong password", { ...good, privateKey: undefined, password: "wrong password" }, /SSH authentication failed for root@\S+:22 \(tried: password\)$/, 5000],
            ["passphrase-protected key, wrong passphrase", { ...good, privateKey: encrypted.privateKey, privateKeyPassphrase: "wrong" },
                /cannot use privateKey for root@\S+:22: /, 5000],
            ["passphrase-protected key, no passphrase", { ...good, privateKey: encrypted.privateKey }, /cannot use privateKey for root@\S+:22: .*passphrase/, 5000],
        ];
        for (const [what, connection, re, bound] of cases) {
            const r = await failingCreate(inputs(connection, data1));
            assert.match(r.message, new RegExp(`^TomlSettings create of ${CONF} on root@${data1.address.replace(/\./g, "\\.")}:22: `), what);
            assert.match(r.message, re, what);
            assert.ok(!/gave up after/.test(r.message), `${what}: not retried`);
            assert.ok(r.ms < bound, `${what}: ${r.ms} ms`);
            for (const secret of ["wrong password", "right passphrase", "PRIVATE KEY"]) {
                assert.ok(!r.message.includes(secret), `${what}: no secret in the message`);
            }
            console.log(`${what}: ${r.message}`);
            outcomes.push([`fault 10: ${what}`, `refused in ${r.ms} ms, not retried, host unchanged`]);
        }
        await unchanged(before);
    });

    it("fault 9: sudo -n refused for the login user → the error says sudo refused; data1 unchanged", async () => {
        const before = snapshot();
        // Hide the NOPASSWD rule inside data1's mount namespace only (propagation is private).
        await onHost("data1", ["mount", "--bind", "/dev/null", "/etc/sudoers.d/pitls-sandbox"]);
        try {
            const r = await failingCreate(inputs(connectionTo(state, "data1", { sudoUser: true }), data1));
            assert.match(r.message, new RegExp(`^TomlSettings create of ${CONF} on ${state.users.sudo}@${data1.address.replace(/\./g, "\\.")}:22: `));
            assert.match(r.message, new RegExp(`sudo refused to run it without a password: ${state.users.sudo} needs a NOPASSWD sudo rule on the host`));
            assert.ok(r.ms < 10000, `${r.ms} ms`);
            outcomes.push(["fault 9: sudo -n refused", `refused at the first command (read) in ${r.ms} ms, host unchanged`]);
        } finally {
            await onHost("data1", ["umount", "/etc/sudoers.d/pitls-sandbox"]);
        }
        await unchanged(before);
        // And the rule is back: the same inputs work again (nothing was left half-done).
        await withSession(connectionTo(state, "data1", { sudoUser: true }), (s) => s.run(["true"]));
    });
});
