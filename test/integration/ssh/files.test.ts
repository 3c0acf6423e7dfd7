// readFile / writeFileAtomic / removeFile over a real SSH connection, on real files.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CompareAndSwapError, isCompareAndSwapError, SshCommandError, SshSession, sha256Hex } from "../../../provider/ssh";
import { startSshd, TestSshd } from "./sshd";

const NOBODY = 65534; // nobody:nogroup on Debian

let sshd: TestSshd;
let s: SshSession;
let dir: string;

before(async () => {
    sshd = await startSshd();
    s = await SshSession.open(sshd.conn());
    // A directory name that needs every kind of quoting (newlines are refused: see below).
    dir = join(sshd.dir, "it's a $(dir) `x` \"q\" ;&|<>*? line");
    mkdirSync(dir);
});
after(async () => {
    await s?.close();
    await sshd?.stop();
});

const mode = (p: string): string => (statSync(p).mode & 0o7777).toString(8);
const leftovers = (): string[] => readdirSync(dir).filter((n) => n.startsWith(".pitls."));

test("readFile: missing file", async () => {
    const f = await s.readFile(join(dir, "missing.conf"));
    assert.deepEqual(f, { exists: false, content: Buffer.alloc(0), sha256: "" });
});

test("readFile: binary content and metadata, through a hostile path", async () => {
    const p = join(dir, "bin $(x) 'q'\t.dat".replace("\t", " "));
    const bytes = Buffer.alloc(70_000);
    for (let i = 0; i < bytes.length; i++) {
        bytes[i] = (i * 31 + 7) & 0xff;
    }
    writeFileSync(p, bytes, { mode: 0o640 });
    chownSync(p, NOBODY, NOBODY);
    const f = await s.readFile(p);
    assert.equal(f.exists, true);
    assert.ok(f.content.equals(bytes));
    assert.equal(f.sha256, sha256Hex(bytes));
    assert.deepEqual([f.mode, f.owner, f.group], ["640", "nobody", "nogroup"]);
});

test("paths with a newline, NUL or a .. segment are refused before anything runs", async () => {
    for (const bad of [join(dir, "a\nb"), join(dir, "a\0b"), dir + "/../x", "relative"]) {
        await assert.rejects(s.writeFileAtomic(bad, "x"), /remote file: .*(control character|segments|absolute)/);
        await assert.rejects(s.readFile(bad), /remote file: /);
    }
});

test("readFile: a directory is an error naming the path", async () => {
    await assert.rejects(s.readFile(dir), (e: unknown) => {
        assert.ok(e instanceof SshCommandError);
        assert.match(e.message, /exited with code 1: read '/);
        assert.match(e.message, /not a regular file/);
        return true;
    });
});

test("writeFileAtomic keeps owner, group and mode of an existing file", async () => {
    const p = join(dir, "influxdb.conf");
    writeFileSync(p, "old\n", { mode: 0o640 });
    chownSync(p, NOBODY, NOBODY);
    const content = "[http]\n  https-enabled = true\n";
    const { sha256 } = await s.writeFileAtomic(p, content, { expectedSha256: sha256Hex("old\n") });
    assert.equal(sha256, sha256Hex(content));
    assert.equal(readFileSync(p, "utf8"), content);
    assert.equal(mode(p), "640");
    assert.deepEqual([statSync(p).uid, statSync(p).gid], [NOBODY, NOBODY]);
    assert.deepEqual(leftovers(), []);
});

test("writeFileAtomic applies the given mode and owner (they win over the existing ones)", async () => {
    const p = join(dir, "key.pem");
    writeFileSync(p, "x", { mode: 0o644 });
    await s.writeFileAtomic(p, Buffer.from("KEY"), { mode: "0600", owner: "nobody", group: "root" });
    assert.equal(mode(p), "600");
    assert.deepEqual([statSync(p).uid, statSync(p).gid], [NOBODY, 0]);
    // Owner only, new file: the owner's login group.
    const q = join(dir, "new-owned");
    await s.writeFileAtomic(q, "y", { owner: "nobody", expectedSha256: null });
    assert.deepEqual([statSync(q).uid, statSync(q).gid, mode(q)], [NOBODY, NOBODY, "644"]);
});

test("writeFileAtomic: compare-and-swap failure leaves the file and no temp file", async () => {
    const p = join(dir, "cas.conf");
    writeFileSync(p, "v1", { mode: 0o600 });
    const read = await s.readFile(p);
    writeFileSync(p, "v2 (changed by someone else)");
    await assert.rejects(s.writeFileAtomic(p, "mine", { expectedSha256: read.sha256 }), (e: unknown) => {
        assert.ok(e instanceof CompareAndSwapError && isCompareAndSwapError(e));
        assert.match(e.message, /cas\.conf changed on 127\.0\.0\.1 since it was read \(compare-and-swap failed: its content is not the one expected \(no hash shown: it may be a key's\)\)$/);
        return true;
    });
    await assert.rejects(s.writeFileAtomic(p, "mine", { expectedSha256: null }), /compare-and-swap failed: the file exists/);
    assert.equal(readFileSync(p, "utf8"), "v2 (changed by someone else)");
    assert.equal(mode(p), "600");
    assert.deepEqual(leftovers(), []);
});

test("writeFileAtomic: new file is 0644 by default, content only on stdin, empty content ok", async () => {
    const p = join(dir, "fresh.conf");
    await s.writeFileAtomic(p, "", { expectedSha256: null });
    assert.equal(mode(p), "644");
    assert.equal(statSync(p).size, 0);
    const big = Buffer.alloc(1_000_000, 0xab);
    await s.writeFileAtomic(p, big);
    assert.ok(readFileSync(p).equals(big));
    assert.deepEqual(leftovers(), []);
});

test("writeFileAtomic: a failing write (unknown group) reports stderr and cleans up", async () => {
    const p = join(dir, "badgroup.conf");
    await assert.rejects(s.writeFileAtomic(p, "x", { group: "no-such-group-pitls" }), (e: unknown) => {
        assert.ok(e instanceof SshCommandError);
        assert.match(e.message, /^command on root@127\.0\.0\.1:\d+ exited with code 1: write '.*badgroup\.conf'\nstderr: chgrp: invalid group/s);
        return true;
    });
    assert.ok(!existsSync(p));
    assert.deepEqual(leftovers(), []);
});

test("writeFileAtomic through a symlink replaces the target and keeps the link", async () => {
    const target = join(dir, "real.conf");
    const link = join(dir, "link.conf");
    writeFileSync(target, "a");
    symlinkSync(target, link);
    await s.writeFileAtomic(link, "b", { expectedSha256: sha256Hex("a") });
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readFileSync(target, "utf8"), "b");
});

test("removeFile is guarded by the expected hash", async () => {
    const p = join(dir, "remove me.crt");
    writeFileSync(p, "cert");
    await assert.rejects(s.removeFile(p, { expectedSha256: sha256Hex("other") }), CompareAndSwapError);
    assert.ok(existsSync(p));
    assert.deepEqual(await s.removeFile(p, { expectedSha256: sha256Hex("cert") }), { removed: true });
    assert.ok(!existsSync(p));
    assert.deepEqual(await s.removeFile(p), { removed: false });
});
