/**
 * One SSH connection to one host: run commands, read and atomically write files.
 * Create it inside a provider method (`withSession(conn, fn)`), never keep it in a field
 * of a provider object: it holds a live ssh2 Client.
 */
import { redactArgv } from "./redact";
import type { ClientChannel } from "ssh2";
import { connect, Connected, endConnected, targetOf } from "./connect";
import { CompareAndSwapError, SshCommandError, SshError, SshTimeoutError, tail } from "./errors";
import { backupArgv, CAS_EXIT, dropBackupsArgv, expectationHeader, NO_BACKUP_EXIT, parseReadManyOutput, parseReadOutput, parseWriteOutput, readFileArgv, readManyArgv, removeFileArgv, scriptMessage, sha256Hex, writeFileArgv, writeInput } from "../files";
import { shellCommand, shellQuote } from "./quote";
import { sshStats } from "./stats";
import { ExecResult, HostFile, SshConnection, WriteOptions } from "./types";

/** Options for `exec` and `run`. */
export interface ExecOptions {
    /** Bytes written to the command's stdin, then EOF. Never logged or put in errors. */
    readonly stdin?: Buffer | string;
    /**
     * Seconds the command may run. Defaults to conn.commandTimeoutSeconds, else 120; 0 = none.
     * Enforced on the host by coreutils' `timeout` (TERM to the command's process group, KILL
     * after a grace period): sshd refuses SSH signals for root logins, and a lost connection
     * must not leave the command running.
     */
    readonly timeoutSeconds?: number;
    /** Exit codes `run` accepts. Defaults to [0]. `exec` returns every exit code. */
    readonly okCodes?: readonly number[];
    /** How errors name the command instead of the full command line (for long scripts). */
    readonly describe?: string;
}

/** Seconds between the TERM and the KILL that `timeout` sends on the host. */
export const KILL_GRACE_SECONDS = 5;
/** How much longer than the remote limit the client waits before giving up on the channel. */
const LOCAL_MARGIN_SECONDS = 5;

export class SshSession {
    /** "user@host:port" of this session's target. */
    readonly target: string;
    private closed = false;
    private lastError: Error | undefined;

    private constructor(private readonly connected: Connected, private readonly conn: SshConnection) {
        this.target = targetOf(conn);
        connected.client.on("error", (e: Error) => (this.lastError = e));
        connected.client.on("close", () => (this.closed = true));
    }

    /**
     * Connect and authenticate. Throws an SshError before any network I/O when the host key
     * is not pinned (and insecureIgnoreHostKey is not true), the pin or key is unusable or
     * no credentials are given; a HostKeyMismatchError when the server's key differs.
     */
    static async open(conn: SshConnection): Promise<SshSession> {
        return new SshSession(await connect(conn), conn);
    }

