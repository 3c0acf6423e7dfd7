/**
 * Shared by the 3 meta + 4 data + 1 Telegraf rollout tests (harness and real CLI): a side
 * sandbox of that shape, service PIDs, the certificates the nodes serve, and the checks of
 * issue 10's acceptance that do not depend on how the program was run.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tls from "node:tls";
import { influxdPid } from "./hosts";
import { hostLayout, sandboxUp, topologyHosts, unitPid, type SandboxState } from "../../sandbox";
import { sideSandboxNet } from "../../sandbox/hosts";
import { formatProbeReport, type ProbeReport } from "../../sandbox/prober";
import { spawn } from "node:child_process";

/**
 * The availability prober (`npm run sandbox -- probe --json`) in a process of its own: a test
 * process running a deployment blocks its event loop for seconds at a time (serializing the
 * dynamic providers, openssl), which an in-process prober would count as every node down.
 */
export function startProbeProcess(s: SandboxState): { stop(): Promise<ProbeReport> } {
    const cli = path.resolve(__dirname, "../../sandbox/cli.js");
    const child = spawn(process.execPath, [cli, "probe", "--json"], { env: { ...process.env, PITLS_SANDBOX_DIR: s.dir }, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    const done = new Promise<number | null>((resolve) => child.on("close", resolve));
    return {
        async stop() {
            child.kill("SIGTERM");
            const code = await done;
            const text = Buffer.concat(out).toString("utf8");
            assert.equal(code, 0, `prober exited ${code}: ${Buffer.concat(err).toString("utf8")}`);
            return JSON.parse(text) as ProbeReport;
        },
    };
}

export const TOPOLOGY = { meta: 3, data: 4, telegraf: 1 };

/** A 3+4+1 sandbox of its own (127.0.<side net>.x: NET + 10 unless PITLS_SANDBOX_SIDE_NET says otherwise; a temporary directory): the shared one stays as it is. */
export async function clusterSandbox(label: string): Promise<{ dir: string; state: SandboxState }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pitls-${label}-`));
    fs.chmodSync(dir, 0o755);
    const state = await sandboxUp({ dir, hosts: topologyHosts(TOPOLOGY, sideSandboxNet()), exact: true });
    return { dir, state };
}

export const metaNames = (s: SandboxState) => s.hosts.filter((h) => h.roles.includes("meta")).map((h) => h.name);
export const dataNames = (s: SandboxState) => s.hosts.filter((h) => h.roles.includes("data")).map((h) => h.name);
export const teleNames = (s: SandboxState) => s.hosts.filter((h) => h.roles.includes("telegraf")).map((h) => h.name);

/**
 * Meta and data nodes: those that serve a certificate. (Telegraf is not restarted by a rotation
 * from the same CA: its config — URLs, tls_ca — does not change.)
 */
const nodeHosts = (s: SandboxState) => s.hosts.filter((h) => h.roles.includes("meta") || h.roles.includes("data"));

/** The PID of every meta and data node's service (meta stand-in, influxd), by host name. */
export function servicePids(s: SandboxState): Record<string, number | undefined> {
    return Object.fromEntries(nodeHosts(s).map((h) => [h.name,
        h.roles.includes("meta") ? unitPid(h, "influxdb-meta") : h.roles.includes("data") ? influxdPid(h) : unitPid(h, "telegraf")]));
}

/** The certificate a node serves, verified against `ca` for its name (SAN); throws when it does not verify. */
export function servedCertificate(address: string, port: number, name: string, ca: string): Promise<string> {
    return new Promise((resolve, reject) => {
        const sock = tls.connect({ host: address, port, servername: name, ca, checkServerIdentity: (_h, cert) => tls.checkServerIdentity(name, cert) }, () => {
            const fp = sock.getPeerCertificate().fingerprint256;
            sock.end();
            resolve(fp);
        });
        sock.setTimeout(5000, () => sock.destroy(new Error(`${name} ${address}:${port}: TLS timeout`)));
        sock.on("error", (e) => reject(new Error(`${name} ${address}:${port}: ${e.message}`)));
    });
}

/** Every meta (:8091) and data (:8086) node's served certificate fingerprint, each verified against the CA. */
export async function servedFingerprints(s: SandboxState, ca: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const h of s.hosts) {
        if (h.roles.includes("meta")) out[h.name] = await servedCertificate(h.address, 8091, h.name, ca);
        if (h.roles.includes("data")) out[h.name] = await servedCertificate(h.address, 8086, h.name, ca);
    }
    return out;
}

/** The acceptance bound: never more than `maxUnavailable` data nodes or 1 meta node down at once. Prints the report. */
export function assertAvailability(phase: string, r: ProbeReport, maxUnavailable: number): void {
    console.log(`--- ${phase} ---\n${formatProbeReport(r)}`);
    assert.ok(r.maxDown.meta <= 1, `${phase}: ${r.maxDown.meta} meta nodes down at once\n${formatProbeReport(r)}`);
    assert.ok(r.maxDown.data <= maxUnavailable, `${phase}: ${r.maxDown.data} data nodes down at once (maxUnavailable ${maxUnavailable})\n${formatProbeReport(r)}`);
    assert.ok(r.nodes.every((n) => n.probes > 0 && n.lastProtocol !== undefined), `${phase}: a node never answered\n${formatProbeReport(r)}`);
}

const unitOf = (roles: readonly string[]) => (roles.includes("meta") ? "influxdb-meta" : roles.includes("data") ? "influxdb" : "telegraf");

/** How many times the systemctl shim has started each meta and data node's service (its "starting" lines), by host name. */
export function serviceStarts(s: SandboxState): Record<string, number> {
    return Object.fromEntries(nodeHosts(s).map((h) => {
        const unit = unitOf(h.roles);
        const f = path.join(hostLayout(h.dir).log, `${unit}.log`);
        const text = fs.existsSync(f) ? fs.readFileSync(f, "utf8") : "";
        return [h.name, text.split("\n").filter((l) => l.includes(`systemctl shim: starting ${unit}:`)).length];
    }));
}

/** Nodes not restarted exactly once between two snapshots: by the shim's start count, and by a new PID. */
export function notRestartedOnce(
    starts: [Record<string, number>, Record<string, number>], pids: [Record<string, number | undefined>, Record<string, number | undefined>],
): string[] {
    return Object.keys(starts[0]).filter((n) => starts[1][n]! - starts[0][n]! !== 1 || pids[0][n] === undefined || pids[0][n] === pids[1][n])
        .map((n) => `${n}: ${starts[1][n]! - starts[0][n]!} start(s), PID ${pids[0][n]} -> ${pids[1][n]}`);
}

/** The data batches of a rollout order ("4. data data1, data2" → ["data1", "data2"]), in the order `up` runs them. */
export function dataBatches(order: readonly string[]): string[][] {
    return order.map((s) => /^\d+\. data (.+)$/.exec(s)).filter((m): m is RegExpExecArray => m !== null).map((m) => m[1]!.split(", "));
}

/**
 * The prober's view of the batches: every data node's down intervals of one batch end before
 * any of the next batch's begin (`toleranceMs` for the prober's own granularity), a batch's nodes
 * went down together (see below), and how many nodes of each batch it saw down at the same instant. Batches in the order they ran (reverse
 * them for destroy). Nodes the prober never saw down are left out of the order check.
 */
export function batchView(r: ProbeReport, batches: readonly (readonly string[])[], parallel = true, toleranceMs = 100): { problems: string[]; together: number[] } {
    const intervals = (name: string) => r.nodes.find((n) => n.name === name && n.role === "data")?.downIntervals ?? [];
    const problems: string[] = [];
    for (let i = 0; i + 1 < batches.length; i++) {
        const ends = batches[i]!.flatMap((n) => intervals(n).map((d) => ({ n, at: d.to })));
        const starts = batches[i + 1]!.flatMap((n) => intervals(n).map((d) => ({ n, at: d.from })));
        const lastEnd = ends.reduce((a, e) => (e.at > a.at ? e : a), { n: "", at: -Infinity });
        const firstStart = starts.reduce((a, s) => (s.at < a.at ? s : a), { n: "", at: Infinity });
        if (lastEnd.at > firstStart.at + toleranceMs) {
            problems.push(`batch ${i + 1} (${batches[i]!.join(", ")}): ${lastEnd.n} down until ${lastEnd.at} ms, ` +
                `after batch ${i + 2}'s ${firstStart.n} went down at ${firstStart.at} ms`);
        }
    }
    // A batch's nodes restart in parallel: the first of them to go down and the last lie closer
    // together than half the time to the next batch (whose nodes waited for this batch's verify
    // and health gate). The prober cannot always see them down at the same instant: a restart
    // takes 50-600 ms here, and the two transactions reach their restarts up to a second apart.
    const firstDown = (b: readonly string[]) => b.map((n) => intervals(n)[0]?.from).filter((x): x is number => x !== undefined);
    for (let i = 0; parallel && i + 1 < batches.length; i++) {
        const here = firstDown(batches[i]!);
        const next = firstDown(batches[i + 1]!);
        if (here.length < 2 || next.length === 0) continue;
        const spread = Math.max(...here) - Math.min(...here);
        const gap = Math.min(...next) - Math.min(...here);
        if (spread >= gap / 2) {
            problems.push(`batch ${i + 1} (${batches[i]!.join(", ")}): its nodes went down ${spread} ms apart, ` +
                `not together (the next batch began ${gap} ms after it)`);
        }
    }
    const together = batches.map((b) => {
        const events = b.flatMap((n) => intervals(n).flatMap((d) => [{ at: d.from, d: 1 }, { at: d.to, d: -1 }])).sort((x, y) => x.at - y.at || x.d - y.d);
        let down = 0;
        let most = 0;
        for (const e of events) most = Math.max(most, (down += e.d));
        return most;
    });
    return { problems, together };
}

