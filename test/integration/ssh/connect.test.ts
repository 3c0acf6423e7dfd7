// Connecting: host key pinning (every pin form, mismatch, unpinned), auth methods
// (key, encrypted key, agent) and how connection failures read.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { HostKeyMismatchError, SshError, SshSession, withSession } from "../../../provider/ssh";
import { freePort, silentServer, startSshd, TestSshd } from "./sshd";

let sshd: TestSshd;

before(async () => {
    sshd = await startSshd();
});
after(async () => {
    await sshd?.stop();
});

/** Count of successful logins sshd has logged so far. */
const accepted = (): number => (sshd.log().match(/Accepted publickey/g) ?? []).length;

test("every pin form is accepted: fingerprint, public key line, known_hosts line", async () => {
    const pins = [sshd.hostKeyFingerprint, sshd.hostKeyLine, `[127.0.0.1]:${sshd.port} ${sshd.hostKeyLine}`];
    for (const hostKey of pins) {
        const out = await withSession(sshd.conn({ hostKey }), (s) => s.run(["echo", "pinned"]));
        assert.equal(out.stdout.toString(), "pinned\n", hostKey);
    }
});

test("a wrong host key fails the handshake; nothing is authenticated or executed", async () => {
    const other = sshd.keygen("other_host_key");
    const marker = join(sshd.dir, "must-not-exist");
    const before = accepted();
    for (const hostKey of [other.publicLine, "SHA256:" + "A".repeat(43)]) {
        await assert.rejects(
            withSession(sshd.conn({ hostKey }), (s) => s.run(["touch", marker])),
            (e: unknown) => {
                assert.ok(e instanceof HostKeyMismatchError);
                assert.match(
                    e.message,
                    new RegExp(`^host key mismatch for 127\\.0\\.0\\.1:${sshd.port}: expected SHA256:\\S+, got ${sshd.hostKeyFingerprint.replace(/[+/]/g, "\\$&")} \\(the server presented its ssh-ed25519 host key\\)`),
                );
                // A bare fingerprint does not say its key type: the error says how to name it.
                assert.equal(/name its type: hostKey: "ecdsa-sha2-nistp256 SHA256:…"/.test(e.message), hostKey.startsWith("SHA256:"), e.message);
                assert.equal(e.actual, sshd.hostKeyFingerprint);
                assert.equal(e.actualType, "ssh-ed25519");
                return true;
            },
        );
    }
    assert.ok(!existsSync(marker));
    assert.equal(accepted(), before, "sshd logged no login");
});

test("an unpinned host is refused before any connection is made", async () => {
    const srv = await silentServer();
    try {
        await assert.rejects(
            SshSession.open({ host: "127.0.0.1", port: srv.port, privateKey: sshd.rootKey.privateKey }),
            (e: unknown) => {
                assert.ok(e instanceof SshError);
                assert.match(e.message, /^invalid SSH connection to root@127\.0\.0\.1:\d+: connection\.hostKey: the host key of 127\.0\.0\.1 must be pinned: .*set insecureIgnoreHostKey: true only for throwaway hosts$/);
                return true;
            },
        );
        await assert.rejects(SshSession.open({ host: "127.0.0.1", port: srv.port, privateKey: "garbage", hostKey: sshd.hostKeyLine }), /cannot use privateKey for root@127\.0\.0\.1:\d+: /);
        await assert.rejects(SshSession.open({ host: "127.0.0.1", port: srv.port, hostKey: sshd.hostKeyLine }), /invalid SSH connection to root@127\.0\.0\.1:\d+: connection: no SSH authentication: set privateKey, password or agentSocket/);
        await assert.rejects(SshSession.open({ host: "127.0.0.1", port: srv.port, password: "x", hostKey: "nonsense" }), /invalid SSH connection to root@127\.0\.0\.1:\d+: connection\.hostKey: not a fingerprint/);
        await new Promise((r) => setTimeout(r, 100));
        assert.equal(srv.count(), 0, "no TCP connection was opened");
    } finally {
        srv.server.close();
    }
});

test("insecureIgnoreHostKey: true connects without a pin", async () => {
    const out = await withSession(sshd.conn({ hostKey: undefined, insecureIgnoreHostKey: true }), (s) => s.run(["id", "-u"]));
    assert.equal(out.stdout.toString(), "0\n");
});

