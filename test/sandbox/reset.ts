/**
 * Puts one host back the way `up` left it, for tests that changed its files: stops its
 * services, restores /etc/influxdb and /etc/telegraf to the baseline files byte for
 * byte (extra files such as backups removed; influxdb-meta.conf on meta hosts), refreshes
 * /etc/ssl from the machine's, and starts the services again, waiting until each answers
 * (influxd and the meta stand-in on /ping, the Telegraf stand-in by its status file).
 * Data in /var/lib/influxdb is kept.
 */
import { emptyDir, restoreConfigs } from "./hostfs";
import { hostLayout } from "./layout";
import { systemctl } from "./onhost";
import { run } from "./run";
import { waitForUnits } from "./services";
import { findHost, loadSandbox, type SandboxState } from "./state";

export async function resetHost(name: string, state: SandboxState = loadSandbox()): Promise<void> {
    const host = findHost(state, name);
    const l = hostLayout(host.dir);
    for (const unit of host.units) await systemctl(name, "stop", unit, { state });
    restoreConfigs(l);
    emptyDir(l.etcSsl);
    await run(["cp", "-a", "/etc/ssl/.", l.etcSsl]);
    for (const unit of host.units) await systemctl(name, "start", unit, { state });
    await waitForUnits(host);
}
