/**
 * Process bookkeeping by PID via /proc.
 *
 * PID 1 on this machine (process_api) does not reap orphans, so a killed daemon
 * whose parent has gone stays a zombie ("Z") until reboot. A zombie runs no code
 * and holds no port, so every check here counts it as dead.
 */
import * as fs from "node:fs";

/** /proc/<pid>/stat's command name, state letter and parent pid, or undefined when it is gone. */
function stat(pid: number): { comm: string; state: string; ppid: number } | undefined {
    try {
        const raw = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        // Field 2 (comm) may contain spaces and parentheses; the other fields follow the last ")".
        const rest = raw.slice(raw.lastIndexOf(")") + 2).split(" ");
        return { comm: raw.slice(raw.indexOf("(") + 1, raw.lastIndexOf(")")), state: rest[0], ppid: Number(rest[1]) };
    } catch {
        return undefined;
    }
}

/** Parent pid of `pid` from /proc/<pid>/stat, or undefined when it is gone. */
export function parentPid(pid: number): number | undefined {
    return stat(pid)?.ppid;
}

/** The state letter from /proc/<pid>/stat, or undefined if there is no such process. */
export function procState(pid: number): string | undefined {
    return stat(pid)?.state;
}

/** The command name (comm: at most 15 characters) from /proc/<pid>/stat, or undefined when it is gone. */
export function procName(pid: number): string | undefined {
    return stat(pid)?.comm;
}

export function isAlive(pid: number): boolean {
    const s = procState(pid);
    return s !== undefined && s !== "Z" && s !== "X";
}

/** e.g. "mnt:[4026532177]"; identifies a sandbox host's mount namespace. */
export function mountNamespace(pid: number): string | undefined {
    try {
        return fs.readlinkSync(`/proc/${pid}/ns/mnt`);
    } catch {
        return undefined;
    }
}

export function allPids(): number[] {
    return fs.readdirSync("/proc").filter((n) => /^\d+$/.test(n)).map(Number);
}

export function cmdline(pid: number): string[] {
    try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter((a) => a !== "");
    } catch {
        return [];
    }
}

export function exePath(pid: number): string | undefined {
    try {
        return fs.readlinkSync(`/proc/${pid}/exe`);
    } catch {
        return undefined;
    }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitGone(pids: readonly number[], ms: number): Promise<number[]> {
    const deadline = Date.now() + ms;
    let left = pids.filter(isAlive);
    while (left.length > 0 && Date.now() < deadline) {
        await sleep(50);
        left = left.filter(isAlive);
    }
    return left;
}

function signal(pid: number, sig: NodeJS.Signals): void {
    try {
        process.kill(pid, sig);
    } catch {
        // already gone
    }
}

/** SIGTERM, wait up to graceMs, then SIGKILL. Throws if any PID still runs after that. */
export async function killAndWait(pids: readonly number[], graceMs = 10_000): Promise<void> {
    const targets = [...new Set(pids)].filter((p) => p !== process.pid && isAlive(p));
    targets.forEach((p) => signal(p, "SIGTERM"));
    const stubborn = await waitGone(targets, graceMs);
    stubborn.forEach((p) => signal(p, "SIGKILL"));
    const left = await waitGone(stubborn, 5_000);
    if (left.length > 0) throw new Error(`sandbox: PIDs still running after SIGKILL: ${left.join(", ")}`);
}
