// The file scripts are constant sh text sent over SSH; here they run under the local
// /bin/sh (dash) against real files, which exercises exactly the text the hosts get.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, lstatSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
    CAS_EXIT,
    expectationHeader,
    frameBuffer,
    frameHeader,
    parseReadOutput,
    readFileArgv,
    removeFileArgv,
    scriptMessage,
    sha256Hex,
    writeFileArgv,
    writeInput,
} from "../../../provider/files";

let dir: string;
before(() => {
    dir = mkdtempSync(join(tmpdir(), "pitls-scripts-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Run an argv (["sh", "-c", script, "sh", ...]) locally. */
function run(argv: string[], stdin?: Buffer | string): { code: number; stdout: Buffer; stderr: Buffer } {
    const r = spawnSync(argv[0], argv.slice(1), { input: stdin ?? "" });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const mode = (p: string): string => (statSync(p).mode & 0o7777).toString(8);
const leftovers = (): string[] => readdirSync(dir).filter((n) => n.startsWith(".pitls."));

test("read: missing file, binary content, metadata", () => {
    const missing = run(readFileArgv(join(dir, "nope")));
    assert.equal(missing.code, 0);
    assert.deepEqual(parseReadOutput(missing.stdout), { exists: false, content: Buffer.alloc(0), sha256: "" });

    const bin = Buffer.from([0, 1, 2, 10, 13, 255, 0, 10]);
    const p = join(dir, "bin");
    writeFileSync(p, bin, { mode: 0o640 });
    chownSync(p, 65534, 65534);
    const f = parseReadOutput(run(readFileArgv(p)).stdout);
    assert.deepEqual(f, { exists: true, content: bin, sha256: sha256Hex(bin), mode: "640", owner: "nobody", group: "nogroup", uid: "65534", gid: "65534" });

    const empty = join(dir, "empty");
    writeFileSync(empty, "");
    assert.equal(parseReadOutput(run(readFileArgv(empty)).stdout).content.length, 0);

    const missingDir = run(readFileArgv(join(dir, "no-dir", "file")));
    assert.equal(missingDir.code, 0);
    assert.equal(parseReadOutput(missingDir.stdout).exists, false);
});

test("read: a directory is an error, not 'absent'", () => {
    const r = run(["sh", "-c", readFileArgv("/x")[2], "sh", dir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr.toString(), /not a regular file/);
});

test("write: new file gets 0644, given mode/owner win, existing owner/mode are kept", () => {
    const p = join(dir, "new.conf");
    assert.equal(run(writeFileArgv(p, {}), frameBuffer("one\n")).code, 0);
    assert.equal(readFileSync(p, "utf8"), "one\n");
    assert.equal(mode(p), "644");

    writeFileSync(p, "x");
    chownSync(p, 65534, 65534);
    run(["chmod", "0640", p]);
    assert.equal(run(writeFileArgv(p, {}), frameBuffer("two\n")).code, 0);
    assert.equal(mode(p), "640");
    assert.equal(statSync(p).uid, 65534);
    assert.equal(statSync(p).gid, 65534);

    assert.equal(run(writeFileArgv(p, { mode: "0600", owner: "root", group: "root" }), frameBuffer("three")).code, 0);
    assert.equal(mode(p), "600");
    assert.equal(statSync(p).uid, 0);
    assert.equal(readFileSync(p, "utf8"), "three");
    assert.deepEqual(leftovers(), []);
});

test("write: compare-and-swap failures exit 42, change nothing and leave no temp file", () => {
    const p = join(dir, "cas.conf");
    writeFileSync(p, "original");
    const good = sha256Hex("original");
    const wrong = sha256Hex("something else");

    let r = run(writeFileArgv(p, { expectedSha256: wrong }), writeInput("new", wrong));
    assert.equal(r.code, CAS_EXIT);
    assert.match(scriptMessage(r.stderr), /^its content is not the one expected \(no hash shown/);
    r = run(writeFileArgv(p, { expectedSha256: null }), frameBuffer("new"));
    assert.equal(r.code, CAS_EXIT);
    assert.equal(scriptMessage(r.stderr), "the file exists");
    r = run(writeFileArgv(join(dir, "absent.conf"), { expectedSha256: good }), writeInput("new", good));
    assert.equal(r.code, CAS_EXIT);
    assert.equal(scriptMessage(r.stderr), "the file is missing");
    assert.equal(readFileSync(p, "utf8"), "original");
    assert.deepEqual(leftovers(), []);

    assert.equal(run(writeFileArgv(p, { expectedSha256: good }), writeInput("new", good)).code, 0);
    assert.equal(readFileSync(p, "utf8"), "new");
    assert.equal(run(writeFileArgv(join(dir, "fresh"), { expectedSha256: null }), frameBuffer("x")).code, 0);
});

test("write: other failures (unknown owner) exit non-zero and leave no temp file", () => {
    const p = join(dir, "owner.conf");
    const r = run(writeFileArgv(p, { owner: "no-such-user-pitls" }), frameBuffer("x"));
    assert.equal(r.code, 1);
    assert.match(r.stderr.toString(), /chown: .*no-such-user-pitls/);
    assert.throws(() => statSync(p));
    assert.deepEqual(leftovers(), []);
});

test("write: the temp file is 0600 while content streams in, even under a loose umask", async () => {
    const p = join(dir, "secret.key");
    const argv = writeFileArgv(p, { mode: "0644" });
    const child = spawn("sh", ["-c", "umask 000; exec \"$@\"", "sh", ...argv], { stdio: ["pipe", "inherit", "inherit"] });
    const secret = "-----BEGIN PRIVATE KEY-----\nrest\n";
    child.stdin.write(frameHeader(secret) + "-----BEGIN PRIVATE KEY-----\n");
    let tmp: string[] = [];
    for (let i = 0; i < 200 && tmp.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 10));
        tmp = leftovers();
    }
    assert.equal(tmp.length, 1, "temp file exists while cat waits for stdin");
    assert.equal(mode(join(dir, tmp[0])), "600");
    assert.throws(() => statSync(p), "target not created yet");
    child.stdin.end("rest\n");
    const code = await new Promise<number | null>((r) => child.on("exit", r));
    assert.equal(code, 0);
    assert.equal(mode(p), "644");
    assert.deepEqual(leftovers(), []);
});

test("write: a symlink is kept and its target replaced", () => {
    const target = join(dir, "real.conf");
    const link = join(dir, "link.conf");
    writeFileSync(target, "old");
    symlinkSync(target, link);
    assert.equal(run(writeFileArgv(link, { expectedSha256: sha256Hex("old") }), writeInput("new", sha256Hex("old"))).code, 0);
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readFileSync(target, "utf8"), "new");
});

test("write: a compare-and-swap hash travels on stdin, never in the command line (it can be the hash of a key)", () => {
    const p = join(dir, "guarded.key");
    writeFileSync(p, "old key");
    const sum = sha256Hex("old key");
    const argv = writeFileArgv(p, { expectedSha256: sum });
    assert.ok(!argv.some((a) => a.includes(sum)), `no hash in the argv: ${JSON.stringify(argv.slice(3))}`);
    let r = run(argv, writeInput("new key", sha256Hex("another key")));
    assert.equal(r.code, CAS_EXIT, scriptMessage(r.stderr));
    assert.equal(readFileSync(p, "utf8"), "old key");
    r = run(argv, frameBuffer("new key"));
    assert.notEqual(r.code, 0, "without the expectation on stdin nothing is written");
    assert.match(scriptMessage(r.stderr), /expectation/);
    assert.equal(readFileSync(p, "utf8"), "old key");
    r = run(argv, writeInput("new key", sum));
    assert.equal(r.code, 0, scriptMessage(r.stderr));
    assert.equal(readFileSync(p, "utf8"), "new key");
    assert.deepEqual(leftovers(), []);
});

test("remove: guarded by hash, missing is fine", () => {
    const p = join(dir, "rm.me");
    writeFileSync(p, "data");
    let r = run(removeFileArgv(p, true), expectationHeader(sha256Hex("other")));
    assert.equal(r.code, CAS_EXIT);
    assert.equal(readFileSync(p, "utf8"), "data");
    r = run(removeFileArgv(p, true), expectationHeader(sha256Hex("data")));
    assert.equal(r.code, 0);
    assert.equal(r.stdout.toString().trim(), "removed");
    r = run(removeFileArgv(p, false));
    assert.equal(r.stdout.toString().trim(), "absent");
});

test("argv builders validate paths and options", () => {
    assert.throws(() => readFileArgv("relative/path"), /absolute/);
    assert.throws(() => readFileArgv("/etc/"), /name a file/);
    assert.throws(() => readFileArgv("/etc/.."), /name a file/);
    assert.throws(() => readFileArgv("/etc/./x"), /name a file/);
    assert.throws(() => readFileArgv("/etc//x"), /name a file/);
    assert.throws(() => readFileArgv("/etc/a\0b"), /control character/);
    assert.throws(() => readFileArgv("/etc/a\nb"), /control character/);
    assert.throws(() => writeFileArgv("/x", { mode: "rw-r--r--" }), /octal/);
    assert.throws(() => writeFileArgv("/x", { owner: "root:root" }), /owner/);
    assert.throws(() => writeFileArgv("/x", { group: "-g" }), /group/);
    assert.throws(() => writeFileArgv("/x", { expectedSha256: "ABC" }), /64 lowercase hex/);
    assert.deepEqual(writeFileArgv("/x", { owner: "influxdb", expectedSha256: null }).slice(4), ["/x", "", "influxdb", "", "absent"]);
    assert.deepEqual(writeFileArgv("/x", { owner: "0", group: "65534", mode: "600" }).slice(4, 8), ["/x", "600", "0", "65534"], "numeric ids accepted");
});