    /** Run argv (quoted; prefixed with `sudo -n --` when conn.sudo) and return its result, whatever the exit code. */
    async exec(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
        const program = argv[0];
        const seconds = opts.timeoutSeconds ?? this.conn.commandTimeoutSeconds ?? 120;
        // `timeout` runs inside sudo, so it can kill root's processes; it puts itself and the
        // command in a new process group and signals the whole group.
        const command = this.commandLine(seconds > 0 ? ["timeout", "-k", `${KILL_GRACE_SECONDS}s`, `${seconds}s`, ...argv] : argv);
        const client = this.connected.client;
        const started = Date.now();
        return new Promise<ExecResult>((resolve, reject) => {
            let channel: ClientChannel | undefined;
            let done = false;
            // Declared before use (not a const after `finish`): the closure serializer
            // cannot resolve a variable referenced ahead of its declaration.
            let timer: ReturnType<typeof setTimeout> | undefined;
            const finish = (err: Error | undefined, result?: ExecResult): void => {
                if (done) {
                    return;
                }
                done = true;
                clearTimeout(timer);
                if (err) {
                    reject(err);
                } else {
                    resolve(result!);
                }
            };
            if (seconds > 0) {
                // The host stops the command itself; this only bounds the wait for a channel
                // that no longer answers (a dead network path).
                timer = setTimeout(() => {
                    channel?.close();
                    finish(new SshTimeoutError(this.target, program, seconds));
                }, (seconds + KILL_GRACE_SECONDS + LOCAL_MARGIN_SECONDS) * 1000);
            }
            if (this.closed) {
                finish(this.closedError());
                return;
            }
            try {
                client.exec(command, (err, ch) => {
                    if (err) {
                        finish(new SshError(`cannot start "${program}" on ${this.target}: ${err.message}`, this.target));
                        return;
                    }
                    if (done) {
                        ch.close();
                        return;
                    }
                    channel = ch;
                    sshStats.commands++;
                    const out: Buffer[] = [];
                    const errOut: Buffer[] = [];
                    let code: number | undefined;
                    let signal: string | undefined;
                    ch.on("data", (d: Buffer) => out.push(d));
                    ch.stderr.on("data", (d: Buffer) => errOut.push(d));
                    ch.on("exit", (c: number | null, sig?: string) => {
                        if (typeof c === "number") {
                            code = c;
                        } else {
                            signal = sig;
                        }
                    });
                    ch.on("error", (e: Error) => finish(new SshError(`channel error running "${program}" on ${this.target}: ${e.message}`, this.target)));
                    ch.on("close", () => {
                        if (code === undefined && signal === undefined) {
                            const why = this.lastError ? `: ${this.lastError.message}` : " (connection lost?)";
                            finish(new SshError(`"${program}" on ${this.target} ended without an exit status${why}`, this.target));
                            return;
                        }
                        // 124: `timeout` stopped it with TERM. After the grace period `timeout` sends
                        // KILL to its whole process group, itself included: SIGKILL (or 137 via sudo).
                        const stopped = code === 124 || code === 137 || signal === "SIGKILL";
                        if (seconds > 0 && stopped && Date.now() - started >= seconds * 1000 - 250) {
                            finish(new SshTimeoutError(this.target, program, seconds));
                            return;
                        }
                        const result: ExecResult = { code: code ?? -1, stdout: Buffer.concat(out), stderr: Buffer.concat(errOut) };
                        if (signal !== undefined) {
                            result.signal = signal;
                        }
                        finish(undefined, result);
                    });
                    if (opts.stdin !== undefined) {
                        ch.end(opts.stdin);
                    } else {
                        ch.end();
                    }
                });
            } catch (e) {
                finish(new SshError(`cannot start "${program}" on ${this.target}: ${(e as Error).message}`, this.target));
            }
        });
    }

    /** Like exec, but throws an SshCommandError (host, command, exit code, stderr tail) unless the code is in okCodes. */
    async run(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
        const result = await this.exec(argv, opts);
        const ok = opts.okCodes ?? [0];
        if (result.signal !== undefined || !ok.includes(result.code)) {
            throw new SshCommandError(this.target, this.describe(argv, opts), result.code, tail(result.stderr), result.signal);
        }
        return result;
    }

    /** Read a whole file (binary-safe, through symlinks). `exists: false` when it is missing. */
    async readFile(path: string): Promise<HostFile> {
        const r = await this.run(readFileArgv(path), { describe: `read ${shellQuote(path)}` });
        return parseReadOutput(r.stdout);
    }

    /** Read several files in one command (one channel, not one per file): as readFile for each, in order. */
    async readFiles(paths: readonly string[]): Promise<HostFile[]> {
        if (paths.length === 0) {
            return [];
        }
        const r = await this.run(readManyArgv(paths), { describe: `read ${paths.map(shellQuote).join(" ")}` });
        return parseReadManyOutput(r.stdout, paths.length);
    }

    /**
     * Replace a file atomically (files/scripts.ts WRITE_SCRIPT): content goes on stdin, framed
     * with its length and SHA-256, to a 0600 temp file next to the target; only if exactly those
     * bytes arrived does it get the existing (or given) owner/group/mode and replace the target.
     * With opts.expectedSha256 the rename only happens if the target still has that hash (null:
     * does not exist); otherwise a CompareAndSwapError is thrown and nothing changes. Returns the
     * content's hash and the id of this write (unique per write, not derived from content).
     */
    async writeFileAtomic(path: string, content: Buffer | string, opts: WriteOptions = {}): Promise<{ sha256: string; writeId: string }> {
        const argv = writeFileArgv(path, opts);
        const describe = `write ${shellQuote(path)}`;
        const r = await this.exec(argv, { stdin: writeInput(content, opts.expectedSha256), describe });
        if (r.code === CAS_EXIT) {
            throw new CompareAndSwapError(this.target, path, scriptMessage(r.stderr));
        }
        if (r.code !== 0 || r.signal !== undefined) {
            throw new SshCommandError(this.target, this.describe(argv, { describe }), r.code, tail(r.stderr), r.signal);
        }
        const writeId = parseWriteOutput(r.stdout);
        if (writeId === undefined) {
            throw new SshCommandError(this.target, this.describe(argv, { describe }), r.code, "the write script did not report the write", r.signal);
        }
        return { sha256: sha256Hex(content), writeId };
    }

