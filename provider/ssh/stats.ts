/**
 * Process-wide SSH counters, for tests and benchmarks ("one connection per resource
 * operation"). Incremented by SshSession; never read by the providers themselves.
 */
export interface SshStats {
    /** Successful SSH handshakes (a bastion hop counts as one more). */
    connections: number;
    /** Remote commands started (channels opened). */
    commands: number;
}

export const sshStats: SshStats = { connections: 0, commands: 0 };

/** Reset both counters to zero. */
export function resetSshStats(): void {
    sshStats.connections = 0;
    sshStats.commands = 0;
}
