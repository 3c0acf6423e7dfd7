// SshLink: reopening a lost connection. A host that is lost for good must cost one dial policy
// (dialErrorLimit attempts of connectTimeoutSeconds, with backoff) per operation — not one per
// reopen attempt, nor one more for every later step (verify retries, rollback rounds) that asks
// the link for a session.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { SshLink } from "../../../provider/ssh";
import { sandboxNet } from "../../sandbox/hosts";
import { Blackhole } from "../../faults/inject/blackhole";
import { TcpProxy } from "../../faults/inject/proxy";
import { startSshd, type TestSshd } from "./sshd";

// An address of this checkout's sandbox net that no host, proxy or other test uses.
const ADDRESS = `127.0.${sandboxNet()}.202`;
const PORT = 2222;

let sshd: TestSshd;
let proxy: TcpProxy;

before(async () => {
    sshd = await startSshd();
    proxy = new TcpProxy(ADDRESS, PORT, { host: sshd.host, port: sshd.port });
    await proxy.start();
});
after(async () => {
    await proxy?.stop();
    await sshd?.stop();
});

/** Resolves once the link's connection is known to be gone. */
async function lost(link: SshLink): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!link.lost) {
        if (Date.now() > deadline) throw new Error("the link never noticed the loss");
        await new Promise((r) => setTimeout(r, 20));
    }
}

test("a lost connection is reopened when the host answers again; the link counts the reconnect", async () => {
    const link = new SshLink({ ...sshd.conn(), host: ADDRESS, port: PORT, connectTimeoutSeconds: 5 });
    try {
        await (await link.open()).run(["true"]);
        await proxy.stop(); // drops the connection
        await lost(link);
        await proxy.start();
        const out = await (await link.session()).run(["echo", "again"]);
        assert.equal(out.stdout.toString(), "again\n");
        assert.equal(link.reconnects, 1);
    } finally {
        await link.close();
    }
});

test("a lost connection to a host that is now blackholed: one dial policy, then every later session() fails at once", async () => {
    // One policy: 2 attempts × 2 s + 1 s backoff = 5 s.
    const conn = { ...sshd.conn(), host: ADDRESS, port: PORT, connectTimeoutSeconds: 2, dialErrorLimit: 2 };
    const link = new SshLink(conn);
    const hole = new Blackhole(ADDRESS, PORT);
    try {
        await (await link.open()).run(["true"]);
        await proxy.stop();
        await lost(link);
        await hole.start(); // SYNs to ADDRESS:PORT are dropped from now on

        const t0 = Date.now();
        const first = await link.session().then(() => undefined, (e: Error) => e);
        const ms = Date.now() - t0;
        assert.ok(first, "reopening a blackholed host must fail");
        assert.match(first.message, new RegExp(
            `^the connection to root@${ADDRESS.replace(/\./g, "\\.")}:${PORT} was lost and could not be reopened: ` +
            `SSH connection to root@\\S+:${PORT} timed out after 2s \\(TCP connect, handshake and authentication\\) — ` +
            `gave up after 2 attempts in \\d+\\.\\ds \\(dialErrorLimit 2, connectTimeoutSeconds 2\\)$`), first.message);
        // Before: 3 reopen attempts, each a whole dial policy, 1 s and 2 s apart (≈ 18 s).
        assert.ok(ms >= 4500 && ms < 8000, `one dial policy (≈ 5 s), took ${ms} ms`);
        console.log(`reopen of a blackholed host failed after ${ms} ms (policy: 2 × 2 s + 1 s backoff)`);

        // The rest of the operation (verify retries, rollback rounds) does not dial again.
        for (let i = 0; i < 3; i++) {
            const t1 = Date.now();
            await assert.rejects(link.session(), (e: Error) => e.message === first.message);
            assert.ok(Date.now() - t1 < 200, `later session() calls fail at once (${Date.now() - t1} ms)`);
        }
        assert.equal(link.reconnects, 0);
    } finally {
        await link.close();
        await hole.stop();
        await proxy.start();
    }
});
