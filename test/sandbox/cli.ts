/**
 * `npm run sandbox -- up [--hosts data1,meta1] [--influxd 1.6.7|1.13.2|data1=1.6.7,data2=1.13.2] | down [--purge-machine] | status [--json]`
 * Sandbox directory: $PITLS_SANDBOX_DIR, else <repo>/.sandbox.
 */
import { DEFAULT_HOSTS, INFLUXD_VERSIONS, selectHosts, withInfluxd } from "./hosts";
import { sandboxDown } from "./down";
import { sandboxStatus, type SandboxStatus } from "./status";
import { sandboxUp } from "./up";

const USAGE = `usage: npm run sandbox -- up [--hosts ${DEFAULT_HOSTS.map((h) => h.name).join(",")}] [--influxd ${INFLUXD_VERSIONS.join("|")}|data1=V,…] ` +
    "| down [--purge-machine] | status [--json]";

function flagValue(args: string[], flag: string): string | undefined {
    const i = args.indexOf(flag);
    if (i < 0) return undefined;
    const v = args[i + 1];
    if (v === undefined || v.startsWith("--")) throw new Error(`${flag} needs a value\n${USAGE}`);
    return v;
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
        console.log(`  ${h.name.padEnd(6)} ${h.address.padEnd(12)} sshd ${h.sshdAlive ? `running (pid ${h.sshdPid})` : "DEAD"}  ${units || "no services"}${ping}`);
    }
}

async function main(argv: string[]): Promise<void> {
    const [cmd, ...args] = argv;
    const started = Date.now();
    switch (cmd) {
        case "up": {
            const names = flagValue(args, "--hosts");
            const influxd = flagValue(args, "--influxd");
            const hosts = names ? selectHosts(names.split(",")) : DEFAULT_HOSTS;
            const state = await sandboxUp({ hosts: influxd ? withInfluxd(hosts, influxd) : hosts });
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
        default:
            console.error(USAGE);
            process.exitCode = 2;
    }
}

main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
});
