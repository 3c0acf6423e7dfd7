/**
 * The bench's test hosts: 1 meta node, N data nodes, 1 Telegraf host (the sandbox's
 * `--meta 1 --data N --telegraf 1`), their CA-signed files, SSH connection counts from each
 * host's sshd log, and the reset that puts every host back on HTTP between rounds.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { hostLayout, onHost, resetHost, sandboxUp, topologyHosts, type SandboxState } from "../test/sandbox";

export const REPO = path.join(__dirname, "../..");

export async function benchHosts(dataNodes: number): Promise<SandboxState> {
    return sandboxUp({ hosts: topologyHosts({ meta: 1, data: dataNodes, telegraf: 1 }), exact: true });
}

/** examples/ca-signed/make-certs.sh for every host (kept while the sandbox has the same hosts). */
export function makeCerts(state: SandboxState): string {
    const dir = path.join(state.dir, "bench-certs");
    const missing = !fs.existsSync(path.join(dir, "ca.crt")) || state.hosts.some((h) => !fs.existsSync(path.join(dir, `${h.name}.crt`)));
    if (missing) {
        fs.rmSync(dir, { recursive: true, force: true });
        execFileSync("bash", [path.join(REPO, "examples/ca-signed/make-certs.sh"), dir, ...state.hosts.map((h) => `${h.name}=${h.address}`)], { stdio: "ignore" });
    }
    return dir;
}

/** Successful SSH logins per host so far ("Accepted publickey" lines of its sshd). */
export function sshLogins(state: SandboxState): Map<string, number> {
    const m = new Map<string, number>();
    for (const h of state.hosts) {
        const log = path.join(hostLayout(h.dir).log, "sshd.log");
        const text = fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "";
        m.set(h.name, text.split("\n").filter((l) => l.includes("Accepted publickey")).length);
    }
    return m;
}

/** The most connections any one host got between two counts. */
export function maxPerNode(before: Map<string, number>, after: Map<string, number>): number {
    return Math.max(0, ...[...after].map(([k, v]) => v - (before.get(k) ?? 0)));
}

/** Every host back to its baseline (configs, /etc/ssl, no Telegraf CA file), services answering on HTTP. */
export async function resetAll(state: SandboxState): Promise<void> {
    await Promise.all(state.hosts.map(async (h) => {
        await resetHost(h.name, state);
        await onHost(h.name, ["rm", "-f", "/etc/telegraf/influxdb-ca.pem", "/etc/influxdb/.influxdb.conf.pitls-undo", "/etc/influxdb/.influxdb-meta.conf.pitls-undo", "/etc/telegraf/.telegraf.conf.pitls-undo"], { state });
    }));
}

/** 1-minute load average, as a figure's companion (the machine is shared). */
export function load(): number {
    return os.loadavg()[0];
}

/** Every meta and data node answers /ping over HTTPS trusting only the CA (after a first run). */
export async function checkHttps(state: SandboxState, certDir: string): Promise<string[]> {
    const https = await import("node:https");
    const ca = fs.readFileSync(path.join(certDir, "ca.crt"));
    const bad: string[] = [];
    await Promise.all(state.hosts.filter((h) => h.roles[0] !== "telegraf").map((h) => new Promise<void>((resolve) => {
        const port = h.roles[0] === "meta" ? 8091 : 8086;
        const req = https.get({ host: h.address, port, path: "/ping", ca, timeout: 5000 }, (res) => {
            res.resume();
            if (res.statusCode !== 204) bad.push(`${h.name}: ${res.statusCode}`);
            resolve();
        });
        req.on("timeout", () => req.destroy(new Error("timeout")));
        req.on("error", (e) => { bad.push(`${h.name}: ${e.message}`); resolve(); });
    })));
    return bad;
}
