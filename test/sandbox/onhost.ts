/**
 * Acting "on" a sandbox host from tests: in its mount namespace via nsenter (no SSH
 * involved), or through the system ssh client with the host key pinned.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { hostLayout } from "./layout";
import { isAlive } from "./procs";
import { unitPid } from "./status";
import { pingStatus, waitFor } from "./wait";
import { run, tail, type RunResult } from "./run";
import { findHost, loadSandbox, type HostState, type SandboxState } from "./state";

export interface OnHostOptions {
    readonly input?: string | Buffer;
    /** Resolve with the exit code instead of throwing on non-zero. */
    readonly allowFailure?: boolean;
    readonly state?: SandboxState;
}

/** Runs argv as root in host `name`'s mount namespace: it sees that host's /etc and systemctl. */
export function onHost(name: string, argv: readonly string[], opts: OnHostOptions = {}): Promise<RunResult> {
    const host = findHost(opts.state ?? loadSandbox(), name);
    return run(["nsenter", "--target", String(host.sshdPid), "--mount", "--", ...argv], opts);
}

/** Runs the host's systemctl shim, e.g. `systemctl(h, "restart", "influxdb")`. */
export function systemctl(name: string, verb: string, unit: string, opts: OnHostOptions = {}): Promise<RunResult> {
    return onHost(name, ["/usr/local/sbin/systemctl", verb, unit], opts);
}

/**
 * argv for the system `ssh` client logging in to `host` as `user`, trusting only the
 * host's own key (known_hosts pinned, strict checking, no agent, no user config).
 * Append the remote command.
 */
export function sshArgv(state: SandboxState, hostName: string, user: string = state.users.root): string[] {
    const host = findHost(state, hostName);
    return [
        "ssh", "-F", "none", "-i", state.clientKeyPath,
        "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "BatchMode=yes",
        "-o", "StrictHostKeyChecking=yes", "-o", `UserKnownHostsFile=${state.knownHostsPath}`,
        "-o", "GlobalKnownHostsFile=/dev/null", "-o", "HostKeyAlgorithms=ssh-ed25519",
        "-o", "ConnectTimeout=5", "-o", "LogLevel=ERROR",
        "-p", String(host.sshPort), `${user}@${host.address}`, "--",
    ];
}

/**
 * Waits until the host's influxd answers /ping with 204. Fails at once if its process
 * has exited (e.g. a bad config), else after timeoutMs; the error carries the log tail.
 */
export async function waitForInfluxd(host: HostState, timeoutMs = 30_000): Promise<void> {
    const log = path.join(hostLayout(host.dir).log, "influxdb.log");
    const logTail = () => `${log}:\n${fs.existsSync(log) ? tail(fs.readFileSync(log, "utf8"), 2000) : "(no log)"}`;
    await waitFor(`influxd of ${host.name} at http://${host.address}:8086/ping`, async () => (await pingStatus(host.address)) === 204, {
        timeoutMs,
        abort: () => {
            const pid = unitPid(host, "influxdb");
            if (pid === undefined || !isAlive(pid)) throw new Error(`sandbox: influxd of ${host.name} is not running\n${logTail()}`);
        },
        describe: logTail,
    });
}
