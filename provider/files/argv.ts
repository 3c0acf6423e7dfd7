/**
 * The argv of each script (what both installers run, the SSH layer through its quoting exec,
 * remote.Command as one quoted command string) and the parsing of their output.
 */
import type { HostFile, WriteOptions } from "../ssh/types";
import { sha256Hex } from "./hash";
import { BACKUP_SCRIPT, END_MARK, MARK, READ_MANY_SCRIPT, READ_SCRIPT, REMOVE_SCRIPT, WRITE_SCRIPT } from "./scripts";
import { assertWritable } from "./validate";

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * The write script's expectation argument. A hash is never an argument (it can be the hash of a
 * private key, and `ps` shows arguments): "stdin" says it comes first on stdin (writeInput).
 */
function expectation(expected: string | null | undefined): string {
    if (expected === undefined) {
        return "any";
    }
    if (expected === null) {
        return "absent";
    }
    if (!HEX64.test(expected)) {
        throw new Error(`expectedSha256 must be 64 lowercase hex digits, got ${JSON.stringify(expected)}`);
    }
    return "stdin";
}

export function readFileArgv(path: string): string[] {
    assertWritable(path, {});
    return ["sh", "-c", READ_SCRIPT, "pitls-read", path];
}

/** Parse READ_SCRIPT's stdout. */
export function parseReadOutput(stdout: Buffer): HostFile {
    const nl = stdout.indexOf(0x0a);
    const head = (nl < 0 ? stdout : stdout.subarray(0, nl)).toString("utf8");
    if (head === "absent") {
        return { exists: false, content: Buffer.alloc(0), sha256: "" };
    }
    const m = /^file ([0-7]+) (\S+) (\S+) ([0-9]+) ([0-9]+)$/.exec(head);
    if (!m || nl < 0) {
        throw new Error(`unexpected output from the read script: ${JSON.stringify(head.slice(0, 80))}`);
    }
    const content = Buffer.from(stdout.subarray(nl + 1));
    return { exists: true, content, sha256: sha256Hex(content), mode: m[1], owner: m[2], group: m[3], uid: m[4], gid: m[5] };
}

/** Several files read in one command (READ_MANY_SCRIPT); parse with parseReadManyOutput. */
export function readManyArgv(paths: readonly string[]): string[] {
    for (const p of paths) assertWritable(p, {});
    return ["sh", "-c", READ_MANY_SCRIPT, "pitls-read", ...paths];
}

/**
 * Parse READ_MANY_SCRIPT's stdout into `count` files, in the order asked. Refuses output whose
 * framing does not hold (a file that changed size while it was read, a short output).
 */
export function parseReadManyOutput(stdout: Buffer, count: number): HostFile[] {
    const files: HostFile[] = [];
    const end = Buffer.from(`\n${END_MARK}\n`);
    let at = 0;
    const bad = (why: string) => new Error(`unexpected output from the read script (file ${files.length + 1} of ${count}): ${why}`);
    while (files.length < count) {
        const nl = stdout.indexOf(0x0a, at);
        if (nl < 0) throw bad("no header");
        const head = stdout.subarray(at, nl).toString("utf8");
        if (head === "absent") {
            files.push({ exists: false, content: Buffer.alloc(0), sha256: "" });
            at = nl + 1;
            continue;
        }
        const m = /^file ([0-7]+) (\S+) (\S+) ([0-9]+) ([0-9]+) ([0-9]+)$/.exec(head);
        if (!m) throw bad(JSON.stringify(head.slice(0, 80)));
        const size = Number(m[6]);
        const content = Buffer.from(stdout.subarray(nl + 1, nl + 1 + size));
        if (content.length !== size || !stdout.subarray(nl + 1 + size, nl + 1 + size + end.length).equals(end)) {
            throw bad("the file changed while it was read (its size does not match what was announced)");
        }
        files.push({ exists: true, content, sha256: sha256Hex(content), mode: m[1], owner: m[2], group: m[3], uid: m[4], gid: m[5] });
        at = nl + 1 + size + end.length;
    }
    if (at !== stdout.length) throw bad("more output than the files asked for");
    return files;
}

/**
 * Drop the backups of several paths in one command: BACKUP_SCRIPT's "drop" for each, in order,
 * stopping at the first that fails.
 */
export function dropBackupsArgv(paths: readonly string[]): string[] {
    for (const p of paths) assertWritable(p, {});
    return ["sh", "-c", 'script=$1; shift; for p; do sh -c "$script" pitls-backup drop "$p" any >/dev/null || exit; done; echo dropped', "pitls-backups", BACKUP_SCRIPT, ...paths];
}

/** The write script's argv; stdin must be writeInput(content, the same expectedSha256) (frame.ts). */
export function writeFileArgv(path: string, opts: WriteOptions): string[] {
    assertWritable(path, opts);
    const argv = ["sh", "-c", WRITE_SCRIPT, "pitls-write", path, opts.mode ?? "", opts.owner ?? "", opts.group ?? "", expectation(opts.expectedSha256)];
    // Only when asked: the installers' command strings (remote.Command's `create`) stay as they were.
    return opts.keepBackup ? [...argv, "keep"] : argv;
}

/** The write script's "written <id>" line: the id of this write (undefined if missing). */
export function parseWriteOutput(stdout: Buffer | string | undefined): string | undefined {
    const m = /(?:^|\n)written (\S+)\n?$/.exec(stdout?.toString() ?? "");
    return m ? m[1] : undefined;
}

/**
 * The remove script's argv. `guarded`: stdin carries a frame header with the hash the file
 * must still have; `onChange` says what to do when it has other bytes (fail with CAS_EXIT, or
 * keep the file and exit 0).
 */
export function removeFileArgv(path: string, guarded: boolean, onChange: "fail" | "keep" = "fail", keepBackup = false): string[] {
    assertWritable(path, {});
    const argv = ["sh", "-c", REMOVE_SCRIPT, "pitls-remove", path, guarded ? "stdin" : "any", onChange];
    return keepBackup ? [...argv, "keep"] : argv;
}

/**
 * The backup script's argv: restore a transaction's backup of `path` (the file must now be
 * absent, or — "stdin" — have the hash in the frame header on stdin), or drop it.
 */
export function backupArgv(op: "restore" | "drop", path: string, expect: "absent" | "stdin" | "any" = "any"): string[] {
    assertWritable(path, {});
    return ["sh", "-c", BACKUP_SCRIPT, "pitls-backup", op, path, expect];
}

/** The scripts' own explanation on stderr (last "pitls: " line), for error messages. */
export function scriptMessage(stderr: Buffer | string): string {
    const lines = stderr.toString().split("\n").filter((l) => l.startsWith(MARK));
    return lines.length ? lines[lines.length - 1].slice(MARK.length) : "";
}
