/**
 * A timed-out command is really stopped on the host (issue 7 §0 item 3). sshd refuses SSH
 * signals for root logins ("session signalling requires privilege separation"), so the
 * old abort left the command running. Checked on the sandbox's data1 (real sshd) as root and
 * as the NOPASSWD sudo user, with the host's process list read from /proc on this machine
 * (the hosts share its PID namespace): the command and its children are gone once the
 * timeout error arrives, also when they ignore SIGTERM (KILL after the grace period).
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { after, before, describe, it } from "node:test";
import { KILL_GRACE_SECONDS, SshTimeoutError, withSession } from "../../../provider/ssh";
import type { SandboxState } from "../../sandbox";
import { connectionTo, sandbox } from "../helpers/hosts";

/** PIDs of live (non-zombie) processes whose command line contains `marker`. */
function processesWith(marker: string): number[] {
    const pids: number[] = [];
    for (const d of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
        try {
            const cmd = fs.readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0").join(" ");
            const st = fs.readFileSync(`/proc/${d}/stat`, "utf8").replace(/^.*\) /, "").split(" ")[0];
            if (cmd.includes(marker) && st !== "Z" && st !== "X") pids.push(Number(d));
        } catch {
            /* gone meanwhile */
        }
    }
    return pids;
}

async function waitFor(what: string, ok: () => boolean, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (!ok()) {
        if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
    }
}

describe("command timeouts stop the command on the host (real sshd, root and sudo)", { timeout: 120_000 }, () => {
    let state: SandboxState;
    before(async () => {
        state = await sandbox();
    });
    after(() => {
        // Nothing of ours may be left running, whatever happened above.
        for (const pid of processesWith("pitls-timeout-")) {
            try {
                process.kill(pid, "SIGKILL");
            } catch {
                /* gone */
            }
        }
    });

    for (const who of ["root", "sudo"] as const) {
        it(`${who}: a long command and its child are gone when the timeout error arrives`, async () => {
            const marker = `pitls-timeout-${randomBytes(4).toString("hex")}`;
            const child = `sleep ${3000 + randomBytes(2).readUInt16BE(0)}`; // a unique command line
            const conn = connectionTo(state, "data1", { sudoUser: who === "sudo" });
            const started = Date.now();
            await withSession(conn, async (s) => {
                const pending = s.exec(["sh", "-c", `${child} & wait`, marker], { timeoutSeconds: 2 });
                await waitFor("the command and its child to start", () => processesWith(marker).length > 0 && processesWith(child).length > 0, 5000);
                const error = await pending.then(() => undefined, (e: unknown) => e);
                const elapsed = Date.now() - started;
                console.log(`${who}: timeout error after ${elapsed} ms`);
                // The child is in the command's process group: stopped with it.
                assert.deepEqual(processesWith(marker), [], "the command is gone");
                assert.deepEqual(processesWith(child), [], "its child is gone");
                assert.ok(error instanceof SshTimeoutError, String(error));
                assert.match(error.message, /timed out after 2s and was stopped on the host/);
                assert.ok(elapsed < 2000 + 3000, `error within the limit plus a little (${elapsed} ms)`);
                // The session stays usable.
                assert.equal((await s.run(["echo", "ok"])).stdout.toString(), "ok\n");
            });
        });

        it(`${who}: a command that ignores SIGTERM is killed after the grace period`, async () => {
            const marker = `pitls-timeout-${randomBytes(4).toString("hex")}`;
            const conn = connectionTo(state, "data1", { sudoUser: who === "sudo" });
            const started = Date.now();
            await withSession(conn, async (s) => {
                await assert.rejects(s.exec(["sh", "-c", 'trap "" TERM; while :; do sleep 0.2; done; echo "$0"', marker], { timeoutSeconds: 1 }), SshTimeoutError);
            });
            const elapsed = Date.now() - started;
            console.log(`${who}: TERM-ignoring command stopped after ${elapsed} ms (grace ${KILL_GRACE_SECONDS} s)`);
            assert.ok(elapsed >= (1 + KILL_GRACE_SECONDS) * 1000 - 500, "TERM was ignored, KILL came after the grace");
            await waitFor("the command to be gone", () => processesWith(marker).length === 0, 2000);
        });
    }
});
