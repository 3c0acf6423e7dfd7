/**
 * One sshd per host, each in its own mount namespace: `unshare --mount` (without
 * --fork, so it execs) runs a tiny sh that bind-mounts the host's directories and
 * execs sshd. The spawned PID is therefore sshd's, and every session it opens sees
 * that host's /etc/ssl, /etc/influxdb, /etc/telegraf, /var/lib/influxdb.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { HostSpec } from "./hosts";
import { IN_HOST_OPT, inHostOpt, type HostLayout } from "./layout";
import { SUDO_USER } from "./machine";
import { isAlive } from "./procs";
import { tail } from "./run";
import { sshBanner, waitFor } from "./wait";

export const SSH_PORT = 22;

export function sshdConfig(host: HostSpec, layout: HostLayout, allHosts: readonly HostSpec[]): string {
    return `# sshd for pitls sandbox host ${host.name}; started by test/sandbox, stopped by \`down\`.
ListenAddress ${host.address}:${SSH_PORT}
HostKey ${layout.hostKey}
PidFile ${path.join(layout.run, "sshd.pid")}
# One client key for root and ${SUDO_USER}, through the host's own /opt/pitls-sandbox mount: sshd
# reads it with the login user's rights, and ${SUDO_USER} may not traverse the checkout's path.
AuthorizedKeysFile ${inHostOpt(layout, layout.authorizedKeys)}
# The sandbox directory is not root-owned all the way up; strict checks would refuse it.
StrictModes no
# No PAM session stack here; key logins only.
UsePAM no
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AllowUsers root ${SUDO_USER}
# Forwarding (for jump-host tests) only to sandbox hosts: no path to any other address.
AllowTcpForwarding local
PermitOpen ${allHosts.map((h) => `${h.address}:*`).join(" ")}
PermitListen none
AllowStreamLocalForwarding no
AllowAgentForwarding no
X11Forwarding no
PermitTunnel no
PrintMotd no
UseDNS no
Subsystem sftp internal-sftp
# Tests open many connections at once; the default 10:30:100 drops some of them.
MaxStartups 50:30:100
MaxSessions 50
`;
}

/**
 * [source, mount point] pairs; the shim also covers /usr/bin/systemctl (and the journalctl
 * stand-in /usr/bin/journalctl) for callers using the full path. /etc/hosts makes `localhost` the host's own address (services.ts).
 */
export function bindMounts(layout: HostLayout): [string, string][] {
    const mounts: [string, string][] = [
        [layout.etcSsl, "/etc/ssl"],
        [layout.etcInfluxdb, "/etc/influxdb"],
        [layout.etcTelegraf, "/etc/telegraf"],
        [layout.varLibInfluxdb, "/var/lib/influxdb"],
        [layout.sbin, "/usr/local/sbin"],
        [layout.etcHosts, "/etc/hosts"],
        [layout.opt, IN_HOST_OPT],
    ];
    // A data host with another influxd than the machine's (1.13.2): that binary is its /usr/bin/influxd.
    if (fs.existsSync(layout.influxdProgram)) mounts.push([layout.influxdProgram, "/usr/bin/influxd"]);
    if (fs.existsSync("/usr/bin/systemctl")) mounts.push([layout.shim, "/usr/bin/systemctl"]);
    if (fs.existsSync("/usr/bin/journalctl")) mounts.push([layout.journalctl, "/usr/bin/journalctl"]);
    return mounts;
}

// Paths arrive as positional parameters, never spliced into the script.
const BOOT = `set -e
while [ $# -gt 1 ]; do mount --bind "$1" "$2"; shift 2; done
exec /usr/sbin/sshd -D -e -f "$1"`;

/** Starts the host's sshd in a new mount namespace; returns sshd's PID once it answers. */
export async function startSshd(host: HostSpec, layout: HostLayout): Promise<number> {
    const logPath = path.join(layout.log, "sshd.log");
    const log = fs.openSync(logPath, "a");
    const args = ["--mount", "--propagation", "private", "--", "/bin/sh", "-c", BOOT, "sandbox-boot"];
    const child = spawn("/usr/bin/unshare", [...args, ...bindMounts(layout).flat(), layout.sshdConfig], {
        cwd: "/",
        detached: true,
        stdio: ["ignore", log, log],
    });
    fs.closeSync(log);
    child.unref();
    const pid = child.pid;
    if (pid === undefined) throw new Error(`sandbox: could not spawn unshare for ${host.name}`);
    const logTail = () => `${logPath}:\n${tail(fs.readFileSync(logPath, "utf8"), 1500)}`;
    await waitFor(`sshd of ${host.name} on ${host.address}:${SSH_PORT}`, () => sshBanner(host.address, SSH_PORT), {
        timeoutMs: 10_000,
        abort: () => {
            if (!isAlive(pid)) throw new Error(`sandbox: sshd of ${host.name} exited\n${logTail()}`);
        },
        describe: logTail,
    });
    return pid;
}
