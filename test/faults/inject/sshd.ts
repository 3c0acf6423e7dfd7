/**
 * Kills a host's live SSH connections by PID: the per-connection sshd processes are the
 * children of the host's listening sshd (state.json's sshdPid). SIGKILL drops the TCP
 * connection at once, as a crash or a network cut would; the commands it ran are orphaned,
 * not signalled, exactly as after a real connection loss.
 */
import { allPids, isAlive, parentPid } from "../../sandbox/procs";
import type { HostState } from "../../sandbox";

/** PIDs of the host's per-connection sshd processes right now. */
export function connectionPids(host: HostState): number[] {
    return allPids().filter((p) => parentPid(p) === host.sshdPid && isAlive(p));
}

/** SIGKILLs every live connection of `host`; returns the PIDs killed (never the listener). */
export function killConnections(host: HostState): number[] {
    const pids = connectionPids(host);
    for (const p of pids) {
        try {
            process.kill(p, "SIGKILL");
        } catch {
            /* already gone */
        }
    }
    return pids;
}