    /**
     * Delete a file; with expectedSha256 only if it still has that content (else a
     * CompareAndSwapError and the file stays). A missing file is not an error. The hash goes
     * on stdin, never in the command line.
     */
    async removeFile(path: string, opts: { expectedSha256?: string; keepBackup?: boolean } = {}): Promise<{ removed: boolean }> {
        const guarded = opts.expectedSha256 !== undefined;
        if (guarded && !/^[0-9a-f]{64}$/.test(opts.expectedSha256!)) {
            throw new Error(`expectedSha256 must be 64 lowercase hex digits, got ${JSON.stringify(opts.expectedSha256)}`);
        }
        const argv = removeFileArgv(path, guarded, "fail", opts.keepBackup === true);
        const describe = `remove ${shellQuote(path)}`;
        const r = await this.exec(argv, { describe, stdin: guarded ? expectationHeader(opts.expectedSha256!) : undefined });
        if (r.code === CAS_EXIT) {
            throw new CompareAndSwapError(this.target, path, scriptMessage(r.stderr));
        }
        if (r.code !== 0 || r.signal !== undefined) {
            throw new SshCommandError(this.target, this.describe(argv, { describe }), r.code, tail(r.stderr), r.signal);
        }
        return { removed: r.stdout.toString("utf8").trim() === "removed" };
    }

    /**
     * Put back the version of `path` that a write or remove with `keepBackup` replaced, by a
     * rename (no free space needed). Only while the file still is what that write left:
     * `expectedSha256` its hash, or null when it was removed — else a CompareAndSwapError.
     * Returns false, changing nothing, when there is no backup. The hash goes on stdin.
     */
    async restoreBackup(path: string, expectedSha256: string | null): Promise<boolean> {
        const argv = backupArgv("restore", path, expectedSha256 === null ? "absent" : "stdin");
        const describe = `restore the backup of ${shellQuote(path)}`;
        const r = await this.exec(argv, { describe, stdin: expectedSha256 === null ? undefined : expectationHeader(expectedSha256) });
        if (r.code === NO_BACKUP_EXIT) {
            return false;
        }
        if (r.code === CAS_EXIT) {
            throw new CompareAndSwapError(this.target, path, scriptMessage(r.stderr));
        }
        if (r.code !== 0 || r.signal !== undefined) {
            throw new SshCommandError(this.target, this.describe(argv, { describe }), r.code, tail(r.stderr), r.signal);
        }
        return true;
    }

    /** Remove the backups a write or remove with `keepBackup` left next to each path, in one command (none: no-op for that path). */
    async dropBackups(paths: readonly string[]): Promise<void> {
        if (paths.length > 0) {
            await this.run(dropBackupsArgv(paths), { describe: `drop the backups of ${paths.map(shellQuote).join(" ")}` });
        }
    }

    /** False once the connection has closed (lost, or closed by `close`). */
    get isOpen(): boolean {
        return !this.closed;
    }

    /** Close the connection (and any bastion hop). Safe to call twice. */
    close(): Promise<void> {
        const client = this.connected.client;
        return new Promise<void>((resolve) => {
            if (this.closed) {
                endConnected(this.connected);
                resolve();
                return;
            }
            const timer = setTimeout(resolve, 5000);
            timer.unref();
            client.once("close", () => {
                clearTimeout(timer);
                resolve();
            });
            endConnected(this.connected);
        });
    }

    private commandLine(argv: readonly string[]): string {
        return shellCommand(this.conn.sudo ? ["sudo", "-n", "--", ...argv] : argv);
    }

    private describe(argv: readonly string[], opts: ExecOptions): string {
        if (opts.describe === undefined) {
            return this.commandLine(redactArgv(argv));
        }
        return (this.conn.sudo ? "sudo -n -- " : "") + opts.describe;
    }

    private closedError(): SshError {
        const why = this.lastError ? `: ${this.lastError.message}` : "";
        return new SshError(`SSH connection to ${this.target} is closed${why}`, this.target);
    }
}

/** Open a session, run fn with it, and always close it. */
export async function withSession<T>(conn: SshConnection, fn: (session: SshSession) => Promise<T>): Promise<T> {
    const session = await SshSession.open(conn);
    try {
        return await fn(session);
    } finally {
        await session.close();
    }
}
