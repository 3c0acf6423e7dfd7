/**
 * The file-writing contract (provider/files), one list of cases that BOTH installers must
 * pass on a real test host (data2, over its real sshd): the SSH layer's writeFileAtomic and
 * the remote.Command install command. Faults are real: a TCP proxy that cuts the connection
 * mid-content, a hand-made stdin with a wrong hash or a short body, SIGTERM to the running
 * script found by PID on the host.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { CONTENT_EXIT, frameHeader, sha256Hex, TARGET_EXIT } from "../../../provider/files";
import type { SshConnection } from "../../../provider/ssh/types";
import { findHost, onHost, type HostState, type SandboxState } from "../../sandbox";
import { parentPid, procName } from "../../sandbox/procs";
import { connectionTo, sandbox } from "../helpers/hosts";
import { cutProxy } from "./cutProxy";
import { INSTALLERS, openStream } from "./installers";

const HOST = "data2";
const DIR = "/etc/ssl/pitls-contract";
const ORIGINAL = "ORIGINAL CONTENT\n";

let state: SandboxState;
let host: HostState;
let conn: SshConnection;

async function sh(script: string): Promise<string> {
    return (await onHost(HOST, ["sh", "-c", script], { state })).stdout.trim();
}
/** sha256 of a file on the host, or "absent". */
const shaOf = (p: string): Promise<string> => sh(`if [ -e '${p}' ]; then sha256sum < '${p}' | cut -d' ' -f1; else echo absent; fi`);
/** The temp files (.pitls.*) left in a directory on the host. */
const tempsIn = async (d: string): Promise<string[]> => (await sh(`ls -A '${d}' | grep '^\\.pitls\\.' || true`)).split("\n").filter(Boolean);
const statOf = (p: string): Promise<string> => sh(`stat -c '%U:%G %a' '${p}'`);

async function eventually(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
    const end = Date.now() + ms;
    while (!(await check())) {
        if (Date.now() > end) assert.fail(`not within ${ms} ms: ${what}`);
        await new Promise((r) => setTimeout(r, 100));
    }
}

/** A file with known content in DIR, for cases that must leave it untouched. */
async function original(name: string): Promise<string> {
    const p = `${DIR}/${name}`;
    await onHost(HOST, ["sh", "-c", `cat > '${p}'`], { state, input: ORIGINAL });
    return p;
}

/** Printable content of `n` bytes (remote.Command's stdin is a string). */
function content(n: number, seed = 1): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = 33 + ((i * 7 + seed * 13 + (i >> 10)) % 90);
    return b;
}

/** PIDs of the write script (`sh -c <script> pitls-write <path> …`) running on the host for `path`. */
function scriptPids(path: string): number[] {
    const ps = execFileSync("ps", ["-eo", "pid=,comm=,args="], { encoding: "utf8" });
    return ps.split("\n").filter((l) => / sh +sh -c /.test(` ${l.trim().replace(/^\d+/, "")}`) && l.includes(` ${path} `))
        .map((l) => Number(l.trim().split(/\s+/)[0]));
}

/** The nearest sshd ancestor of a process: the per-connection sshd serving it. */
function sshdOf(pid: number): number {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parentPid(p)) {
        if (procName(p) === "sshd" && p !== pid) return p;
    }
    throw new Error(`no sshd above pid ${pid}`);
}

before(async () => {
    state = await sandbox();
    host = findHost(state, HOST);
    conn = connectionTo(state, HOST);
    await sh(`rm -rf '${DIR}' && mkdir -p '${DIR}'`);
});
after(async () => {
    if (state) await sh(`rm -rf '${DIR}'`);
});

