// READ_MANY_SCRIPT and the batched backup drop (one SSH channel for several files): run
// under the local /bin/sh (dash) against real files, the exact text the hosts get.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chownSync, existsSync, linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dropBackupsArgv, parseReadManyOutput, parseReadOutput, readFileArgv, readManyArgv } from "../../../provider/files";

let dir: string;
before(() => {
    dir = mkdtempSync(join(tmpdir(), "pitls-readmany-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function run(argv: string[]): { code: number; stdout: Buffer; stderr: string } {
    const r = spawnSync(argv[0], argv.slice(1), { input: "" });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr.toString() };
}

test("read many: the same HostFile per path as one read each (binary, empty, absent, dangling symlink, metadata)", () => {
    const bin = join(dir, "bin");
    writeFileSync(bin, Buffer.from([0, 1, 2, 10, 13, 255, 0, 10, 10]), { mode: 0o640 });
    chownSync(bin, 65534, 65534);
    const noNewline = join(dir, "key.pem");
    writeFileSync(noNewline, "-----BEGIN PRIVATE KEY-----\nabc", { mode: 0o600 });
    const empty = join(dir, "empty");
    writeFileSync(empty, "");
    // Content that looks like the script's own framing must come through as content.
    const tricky = join(dir, "tricky");
    writeFileSync(tricky, "x\npitls-end\nabsent\nfile 644 root root 0 0 3\n");
    const dangling = join(dir, "dangling");
    symlinkSync(join(dir, "gone"), dangling);
    const paths = [bin, noNewline, join(dir, "missing"), empty, tricky, dangling, join(dir, "no-dir", "f"), bin];
    const r = run(readManyArgv(paths));
    assert.equal(r.code, 0, r.stderr);
    const many = parseReadManyOutput(r.stdout, paths.length);
    assert.deepEqual(many, paths.map((p) => parseReadOutput(run(readFileArgv(p)).stdout)));
    assert.equal(many[0].owner, "nobody");
    assert.equal(many[2].exists, false);
    assert.equal(many[5].exists, false);
});

test("read many: a directory fails the command like a single read; bad framing is refused", () => {
    const sub = join(dir, "sub");
    mkdirSync(sub, { recursive: true });
    const r = run(readManyArgv([join(dir, "bin"), sub]));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /not a regular file/);
    // A file that shrank between stat and read: the end mark is out of place.
    assert.throws(() => parseReadManyOutput(Buffer.from("file 644 root root 0 0 5\nabc\npitls-end\n"), 1), /changed while it was read/);
    // A file that grew: the announced bytes are followed by more content, not the end mark.
    assert.throws(() => parseReadManyOutput(Buffer.from("file 644 root root 0 0 2\nabc\npitls-end\n"), 1), /changed while it was read/);
    assert.throws(() => parseReadManyOutput(Buffer.from("absent\n"), 2), /no header/);
    assert.throws(() => parseReadManyOutput(Buffer.from("absent\nabsent\n"), 1), /more output/);
    assert.throws(() => readManyArgv(["relative/path"]));
});

test("drop backups: every path's backup goes in one command, missing ones are fine", () => {
    const a = join(dir, "a.conf");
    const b = join(dir, "b.crt");
    writeFileSync(a, "a");
    writeFileSync(b, "b");
    linkSync(a, join(dir, ".a.conf.pitls-prev"));
    const r = run(dropBackupsArgv([a, b, join(dir, "none")]));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.toString(), "dropped\n");
    assert.equal(existsSync(join(dir, ".a.conf.pitls-prev")), false);
    assert.equal(existsSync(a) && existsSync(b), true);
    assert.throws(() => dropBackupsArgv(["relative"]));
});
