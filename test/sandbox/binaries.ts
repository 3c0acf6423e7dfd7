/**
 * The real programs the hosts run that no package on this machine provides: influxd 1.13.2
 * and Telegraf 1.37.2, built from the Go module proxy into <repo>/build by
 * scripts/build-influxd.sh and scripts/build-telegraf.sh (test/all.sh and `npm start` run
 * them), and the default configuration files of those releases.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { InfluxdVersion } from "./hosts";
import { repoRoot } from "./layout";
import { run } from "./run";

/** Debian's influxd 1.6.7, installed on the machine. */
export const MACHINE_INFLUXD = "/usr/bin/influxd";
export const TELEGRAF_VERSION = "1.37.2";

function built(file: string, script: string): string {
    const p = path.join(repoRoot(), "build", file);
    if (!fs.existsSync(p)) throw new Error(`sandbox: ${p} missing; build it: bash scripts/${script}`);
    return p;
}

/** The influxd binary of `version`. */
export function influxdProgram(version: InfluxdVersion): string {
    return version === "1.6.7" ? MACHINE_INFLUXD : built("bin/influxd", "build-influxd.sh");
}

/** The default influxdb.conf InfluxData's 1.13.2 packages install (the module's etc/config.sample.toml). */
export function upstreamInfluxdbConf(): Buffer {
    return fs.readFileSync(built("share/influxdb-1.13.2.conf", "build-influxd.sh"));
}

/** The Telegraf 1.37.2 binary (custom build: inputs.mem, outputs.influxdb). */
export function telegrafProgram(): string {
    return built("bin/telegraf", "build-telegraf.sh");
}

let telegrafConf: Promise<string> | undefined;

/** `telegraf config`: the default file of that release and build (what its package installs). Once per process. */
export function telegrafDefaultConf(): Promise<string> {
    telegrafConf ??= run([telegrafProgram(), "config"]).then((r) => r.stdout);
    return telegrafConf;
}

/**
 * Puts `program` at `target` for one host: a hard link (no copy of a 30-130 MB binary; a
 * rebuild renames a new file into build/, so the host keeps the one it started with), else a copy.
 */
export function installProgram(program: string, target: string): void {
    fs.rmSync(target, { force: true });
    try {
        fs.linkSync(program, target);
    } catch {
        fs.copyFileSync(program, target);
        fs.chmodSync(target, 0o755);
    }
}
