/** Builds one host's directory: its /etc trees, data dir, shim, units and sshd files. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { HostSpec } from "./hosts";
import { applyLineEdits, effectiveConfigProblems, sandboxEdits } from "./influxconf";
import { hostLayout, type HostLayout } from "./layout";
import type { Defaults } from "./machine";
import { run } from "./run";
import { shimScript, unitFile } from "./shim";
import { sshdConfig } from "./sshd";
import { unitsForRoles } from "./units";

export interface PreparedHost {
    readonly layout: HostLayout;
    readonly hostKey: string;
    readonly hostKeyFingerprint: string;
    readonly units: readonly string[];
}

export async function prepareHost(
    host: HostSpec,
    sandboxDir: string,
    defaults: Defaults,
    allHosts: readonly HostSpec[],
    clientPublicKey: string,
): Promise<PreparedHost> {
    const l = hostLayout(path.join(sandboxDir, host.name));
    for (const d of [l.dir, l.etcInfluxdb, l.etcTelegraf, l.varLibInfluxdb, l.sbin, l.units, l.ssh, l.run, l.log]) {
        fs.mkdirSync(d, { recursive: true, mode: 0o755 });
    }
    // cp -a keeps the certs/ symlinks into /usr/share/ca-certificates, so CA bundle paths work.
    await run(["cp", "-a", "/etc/ssl", l.etcSsl]);
    await writeConfigs(host, l, defaults);
    const { uid, gid } = await influxdbIds();
    fs.chownSync(l.varLibInfluxdb, uid, gid);

    writeFile(l.shim, shimScript(l.dir), 0o755);
    const units = unitsForRoles(host.roles);
    for (const u of units) writeFile(path.join(l.units, `${u.name}.env`), unitFile(u), 0o644);

    await run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", `pitls-sandbox-${host.name}`, "-f", l.hostKey]);
    const pub = fs.readFileSync(`${l.hostKey}.pub`, "utf8").trim().split(/\s+/);
    const fingerprint = (await run(["ssh-keygen", "-lf", `${l.hostKey}.pub`])).stdout.split(/\s+/)[1] ?? "";
    writeFile(l.authorizedKeys, `${clientPublicKey.trim()}\n`, 0o644);
    writeFile(l.sshdConfig, sshdConfig(host, l, allHosts), 0o644);
    await run(["/usr/sbin/sshd", "-t", "-f", l.sshdConfig]);
    return { layout: l, hostKey: `${pub[0]} ${pub[1]}`, hostKeyFingerprint: fingerprint, units: units.map((u) => u.name) };
}

/** Writes the host's influxdb.conf and telegraf.conf plus their baseline copies. */
async function writeConfigs(host: HostSpec, l: HostLayout, defaults: Defaults): Promise<void> {
    const conf = applyLineEdits(defaults.influxdbConf.toString("utf8"), sandboxEdits(host.address));
    writeFile(l.baselineInfluxdbConf, conf, 0o644);
    // `influxd config` prints the effective config: proof the edits mean what we intend.
    const effective = (await run(["/usr/bin/influxd", "config", "-config", l.baselineInfluxdbConf])).stdout;
    const problems = effectiveConfigProblems(effective, host.address);
    if (problems.length > 0) throw new Error(`sandbox: ${host.name} influxdb.conf: ${problems.join("; ")}`);
    writeFile(l.baselineTelegrafConf, defaults.telegrafConf, 0o644);
    restoreConfigs(l);
}

/** Puts /etc/influxdb and /etc/telegraf back to the baseline files alone, byte for byte. */
export function restoreConfigs(l: HostLayout): void {
    emptyDir(l.etcInfluxdb);
    emptyDir(l.etcTelegraf);
    fs.copyFileSync(l.baselineInfluxdbConf, path.join(l.etcInfluxdb, "influxdb.conf"));
    fs.copyFileSync(l.baselineTelegrafConf, path.join(l.etcTelegraf, "telegraf.conf"));
    // The telegraf package ships an empty drop-in directory.
    fs.mkdirSync(path.join(l.etcTelegraf, "telegraf.d"), { mode: 0o755 });
}

/** Empties a directory in place: it is a mount source, so it must stay the same directory. */
export function emptyDir(dir: string): void {
    for (const e of fs.readdirSync(dir)) fs.rmSync(path.join(dir, e), { recursive: true, force: true });
}

function writeFile(file: string, data: string | Buffer, mode: number): void {
    fs.writeFileSync(file, data, { mode });
    fs.chmodSync(file, mode); // writeFileSync's mode is filtered by the umask
}

async function influxdbIds(): Promise<{ uid: number; gid: number }> {
    const uid = Number((await run(["id", "-u", "influxdb"])).stdout.trim());
    const gid = Number((await run(["getent", "group", "influxdb"])).stdout.split(":")[2]);
    return { uid, gid };
}
