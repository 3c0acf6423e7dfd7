import { spawn, type SpawnOptions } from "node:child_process";

export interface Timed {
    ms: number;
    code: number;
    /** stdout + stderr in arrival order. */
    out: string;
}

/** Runs a command to its end, timed (wall clock), its output kept; never rejects on a non-zero exit. */
export function timedRun(cmd: string, args: string[], opts: SpawnOptions = {}): Promise<Timed> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
        const chunks: Buffer[] = [];
        child.stdout?.on("data", (b: Buffer) => chunks.push(b));
        child.stderr?.on("data", (b: Buffer) => chunks.push(b));
        child.on("error", reject);
        child.on("close", (code) => resolve({ ms: Date.now() - started, code: code ?? 128, out: Buffer.concat(chunks).toString("utf8") }));
    });
}
