/**
 * Installing and waiting for the stand-in services (standins/): the wrapper scripts put
 * on each host's PATH (/usr/local/sbin, the host's sbin/ directory), its /etc/hosts, and
 * "is it up" checks used by `up` and resetHost.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { HostSpec } from "./hosts";
import { hostLayout, IN_HOST_OPT, type HostLayout } from "./layout";
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
/** The hosts' copies of STANDINS_DIR, as the hosts see them (hostLayout().standins mounted there). */
export const IN_HOST_STANDINS = path.posix.join(IN_HOST_OPT, "standins");
export const META_HTTP_PORT = 8091;

type Standin = "influxdb-meta" | "influxd-ctl";

/** The stand-in's path inside a host (its copy, see installStandinPrograms). */
export function standinScript(name: Standin): string {
    const file = path.join(STANDINS_DIR, `${name}-standin.js`);
    if (!fs.existsSync(file)) throw new Error(`sandbox: ${file} missing; run \`npx tsc -p tsconfig.test.json\``);
    return path.posix.join(IN_HOST_STANDINS, `${name}-standin.js`);
}

/**
 * Copies the compiled stand-ins and smol-toml (their one dependency, found by node's
 * node_modules lookup from the copy) into the host's opt/standins, root-owned, dirs 0755 and
 * files 0644. Why: the services run them as influxdb/telegraf, and a checkout inside a
 * directory those users cannot traverse (root's home, `mktemp -d`: both 0700) made them fail
 * with "Cannot find module …/bin-test/…". The host reaches the copy through its own bind mount
 * (/opt/pitls-sandbox), never through the checkout's path. Refreshed on every `up`
 * (each file replaced by rename), so rebuilt stand-ins run from the next restart on, as an
 * upgraded package would.
 */
export function installStandinPrograms(l: HostLayout): void {
    const toml = packageDir("smol-toml");
    const files: [string, string][] = fs.readdirSync(STANDINS_DIR)
        .filter((f) => f.endsWith(".js") && !f.endsWith(".test.js"))
        .map((f) => [path.join(STANDINS_DIR, f), path.join(l.standins, f)]);
    const walk = (from: string, to: string): void => {
        for (const e of fs.readdirSync(from, { withFileTypes: true })) {
            if (e.isDirectory()) walk(path.join(from, e.name), path.join(to, e.name));
            else if (e.isFile()) files.push([path.join(from, e.name), path.join(to, e.name)]);
        }
    };
    walk(toml, path.join(l.standins, "node_modules", "smol-toml"));
    for (const d of [l.opt, ...new Set(files.map(([, to]) => path.dirname(to)))]) {
        fs.mkdirSync(d, { recursive: true, mode: 0o755 });
    }
    for (const [from, to] of files) {
        const tmp = `${to}.tmp-${process.pid}`;
        fs.copyFileSync(from, tmp);
        fs.chmodSync(tmp, 0o644);
        fs.renameSync(tmp, to);
    }
    // mkdirSync's mode is filtered by the umask, and a copy may be owned by whoever ran `up` before.
    for (let d = l.standins; d.startsWith(l.opt); d = path.dirname(d)) {
        fs.chmodSync(d, 0o755);
        if (d === l.opt) break;
    }
}

/** The directory of an installed package (its exports hide package.json from require.resolve). */
function packageDir(name: string): string {
    for (let d = path.dirname(require.resolve(name)); path.dirname(d) !== d; d = path.dirname(d)) {
        const pkg = path.join(d, "package.json");
        if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, "utf8")) as { name?: string }).name === name) return d;
    }
    throw new Error(`sandbox: no package.json of ${name} above ${require.resolve(name)}`);
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
    installStandinPrograms(l);
    if (host.roles.includes("meta")) {
        // By name, as a real cluster's nodes know each other (every host's /etc/hosts resolves them).
        const dataNodes = allHosts.filter((h) => h.roles.includes("data")).map((h) => `${h.name}:8088`);
        const metaNodes = allHosts.filter((h) => h.roles.includes("meta")).map((h) => `${h.name}:${META_HTTP_PORT}`);
        const flags = [
            "--standin-address", host.address,
            ...(metaNodes.length ? ["--standin-meta-nodes", metaNodes.join(",")] : []),
            ...(dataNodes.length ? ["--standin-data-nodes", dataNodes.join(",")] : []),
        ];
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
