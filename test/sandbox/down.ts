/**
 * Stops everything a sandbox started, by PID, then deletes its directory. PIDs come
 * from state.json (sshd per host) and the hosts' pid files (services the shim
 * started); as a safety net, also any process in a sandbox host's mount namespace or
 * an sshd/unshare whose command line names the sandbox directory (covers a lost
 * state.json or a service started by hand). The stand-in services are node processes:
 * "ours" only while node runs one of our stand-in scripts, never node in general.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { defaultSandboxDir, hostLayout, sandboxLayout } from "./layout";
import { withLock } from "./lock";
import { purgeMachine } from "./machine";
import { allPids, cmdline, exePath, isAlive, killAndWait, mountNamespace } from "./procs";
import { IN_HOST_STANDINS, NODE, STANDINS_DIR } from "./services";
import { tryLoadSandbox } from "./state";

export interface DownOptions {
    /** Sandbox directory; defaults to $PITLS_SANDBOX_DIR or <repo>/.sandbox. */
    readonly dir?: string;
    /** Also remove the sudo user, its sudoers file and an empty /etc/telegraf (shared by all sandboxes). */
    readonly purgeMachine?: boolean;
}

export interface DownResult {
    /** Every PID that was running and got stopped. */
    readonly stopped: readonly number[];
}

export async function sandboxDown(opts: DownOptions = {}): Promise<DownResult> {
    const dir = path.resolve(opts.dir ?? defaultSandboxDir());
    const result = fs.existsSync(dir) ? await withLock(dir, () => downUnlocked(dir)) : { stopped: [] };
    try {
        fs.rmdirSync(dir); // empty once the lock is released, unless another caller took it meanwhile
    } catch {
        // gone already, or in use again
    }
    if (opts.purgeMachine) await purgeMachine();
    return result;
}

/** Stops the sandbox's processes and empties its directory, keeping only the lock file the caller holds. */
export async function downUnlocked(dir: string): Promise<DownResult> {
    const lock = path.basename(sandboxLayout(dir).lockFile);
    if (fs.readdirSync(dir).every((e) => e === lock)) return { stopped: [] };
    assertSandboxDir(dir);
    const pids = sandboxPids(dir);
    await killAndWait(pids);
    // The host directories were mount sources only inside the namespaces, which died with their processes.
    for (const e of fs.readdirSync(dir)) if (e !== lock) fs.rmSync(path.join(dir, e), { recursive: true, force: true });
    return { stopped: pids };
}

const OUR_PROGRAMS = new Set(["/usr/sbin/sshd", "/usr/bin/unshare", "/usr/bin/influxd", "/usr/local/sbin/telegraf"]);

/** One of our daemons: sshd/unshare/influxd/telegraf, or node running a stand-in script. */
function runsOurProgram(pid: number): boolean {
    const exe = exePath(pid) ?? "";
    if (OUR_PROGRAMS.has(exe)) return true;
    // A host's own program (bin/influxd, sbin/telegraf) as this namespace sees its mount source.
    if (/\/(?:bin\/influxd|sbin\/telegraf)$/.test(exe)) return true;
    const script = cmdline(pid)[1] ?? "";
    return exe === NODE && (script.startsWith(`${STANDINS_DIR}/`) || script.startsWith(`${IN_HOST_STANDINS}/`));
}

/** Every live process this sandbox is responsible for. */
export function sandboxPids(dir: string): number[] {
    const pids = new Set<number>();
    const namespaces = new Set<string>();
    // Recorded PIDs count only while they still run one of our programs: a stale
    // pid file must not get a reused PID killed.
    const recorded = (pid: number): boolean => {
        const ours = pid > 1 && isAlive(pid) && runsOurProgram(pid);
        if (ours) pids.add(pid);
        return ours;
    };
    const state = tryLoadSafely(dir);
    for (const h of state?.hosts ?? []) {
        // Namespace ids are reused once freed: trust one only while its sshd still holds it.
        if (recorded(h.sshdPid) && mountNamespace(h.sshdPid) === h.mountNamespace) namespaces.add(h.mountNamespace);
    }
    for (const host of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
        const run = hostLayout(path.join(dir, host)).run;
        if (!fs.existsSync(run)) continue;
        for (const f of fs.readdirSync(run).filter((n) => n.endsWith(".pid"))) {
            recorded(Number(fs.readFileSync(path.join(run, f), "utf8").trim()));
        }
    }
    const all = allPids();
    const prefix = `${dir}/`;
    for (const pid of all) {
        if (runsOurProgram(pid) && cmdline(pid).some((a) => a.startsWith(prefix))) {
            pids.add(pid);
            const ns = mountNamespace(pid);
            if (ns) namespaces.add(ns);
        }
    }
    // Never treat the machine's own namespace as a sandbox host's: that would be everything.
    namespaces.delete(mountNamespace(1) ?? "");
    namespaces.delete(mountNamespace(process.pid) ?? "");
    for (const pid of all) {
        const ns = mountNamespace(pid);
        if (ns && namespaces.has(ns)) pids.add(pid);
    }
    pids.delete(process.pid);
    return [...pids].filter(isAlive).sort((a, b) => a - b);
}

function tryLoadSafely(dir: string) {
    try {
        return tryLoadSandbox(dir);
    } catch {
        return undefined; // a half-written state.json must not stop the cleanup
    }
}

/** Refuses to delete anything that does not look like a sandbox directory. */
function assertSandboxDir(dir: string): void {
    const l = sandboxLayout(dir);
    // Not the lock file: withLock creates that in whatever directory it is given.
    const looksLikeOurs = [l.stateFile, l.clientKey].some((f) => fs.existsSync(f));
    const risky = dir === "/" || fs.existsSync(path.join(dir, "package.json")) || fs.existsSync(path.join(dir, ".git"));
    if (!looksLikeOurs || risky) throw new Error(`sandbox: ${dir} does not look like a sandbox directory; not deleting it`);
}
