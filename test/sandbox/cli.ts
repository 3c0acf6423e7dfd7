/**
 * `npm run sandbox -- up [--hosts data1,meta1 | --meta M --data N --telegraf T] [--influxd 1.6.7|1.13.2|data1=V,…] | down [--purge-machine] | status [--json]`
 * Sandbox directory: $PITLS_SANDBOX_DIR, else <repo>/.sandbox.
 */
import { DEFAULT_HOSTS, DEFAULT_TOPOLOGY, INFLUXD_VERSIONS, selectHosts, topologyHosts, withInfluxd, type HostSpec, type Topology } from "./hosts";
import { sandboxDown } from "./down";
import { formatProbeReport, startProber } from "./prober";
import { loadSandbox } from "./state";
import { sandboxStatus, type SandboxStatus } from "./status";
import { sandboxUp } from "./up";

const USAGE = `usage: npm run sandbox -- up [--hosts data1,data2,meta1,tele1 | --meta M --data N --telegraf T] [--influxd ${INFLUXD_VERSIONS.join("|")}|data1=V,…] | down [--purge-machine] | status [--json] | probe [--seconds S] [--json]
  probe: polls every meta/data node's /ping (HTTP or HTTPS) every 50 ms until SIGINT/SIGTERM or S seconds, then prints who was down when;
  up without flags: data1, data2, meta1, tele1 (an up sandbox that has them is reused);
  --influxd: every data host's influxd, or per host (default: odd data hosts 1.6.7, even ones 1.13.2);
  --meta/--data/--telegraf: that many of each (unset ones as the default: ${DEFAULT_TOPOLOGY.meta}, ${DEFAULT_TOPOLOGY.data}, ${DEFAULT_TOPOLOGY.telegraf}); rebuilt unless exactly those run`;

function flagValue(args: string[], flag: string): string | undefined {
    const i = args.indexOf(flag);
    if (i < 0) return undefined;
    const v = args[i + 1];
    if (v === undefined || v.startsWith("--")) throw new Error(`${flag} needs a value\n${USAGE}`);
    return v;
}

function count(args: string[], flag: string): number | undefined {
    const v = flagValue(args, flag);
    if (v === undefined) return undefined;
    if (!/^\d{1,3}$/.test(v)) throw new Error(`${flag} needs a number, got ${JSON.stringify(v)}\n${USAGE}`);
    return Number(v);
}

/** The hosts `up` was asked for, and whether only exactly those may be reused. */
export function upRequest(args: string[]): { hosts?: HostSpec[]; exact: boolean } {
    const influxd = flagValue(args, "--influxd");
    const req = hostsRequest(args);
    return influxd === undefined ? req : { ...req, hosts: withInfluxd(req.hosts ?? DEFAULT_HOSTS, influxd) };
}

function hostsRequest(args: string[]): { hosts?: HostSpec[]; exact: boolean } {
    const known = new Set(["--hosts", "--meta", "--data", "--telegraf", "--influxd"]);
    for (let i = 0; i < args.length; i += 2) {
        if (!known.has(args[i]!)) throw new Error(`unknown argument ${args[i]!}\n${USAGE}`);
    }
    const names = flagValue(args, "--hosts");
    const t: Partial<Record<keyof Topology, number>> = { meta: count(args, "--meta"), data: count(args, "--data"), telegraf: count(args, "--telegraf") };
    const sized = Object.values(t).some((v) => v !== undefined);
    if (names !== undefined && sized) throw new Error(`--hosts cannot be combined with --meta/--data/--telegraf\n${USAGE}`);
    if (names !== undefined) return { hosts: selectHosts(names.split(",")), exact: false };
    if (!sized) return { exact: false };
    return { hosts: topologyHosts({ ...DEFAULT_TOPOLOGY, ...Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)) }), exact: true };
}

function printStatus(s: SandboxStatus): void {
    if (!s.up) {
        console.log(`sandbox ${s.dir}: down`);
        return;
    }
    console.log(`sandbox ${s.dir}: ${s.healthy ? "healthy" : "UNHEALTHY"}`);
    for (const h of s.hosts) {
        const units = h.units.map((u) => `${u.name} ${u.alive ? `running (pid ${u.pid})` : "not running"}`).join(", ");
        const ping = (h.ping === undefined ? "" : `  ping ${h.ping}`) + (h.metaPing === undefined ? "" : `  meta ping ${h.metaPing}`);
        console.log(`  ${h.name.padEnd(6)} ${h.address.padEnd(13)} sshd ${h.sshdAlive ? `running (pid ${h.sshdPid})` : "DEAD"}  ${units || "no services"}${ping}`);
    }
}

async function main(argv: string[]): Promise<void> {
    const [cmd, ...args] = argv;
    const started = Date.now();
    switch (cmd) {
        case "up": {
            const state = await sandboxUp(upRequest(args));
            printStatus(await sandboxStatus(state.dir));
            console.log(`up in ${Date.now() - started} ms; state: ${state.dir}/state.json`);
            break;
        }
        case "down": {
            const { stopped } = await sandboxDown({ purgeMachine: args.includes("--purge-machine") });
            console.log(`down in ${Date.now() - started} ms; stopped PIDs: ${stopped.join(" ") || "none"}`);
            break;
        }
        case "status": {
            const s = await sandboxStatus();
            if (args.includes("--json")) console.log(JSON.stringify(s, null, 2));
            else printStatus(s);
            if (s.up && !s.healthy) process.exitCode = 1;
            break;
        }
        case "probe": {
            // Runs beside a rollout (`npm start`, a test): how many nodes were down at once, and how long each.
            const seconds = flagValue(args, "--seconds");
            const prober = startProber(loadSandbox());
            await new Promise<void>((resolve) => {
                if (seconds !== undefined) setTimeout(resolve, Number(seconds) * 1000);
                process.once("SIGINT", () => resolve());
                process.once("SIGTERM", () => resolve());
            });
            const report = await prober.stop();
            console.log(args.includes("--json") ? JSON.stringify(report, null, 2) : formatProbeReport(report));
            process.exit(0); // a --seconds timer may still be pending after a signal
        }
        default:
            console.error(USAGE);
            process.exitCode = 2;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).catch((e: unknown) => {
        console.error(e instanceof Error ? e.message : e);
        process.exitCode = 1;
    });
}
