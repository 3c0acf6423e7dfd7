/**
 * How a role's systemd service is restarted and watched. `restart`, never `start`: the guide's
 * CA path says `start`, which leaves a running service on its old config (erratum 3).
 */

/** Lines of the service's log put into a verification error. */
export const LOG_TAIL_LINES = 20;

export function restartCommand(service: string): string[] {
    return ["systemctl", "restart", service];
}

/** Exits 0 while the service runs (also Telegraf's default verify: it has no HTTPS endpoint of its own). */
export function isActiveCommand(service: string): string[] {
    return ["systemctl", "is-active", service];
}

/**
 * The status and log commands for a systemd service: `systemctl is-active <service>` (so a
 * service that exited ends verification at once) and `journalctl -u <service> -n 20 --no-pager
 * -o cat` (its own words go into the error). Defaults only while the restart command is
 * systemd's: a custom restart command may run a service systemd does not know, whose
 * `is-active` would say "inactive" while it runs.
 */
export function serviceProbes(
    service: string,
    args: { readonly restartCommand?: string[]; readonly statusCommand?: string[]; readonly logCommand?: string[] },
): { status?: string[]; logs?: string[] } {
    const systemd = args.restartCommand === undefined;
    return {
        status: args.statusCommand ?? (systemd ? isActiveCommand(service) : undefined),
        logs: args.logCommand ?? (systemd ? ["journalctl", "-u", service, "-n", String(LOG_TAIL_LINES), "--no-pager", "-o", "cat"] : undefined),
    };
}