/** One line per node: its down intervals' lengths (ms), for the report. */
export function downTimes(r: ProbeReport): string {
    return r.nodes.map((n) => `${n.name} ${n.downIntervals.map((d) => d.to - d.from).join("+") || "0"}`).join(", ");
}

/**
 * assertAvailability, plus: the data batches went down in the order `order` names (bottom-up
 * when `reverse`, as destroy runs), each batch at most maxUnavailable nodes, a batch's nodes together
 * (unless `parallel` is false: the harness's destroy deletes one resource at a time). Prints each node's
 * down times and how many of each batch the prober saw down at once; returns that count per batch.
 */
export function assertRolloutView(phase: string, r: ProbeReport, maxUnavailable: number, order: readonly string[], reverse = false, parallel = true): number[] {
    assertAvailability(phase, r, maxUnavailable);
    const batches = dataBatches(order);
    assert.ok(batches.length > 0 && batches.every((b) => b.length <= maxUnavailable), `${phase}: data batches ${JSON.stringify(batches)}`);
    const ran = reverse ? [...batches].reverse() : batches;
    const view = batchView(r, ran, parallel);
    console.log(`${phase}: down times (ms) ${downTimes(r)}; data batches ${ran.map((b, i) => `[${b.join(", ")}] ${view.together[i]} down at once`).join(", ")}`);
    assert.deepEqual(view.problems, [], `${phase}: the data batches did not go down in order\n${formatProbeReport(r)}`);
    return view.together;
}
