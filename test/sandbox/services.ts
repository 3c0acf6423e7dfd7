/**
 * Installing and waiting for the stand-in services (standins/): the wrapper scripts put
 * on each host's PATH (/usr/local/sbin, the host's sbin/ directory), its /etc/hosts, and
 * "is it up" checks used by `up` and resetHost.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { HostSpec } from "./hosts";
import { hostLayout, type HostLayout } from "./layout";
import { waitForInfluxd } from "./onhost";
import { isAlive } from "./procs";
import { tail } from "./run";
import { shQuote } from "./shim";
import type { HostState } from "./state";
import { unitPid } from "./status";
import { pingStatus, waitFor } from "./wait";

/** The machine's node; /usr/bin so the service users (influxdb, telegraf) can run it. */
export const NODE = "/usr/bin/node";
/** Compiled stand-ins (bin-test/test/sandbox/standins/*.js), next to this compiled file. */
export const STANDINS_DIR = path.join(__dirname, "standins");
export const META_HTTP_PORT = 8091;

export function standinScript(name: "influxdb-meta" | "influxd-ctl"): string {
    const file = path.join(STANDINS_DIR, `${name}-standin.js`);
    if (!fs.existsSync(file)) throw new Error(`sandbox: ${file} missing; run \`npx tsc -p tsconfig.test.json\``);
    return file;
}

/** A program on the host's PATH that execs a stand-in; host-specific flags are baked in, like the shim's HOST_DIR. */
function wrapper(program: string, script: string, fixed: readonly string[]): string {
    return `#!/bin/sh
# ${program}: pitls sandbox STAND-IN, not the real program (see test/sandbox/README.md).
exec ${NODE} ${[script, ...fixed].map(shQuote).join(" ")} "$@"
`;
}

/** Writes the wrappers a host's roles need into its sbin/ (mounted on /usr/local/sbin). */
export function installStandins(host: HostSpec, l: HostLayout, allHosts: readonly HostSpec[]): void {
    const write = (name: string, text: string) => {
        fs.writeFileSync(path.join(l.sbin, name), text);
        fs.chmodSync(path.join(l.sbin, name), 0o755);
    };
    if (host.roles.includes("meta")) {
        const dataNodes = allHosts.filter((h) => h.roles.includes("data")).map((h) => `${h.address}:8088`);
        const flags = ["--standin-address", host.address, ...(dataNodes.length ? ["--standin-data-nodes", dataNodes.join(",")] : [])];
        write("influxd-meta", wrapper("influxd-meta", standinScript("influxdb-meta"), flags));
        write("influxd-ctl", wrapper("influxd-ctl", standinScript("influxd-ctl"), []));
    }
}

/**
 * The host's /etc/hosts: `localhost` is the host's own address (hosts share the machine's
 * loopback interface, so 127.0.0.1 would reach every host's neighbours, or nothing), every
 * sandbox host's name resolves, and the machine's other entries are kept.
 */
export function etcHostsFor(host: HostSpec, allHosts: readonly HostSpec[], machineHosts: string): string {
    const kept = machineHosts
        .split("\n")
        .map((line) => {
            const [content = "", comment] = line.split(/#(.*)/s);
            const fields = content.trim().split(/\s+/).filter((f) => f !== "");
            if (fields.length < 2 || !fields.slice(1).includes("localhost")) return line;
            const names = fields.slice(1).filter((f) => f !== "localhost");
            return names.length === 0 ? undefined : `${fields[0]} ${names.join(" ")}${comment ? ` #${comment}` : ""}`;
        })
        .filter((l): l is string => l !== undefined && l.trim() !== "");
    return [
        `# /etc/hosts of pitls sandbox host ${host.name} (bind-mounted in its namespace only).`,
        `${host.address} localhost`,
        ...allHosts.map((h) => `${h.address} ${h.name}`),
        "# The machine's entries, without localhost:",
        ...kept,
        "",
    ].join("\n");
}

function logTail(host: HostState, unit: string): string {
    const log = path.join(hostLayout(host.dir).log, `${unit}.log`);
    return `${log}:\n${fs.existsSync(log) ? tail(fs.readFileSync(log, "utf8"), 2000) : "(no log)"}`;
}

function unitRunning(host: HostState, unit: string): () => void {
    return () => {
        const pid = unitPid(host, unit);
        if (pid === undefined || !isAlive(pid)) throw new Error(`sandbox: ${unit} of ${host.name} is not running\n${logTail(host, unit)}`);
    };
}

/** Waits until the meta stand-in answers GET /ping with 204 over plain HTTP on :8091. */
export async function waitForMeta(host: HostState, timeoutMs = 15_000): Promise<void> {
    await waitFor(`influxdb-meta stand-in of ${host.name} at http://${host.address}:${META_HTTP_PORT}/ping`,
        async () => (await pingStatus(host.address, META_HTTP_PORT)) === 204, {
            timeoutMs,
            abort: unitRunning(host, "influxdb-meta"),
            describe: () => logTail(host, "influxdb-meta"),
        });
}

/**
 * Waits until the running telegraf unit has loaded its config and started its agent: its
 * log, after the shim's last "starting telegraf" line (the log is appended to across
 * restarts), says "[agent] Config:" — the agent's first line once every plugin is set up; a
 * config Telegraf refuses ends the process before that.
 */
export async function waitForTelegraf(host: HostState, timeoutMs = 15_000): Promise<void> {
    const log = path.join(hostLayout(host.dir).log, "telegraf.log");
    await waitFor(`telegraf of ${host.name}`, async () => {
        const text = fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "";
        const at = text.lastIndexOf(SHIM_START_TELEGRAF);
        return at >= 0 && text.includes("[agent] Config:", at);
    }, {
        timeoutMs,
        abort: unitRunning(host, "telegraf"),
        describe: () => logTail(host, "telegraf"),
    });
}

/** What the systemctl shim logs before it spawns the unit (shim.ts). */
const SHIM_START_TELEGRAF = "systemctl shim: starting telegraf:";

/** Waits for whatever service each of the host's units provides. */
export async function waitForUnits(host: HostState): Promise<void> {
    if (host.units.includes("influxdb")) await waitForInfluxd(host);
    if (host.units.includes("influxdb-meta")) await waitForMeta(host);
    if (host.units.includes("telegraf")) await waitForTelegraf(host);
}
