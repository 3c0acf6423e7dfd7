/** Runs a program with an argument vector (never through a shell) and collects its output. */
import { spawn } from "node:child_process";
import { constants } from "node:os";

export interface RunResult {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

export interface RunOptions {
    /** Written to the child's stdin, then closed. */
    readonly input?: string | Buffer;
    /** Resolve with a non-zero code instead of throwing. */
    readonly allowFailure?: boolean;
    readonly cwd?: string;
    readonly timeoutMs?: number;
}

/** A failed command: names the command, the exit code and the tail of stderr. */
export class RunError extends Error {
    constructor(readonly argv: readonly string[], readonly result: RunResult) {
        super(`sandbox: \`${displayArgv(argv)}\` exited ${result.code}: ${tail(result.stderr || result.stdout, 800)}`);
    }
}

export function displayArgv(argv: readonly string[]): string {
    return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");
}

export function tail(text: string, chars: number): string {
    const t = text.trimEnd();
    return t.length > chars ? `…${t.slice(-chars)}` : t;
}

export function run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    const [cmd, ...args] = argv;
    if (cmd === undefined) throw new Error("sandbox: run() needs a command");
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, args, {
            cwd: opts.cwd ?? "/",
            stdio: ["pipe", "pipe", "pipe"],
            timeout: opts.timeoutMs ?? 60_000,
        });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on("data", (b: Buffer) => out.push(b));
        child.stderr.on("data", (b: Buffer) => err.push(b));
        child.on("error", reject);
        child.on("close", (code, signal) => {
            const result: RunResult = {
                code: code ?? 128 + (signal ? constants.signals[signal] : 0),
                stdout: Buffer.concat(out).toString("utf8"),
                stderr: Buffer.concat(err).toString("utf8") + (signal ? `\n(killed by ${signal})` : ""),
            };
            if (result.code !== 0 && !opts.allowFailure) reject(new RunError(argv, result));
            else resolve(result);
        });
        child.stdin.on("error", () => undefined); // the child may exit without reading stdin
        child.stdin.end(opts.input ?? "");
    });
}