test("authentication failure names user@host:port and methods, never the key", async () => {
    const stranger = sshd.keygen("unauthorized");
    await assert.rejects(SshSession.open(sshd.conn({ privateKey: stranger.privateKey })), (e: unknown) => {
        assert.ok(e instanceof SshError);
        assert.equal(e.message, `SSH authentication failed for root@127.0.0.1:${sshd.port} (tried: publickey)`);
        return true;
    });
    await assert.rejects(SshSession.open(sshd.conn({ privateKey: undefined, password: "hunter2" })), (e: unknown) => {
        assert.match((e as Error).message, /authentication failed .*\(tried: password\)/);
        assert.ok(!(e as Error).message.includes("hunter2"));
        return true;
    });
});

test("connection refused and handshake timeout read clearly", async () => {
    const closedPort = await freePort();
    await assert.rejects(SshSession.open(sshd.conn({ port: closedPort, dialErrorLimit: 1 })),
        new RegExp(`^SshError: SSH connection to root@127\\.0\\.0\\.1:${closedPort} failed: connect ECONNREFUSED .* — gave up after 1 attempt in \\d+\\.\\ds \\(dialErrorLimit 1, connectTimeoutSeconds 10\\)$`));
    const srv = await silentServer();
    const started = Date.now();
    try {
        await assert.rejects(
            SshSession.open(sshd.conn({ port: srv.port, connectTimeoutSeconds: 1, dialErrorLimit: 1 })),
            new RegExp(`SSH connection to root@127\\.0\\.0\\.1:${srv.port} timed out after 1s`),
        );
    } finally {
        srv.server.close();
    }
    assert.ok(Date.now() - started < 4000);
});

test("passphrase-protected private key", async () => {
    const enc = sshd.keygen("encrypted_key", "correct horse battery staple");
    sshd.authorize("root", enc.publicLine);
    assert.match(enc.privateKey, /BEGIN OPENSSH PRIVATE KEY/);
    const out = await withSession(sshd.conn({ privateKey: enc.privateKey, privateKeyPassphrase: "correct horse battery staple" }), (s) =>
        s.run(["echo", "decrypted"]),
    );
    assert.equal(out.stdout.toString(), "decrypted\n");
    for (const privateKeyPassphrase of [undefined, "wrong"]) {
        await assert.rejects(SshSession.open(sshd.conn({ privateKey: enc.privateKey, privateKeyPassphrase })), (e: unknown) => {
            assert.match((e as Error).message, /^cannot use privateKey for root@127\.0\.0\.1:\d+: /);
            assert.ok(!(e as Error).message.includes("correct horse"));
            return true;
        });
    }
});

test("RSA key in PEM format", async () => {
    const rsa = sshd.keygen("rsa_key", "", "rsa");
    execFileSync("ssh-keygen", ["-q", "-p", "-m", "PEM", "-N", "", "-f", join(sshd.dir, "rsa_key")]);
    const pem = execFileSync("cat", [join(sshd.dir, "rsa_key")], { encoding: "utf8" });
    assert.match(pem, /BEGIN RSA PRIVATE KEY/);
    sshd.authorize("root", rsa.publicLine);
    const out = await withSession(sshd.conn({ privateKey: pem }), (s) => s.run(["echo", "rsa"]));
    assert.equal(out.stdout.toString(), "rsa\n");
});

test("ssh-agent authentication", async () => {
    const key = sshd.keygen("agent_key");
    sshd.authorize("root", key.publicLine);
    const sock = join(sshd.dir, "agent.sock");
    const agent: ChildProcess = spawn("ssh-agent", ["-D", "-a", sock], { stdio: "ignore" });
    try {
        for (let i = 0; i < 100 && !existsSync(sock); i++) {
            await new Promise((r) => setTimeout(r, 20));
        }
        execFileSync("ssh-add", ["-q", join(sshd.dir, "agent_key")], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: "ignore" });
        const out = await withSession(sshd.conn({ privateKey: undefined, agentSocket: sock }), (s) => s.run(["echo", "agent"]));
        assert.equal(out.stdout.toString(), "agent\n");
    } finally {
        if (agent.pid !== undefined && agent.exitCode === null) {
            process.kill(agent.pid, "SIGTERM");
        }
    }
});
