// Commands against a real sshd: exit codes, stdin, quoting of hostile paths, timeouts,
// error text, connection accounting and a bastion hop.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import {
    SshCommandError,
    SshSession,
    SshTimeoutError,
    resetSshStats,
    sshStats,
    withSession,
} from "../../../provider/ssh";
import { startSshd, TestSshd } from "./sshd";

let sshd: TestSshd;
let s: SshSession;

before(async () => {
    sshd = await startSshd();
    s = await SshSession.open(sshd.conn());
});
after(async () => {
    await s?.close();
    await sshd?.stop();
});

test("exit codes, stdout and stderr come back; exec never throws on a code", async () => {
    const r = await s.exec(["sh", "-c", 'echo out; echo err >&2; exit "$1"', "sh", "3"]);
    assert.equal(r.code, 3);
    assert.equal(r.stdout.toString(), "out\n");
    assert.equal(r.stderr.toString(), "err\n");
    assert.equal((await s.exec(["true"])).code, 0);
    // Bad argv is a rejection, not a synchronous throw.
    await assert.rejects(s.exec(["echo", "a\0b"]), /NUL/);
});

test("a command killed by a signal reports the signal; run names it", async () => {
    const r = await s.exec(["sh", "-c", 'kill -KILL "$$"']);
    assert.deepEqual([r.code, r.signal], [-1, "SIGKILL"]);
    await assert.rejects(s.run(["sh", "-c", 'kill -TERM "$$"']), /was killed by signal SIGTERM: sh -c/);
});

test("stdin is delivered byte for byte and closed", async () => {
    const data = Buffer.alloc(300_000);
    for (let i = 0; i < data.length; i++) {
        data[i] = (i * 7919) & 0xff;
    }
    const r = await s.run(["sha256sum"], { stdin: data });
    const { createHash } = await import("node:crypto");
    assert.equal(r.stdout.toString().split(" ")[0], createHash("sha256").update(data).digest("hex"));
    const cat = await s.run(["cat"], { stdin: "hello" });
    assert.equal(cat.stdout.toString(), "hello");
    // No stdin given: the command sees EOF at once instead of hanging.
    assert.equal((await s.run(["cat"], { timeoutSeconds: 5 })).stdout.length, 0);
});

test("run throws with target, quoted command, exit code and stderr tail, never stdin", async () => {
    const noise = "x".repeat(2000) + "THE-END";
    await assert.rejects(
        s.run(["sh", "-c", 'cat >/dev/null; printf %s "$1" >&2; exit 7', "sh", noise], { stdin: "SECRET-STDIN" }),
        (e: unknown) => {
            assert.ok(e instanceof SshCommandError);
            assert.equal(e.code, 7);
            assert.match(e.message, new RegExp(`^command on root@127\\.0\\.0\\.1:${sshd.port} exited with code 7: sh -c `));
            assert.match(e.message, /THE-END$/);
            assert.ok(e.stderrTail.length <= 501, "stderr is cut to its tail");
            assert.ok(!e.message.includes("SECRET-STDIN"));
            return true;
        },
    );
    assert.equal((await s.run(["sh", "-c", "exit 1"], { okCodes: [0, 1] })).code, 1);
});

test("hostile file names reach the remote side as exactly one argument", async () => {
    const base = join(sshd.dir, "names");
    mkdirSync(base);
    const names = ["with space", "it's", 'dq"uote', "$(touch pwned)", "`touch pwned2`", "semi;colon", "new\nline", "-n", "*", "tab\t", "ünï"];
    for (const n of names) {
        await s.run(["touch", "--", join(base, n)]);
    }
    assert.deepEqual(readdirSync(base).sort(), [...names].sort());
    for (const n of names) {
        const r = await s.run(["cat", "--", join(base, n)]);
        assert.equal(r.stdout.length, 0);
    }
    assert.ok(!existsSync(join(base, "pwned")) && !existsSync("pwned"));
    rmSync(base, { recursive: true });
});

test("a command past its timeout is aborted with an error naming host and program", async () => {
    const started = Date.now();
    await assert.rejects(s.exec(["sleep", "30"], { timeoutSeconds: 1 }), (e: unknown) => {
        assert.ok(e instanceof SshTimeoutError);
        assert.equal(e.message, `command "sleep" on root@127.0.0.1:${sshd.port} timed out after 1s and was stopped on the host`);
        return true;
    });
    assert.ok(Date.now() - started < 5000);
    // The session is still usable afterwards.
    assert.equal((await s.run(["echo", "ok"])).stdout.toString(), "ok\n");
});

test("commandTimeoutSeconds on the connection is the default timeout", async () => {
    await withSession(sshd.conn({ commandTimeoutSeconds: 1 }), async (t) => {
        await assert.rejects(t.exec(["sleep", "20"]), SshTimeoutError);
    });
});

test("sshStats counts one connection per session and one per command", async () => {
    resetSshStats();
    await withSession(sshd.conn(), async (t) => {
        await t.run(["true"]);
        await t.readFile("/etc/hostname");
        await t.writeFileAtomic(join(sshd.dir, "counted"), "x");
    });
    assert.deepEqual({ ...sshStats }, { connections: 1, commands: 3 });
});

test("withSession closes the session even when fn throws", async () => {
    let inner: SshSession | undefined;
    await assert.rejects(
        withSession(sshd.conn(), async (t) => {
            inner = t;
            throw new Error("boom");
        }),
        /boom/,
    );
    await assert.rejects(inner!.exec(["true"]), /is closed/);
});

test("a bastion hop (proxy) works and is pinned like the target", async () => {
    resetSshStats();
    const marker = join(sshd.dir, "via-proxy");
    await withSession(sshd.conn({ proxy: sshd.conn() }), async (t) => {
        await t.run(["touch", marker]);
    });
    assert.ok(existsSync(marker));
    assert.equal(sshStats.connections, 2);
    await assert.rejects(
        SshSession.open(sshd.conn({ proxy: sshd.conn({ hostKey: undefined }) })),
        /SSH host key for 127\.0\.0\.1 is not pinned/,
    );
    assert.equal(readFileSync(marker).length, 0);
});