for (const inst of INSTALLERS) {
    const tag = inst.name === "remote.Command" ? "rc" : "ssh";
    describe(`file-writing contract: ${inst.name}`, { timeout: 180_000 }, () => {
        it("writes the content whole and sets mode and owner (names and numeric ids)", async () => {
            const p = `${DIR}/set-${tag}`;
            const c = content(70_000);
            const a = await inst.write(conn, p, c, { mode: "0600", owner: "nobody", group: "nogroup" });
            assert.ok(a.ok, JSON.stringify(a));
            assert.equal(await shaOf(p), sha256Hex(c));
            assert.equal(await statOf(p), "nobody:nogroup 600");
            const b = await inst.write(conn, p, "second\n", { mode: "640", owner: "0", group: "65534" });
            assert.ok(b.ok, JSON.stringify(b));
            assert.equal(await statOf(p), "root:nogroup 640");
            assert.equal(await shaOf(p), sha256Hex("second\n"));
            assert.ok(a.ok && b.ok && a.writeId !== "" && a.writeId !== b.writeId, "every write has its own id");
            assert.deepEqual(await tempsIn(DIR), []);
        });

        it("a 64 MiB file is written whole", async () => {
            const p = `${DIR}/big-${tag}`;
            const c = content(64 * 1024 * 1024, 2);
            const t = Date.now();
            const r = await inst.write(conn, p, c, { mode: "0644", owner: "root", group: "root" });
            console.log(`${inst.name}: 64 MiB written in ${Date.now() - t} ms`);
            assert.ok(r.ok, JSON.stringify(r));
            assert.equal(await shaOf(p), sha256Hex(c));
            assert.deepEqual(await tempsIn(DIR), []);
            await sh(`rm -f '${p}'`);
        });

        it("the connection cut mid-content: target byte-identical, no temp file left", async () => {
            const p = await original(`cut-${tag}`);
            const proxy = await cutProxy(host.address, host.sshPort, 1024 * 1024);
            try {
                const r = await inst.write({ ...conn, host: "127.0.0.1", port: proxy.port }, p, content(4 * 1024 * 1024, 3), { mode: "0644", owner: "root", group: "root" });
                assert.equal(r.ok, false, "the write fails");
                assert.ok(proxy.forwarded() >= 1024 * 1024, "the cut came after 1 MiB had been sent");
            } finally {
                await proxy.close();
            }
            // The script on the host sees EOF (or a signal) and must clean up by itself.
            await eventually("the temp file is removed", async () => (await tempsIn(DIR)).length === 0);
            assert.equal(await shaOf(p), sha256Hex(ORIGINAL), "target untouched");
        });

        it("the connection's sshd killed (SIGKILL, by PID) mid-content: the script sees EOF; target byte-identical, no temp file", async () => {
            const p = await original(`kill-${tag}`);
            const s = await openStream(conn, inst.commandLine(p));
            s.channel.write(frameHeader(content(1_000_000, 5)) + content(300_000, 5).toString());
            await eventually("content arrives in the temp file", async () => {
                const t = await tempsIn(DIR);
                return t.length === 1 && Number(await sh(`wc -c < '${DIR}/${t[0]}'`)) > 0;
            });
            const pids = scriptPids(p);
            assert.equal(pids.length, 1, `one write script for ${p}`);
            process.kill(sshdOf(pids[0]), "SIGKILL");
            s.close();
            await eventually("the script has ended", async () => scriptPids(p).length === 0);
            await eventually("the temp file is removed", async () => (await tempsIn(DIR)).length === 0, 3000);
            assert.equal(await shaOf(p), sha256Hex(ORIGINAL), "target untouched");
        });

        it("a wrong SHA-256 or a short body is refused before the target is touched", async () => {
            const p = await original(`sha-${tag}`);
            const body = "the real content\n";
            const wrong = frameHeader("other content!!!\n") + body; // same length, other hash
            let s = await openStream(conn, inst.commandLine(p));
            s.channel.end(wrong);
            let r = await s.done;
            assert.equal(r.code, CONTENT_EXIT);
            assert.match(r.stderr, /pitls: sha256 mismatch/);
            const long = frameHeader(body + "and more that never arrives\n") + body;
            s = await openStream(conn, inst.commandLine(p));
            s.channel.end(long);
            r = await s.done;
            assert.equal(r.code, CONTENT_EXIT);
            assert.match(r.stderr, /pitls: received 17 of 45 bytes/);
            s = await openStream(conn, inst.commandLine(p));
            s.channel.end(body); // no header at all (an old client)
            r = await s.done;
            assert.equal(r.code, CONTENT_EXIT);
            assert.equal(await shaOf(p), sha256Hex(ORIGINAL));
            assert.deepEqual(await tempsIn(DIR), []);
        });

        it("a directory as target is refused; a missing directory is named", async () => {
            const d = `${DIR}/is-a-dir-${tag}`;
            await sh(`mkdir -p '${d}'`);
            const r = await inst.write(conn, d, "key material", { mode: "0600", owner: "root", group: "root" });
            assert.equal(r.ok, false);
            assert.match(r.ok ? "" : r.message, /is a directory/);
            assert.deepEqual(await sh(`ls -A '${d}'`), "", "nothing left inside the directory");
            const m = await inst.write(conn, `${DIR}/no-such-dir/x.crt`, "x", { mode: "0644", owner: "root", group: "root" });
            assert.equal(m.ok, false);
            assert.match(m.ok ? "" : m.message, /directory \/etc\/ssl\/pitls-contract\/no-such-dir does not exist/);
            if (!m.ok && m.code !== undefined) assert.equal(m.code, TARGET_EXIT);
        });

        it("SIGTERM to the running script removes its temp file; the target is untouched", async () => {
            const p = await original(`term-${tag}`);
            const s = await openStream(conn, inst.commandLine(p));
            s.channel.write(frameHeader(content(1_000_000, 4)) + content(1000, 4).toString());
            await eventually("the temp file appears", async () => (await tempsIn(DIR)).length === 1);
            const pids = scriptPids(p);
            assert.equal(pids.length, 1, `one write script for ${p}: ${pids.join(",")}`);
            process.kill(pids[0], "SIGTERM");
            const r = await Promise.race([s.done, new Promise<{ code: null; stderr: string }>((res) => setTimeout(() => res({ code: null, stderr: "timeout" }), 5000))]);
            s.close();
            assert.equal(r.code, 143, `exit code after SIGTERM (${r.stderr})`);
            await eventually("the temp file is removed", async () => (await tempsIn(DIR)).length === 0, 3000);
            assert.equal(await shaOf(p), sha256Hex(ORIGINAL));
        });

        it("compare-and-swap: a mismatch changes nothing; a match writes", async () => {
            const p = await original(`cas-${tag}`);
            const r = await inst.write(conn, p, "mine", { expectedSha256: sha256Hex("someone else's"), mode: "0644", owner: "root", group: "root" });
            assert.equal(r.ok, false);
            assert.match(r.ok ? "" : r.message, /its content is not the one expected \(no hash shown/);
            assert.equal(await shaOf(p), sha256Hex(ORIGINAL));
            const n = await inst.write(conn, `${DIR}/cas-new-${tag}`, "x", { expectedSha256: sha256Hex(ORIGINAL), mode: "0644", owner: "root", group: "root" });
            assert.match(n.ok ? "" : n.message, /the file is missing/);
            const ok = await inst.write(conn, p, "mine", { expectedSha256: sha256Hex(ORIGINAL), mode: "0644", owner: "root", group: "root" });
            assert.ok(ok.ok, JSON.stringify(ok));
            assert.equal(await shaOf(p), sha256Hex("mine"));
            assert.deepEqual(await tempsIn(DIR), []);
        });
    });
}
