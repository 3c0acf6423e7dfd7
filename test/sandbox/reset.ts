/**
 * Puts one host back the way `up` left it, for tests that changed its files: stops its
 * services, restores /etc/influxdb and /etc/telegraf to the baseline files byte for
 * byte (extra files such as backups removed; influxdb-meta.conf on meta hosts), refreshes
 * /etc/ssl from the machine's, and starts the services again, waiting until each answers
 * (influxd and the meta stand-in on /ping, Telegraf by its agent start line in its log).
 * Data in /var/lib/influxdb is kept.
 */
import { emptyDir, restoreConfigs } from "./hostfs";
import { hostLayout } from "./layout";
import { systemctl } from "./onhost";
import { run } from "./run";
import { waitForUnits } from "./services";
import { findHost, loadSandbox, type SandboxState } from "./state";
import { bindMounts } from "./sshd";
import * as fs from "node:fs";

export async function resetHost(name: string, state: SandboxState = loadSandbox()): Promise<void> {
    const host = findHost(state, name);
    const l = hostLayout(host.dir);
    assertOwnMounts(host.name, host.sshdPid, l);
    for (const unit of host.units) await systemctl(name, "stop", unit, { state });
    restoreConfigs(l);
    emptyDir(l.etcSsl);
    await run(["cp", "-a", "/etc/ssl/.", l.etcSsl]);
    for (const unit of host.units) await systemctl(name, "start", unit, { state });
    await waitForUnits(host);
}

/**
 * Every bind mount that gives the host its own files is still in place. A test that unmounts
 * one of them (e.g. once more after its own tmpfs over /etc/ssl is gone) would have the host
 * read and write the machine's real files from then on: fail loudly instead.
 */
function assertOwnMounts(name: string, sshdPid: number, layout: ReturnType<typeof hostLayout>): void {
    const points = new Set(fs.readFileSync(`/proc/${sshdPid}/mountinfo`, "utf8").split("\n").map((l) => l.split(" ")[4]).filter(Boolean));
    const missing = bindMounts(layout).map(([, target]) => target).filter((t) => !points.has(t));
    if (missing.length > 0) {
        throw new Error(`sandbox: host ${name} lost its own ${missing.join(", ")} (bind mounts in its namespace): a test unmounted them; ` +
            "it would now use the machine's files. Restart the sandbox (npm run sandbox -- down && npm run sandbox -- up).");
    }
}
