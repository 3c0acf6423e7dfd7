/** Builds one host's directory: its /etc trees, data dir, shim, units and sshd files. */
import * as fs from "node:fs";
import * as path from "node:path";
import { influxdProgram, installProgram, telegrafDefaultConf, telegrafProgram, upstreamInfluxdbConf } from "./binaries";
import { influxdOf, type HostSpec } from "./hosts";
import { applyLineEdits, effectiveConfigProblems, requiredDefaultLines, sandboxEdits } from "./influxconf";
import { hostLayout, type HostLayout } from "./layout";
import type { Defaults } from "./machine";
import { metaConfFor } from "./metaconf";
import { run } from "./run";
import { etcHostsFor, installStandins } from "./services";
import { journalctlScript, shimScript, unitFile } from "./shim";
import { sshdConfig } from "./sshd";
import { sandboxTelegrafConf } from "./telegrafconf";
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
    await writeConfigs(host, l, defaults, allHosts);
    const { uid, gid } = await serviceIds("influxdb");
    fs.chownSync(l.varLibInfluxdb, uid, gid);
    writeFile(l.etcHosts, etcHostsFor(host, allHosts, fs.readFileSync("/etc/hosts", "utf8")), 0o644);

    writeFile(l.shim, shimScript(l.dir), 0o755);
    writeFile(l.journalctl, journalctlScript(l.dir), 0o755);
    installStandins(host, l, allHosts);
    installPrograms(host, l);
    const units = unitsForRoles(host.roles);
    for (const u of units) writeFile(path.join(l.units, `${u.name}.env`), unitFile(u), 0o644);

    await run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", `pitls-sandbox-${host.name}`, "-f", l.hostKey]);
    const pub = fs.readFileSync(`${l.hostKey}.pub`, "utf8").trim().split(/\s+/);
    const fingerprint = (await run(["ssh-keygen", "-lf", `${l.hostKey}.pub`])).stdout.split(/\s+/)[1] ?? "";
    for (const d of [l.opt, path.dirname(l.authorizedKeys)]) {
        fs.mkdirSync(d, { recursive: true });
        fs.chmodSync(d, 0o755);
    }
    writeFile(l.authorizedKeys, `${clientPublicKey.trim()}\n`, 0o644);
    writeFile(l.sshdConfig, sshdConfig(host, l, allHosts), 0o644);
    await run(["/usr/sbin/sshd", "-t", "-f", l.sshdConfig]);
    return { layout: l, hostKey: `${pub[0]} ${pub[1]}`, hostKeyFingerprint: fingerprint, units: units.map((u) => u.name) };
}

/**
 * The real programs no package here provides, at the paths their packages use (binaries.ts):
 * influxd 1.13.2 on /usr/bin/influxd (a bind mount, sshd.ts), telegraf on /usr/local/sbin.
 */
function installPrograms(host: HostSpec, l: HostLayout): void {
    const influxd = influxdOf(host);
    if (influxd !== undefined && influxd !== "1.6.7") {
        fs.mkdirSync(path.dirname(l.influxdProgram), { mode: 0o755 });
        installProgram(influxdProgram(influxd), l.influxdProgram);
    }
    if (host.roles.includes("telegraf")) installProgram(telegrafProgram(), l.telegrafProgram);
}

/** Writes the host's influxdb.conf (and telegraf.conf on Telegraf hosts) plus their baseline copies. */
async function writeConfigs(host: HostSpec, l: HostLayout, defaults: Defaults, allHosts: readonly HostSpec[]): Promise<void> {
    const version = influxdOf(host) ?? "1.6.7";
    const defaultConf = version === "1.6.7" ? defaults.influxdbConf : upstreamInfluxdbConf();
    const conf = applyLineEdits(defaultConf.toString("utf8"), sandboxEdits(host.address, version), requiredDefaultLines(version));
    writeFile(l.baselineInfluxdbConf, conf, 0o644);
    // `influxd config` prints the effective config: proof the edits mean what we intend.
    const effective = (await run([influxdProgram(version), "config", "-config", l.baselineInfluxdbConf])).stdout;
    const problems = effectiveConfigProblems(effective, host.address, version);
    if (problems.length > 0) throw new Error(`sandbox: ${host.name} influxdb.conf (influxd ${version}): ${problems.join("; ")}`);
    if (host.roles.includes("telegraf")) writeFile(l.baselineTelegrafConf, sandboxTelegrafConf(await telegrafDefaultConf(), allHosts), 0o644);
    if (host.roles.includes("meta")) writeFile(l.baselineMetaConf, metaConfFor(defaults.metaConf.toString("utf8"), host), 0o644);
    restoreConfigs(l);
}

/** Puts /etc/influxdb and /etc/telegraf back to the baseline files alone, byte for byte. */
export function restoreConfigs(l: HostLayout): void {
    emptyDir(l.etcInfluxdb);
    emptyDir(l.etcTelegraf);
    fs.copyFileSync(l.baselineInfluxdbConf, path.join(l.etcInfluxdb, "influxdb.conf"));
    // Meta hosts only (the baseline exists for them alone).
    if (fs.existsSync(l.baselineMetaConf)) fs.copyFileSync(l.baselineMetaConf, path.join(l.etcInfluxdb, "influxdb-meta.conf"));
    // Telegraf hosts only, as the package: its telegraf.conf and an empty drop-in directory.
    if (fs.existsSync(l.baselineTelegrafConf)) {
        fs.copyFileSync(l.baselineTelegrafConf, path.join(l.etcTelegraf, "telegraf.conf"));
        fs.mkdirSync(path.join(l.etcTelegraf, "telegraf.d"), { mode: 0o755 });
    }
}

/** Empties a directory in place: it is a mount source, so it must stay the same directory. */
export function emptyDir(dir: string): void {
    for (const e of fs.readdirSync(dir)) fs.rmSync(path.join(dir, e), { recursive: true, force: true });
}

function writeFile(file: string, data: string | Buffer, mode: number): void {
    fs.writeFileSync(file, data, { mode });
    fs.chmodSync(file, mode); // writeFileSync's mode is filtered by the umask
}

/** A service user's uid and the gid of the group of the same name (as its unit's Group=). */
async function serviceIds(user: string): Promise<{ uid: number; gid: number }> {
    const uid = Number((await run(["id", "-u", user])).stdout.trim());
    const gid = Number((await run(["getent", "group", user])).stdout.split(":")[2]);
    return { uid, gid };
}
