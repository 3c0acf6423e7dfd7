/**
 * Availability prober for rollout tests (issue 10's acceptance): polls every meta and data
 * node's `/ping` every `intervalMs` (default 50) on either protocol while a rollout, rotation or
 * destroy runs, and reports how long each node was down and how many nodes of a role were down
 * at the same instant. A node is up when GET /ping answers 204 over HTTP or over HTTPS (no port
 * serves both, so a node switching protocol is up on the one it serves; certificates are not
 * checked here — this measures availability, verification is the components' job). Each probe
 * tries the protocol that answered last, then the other.
 *
 *   const p = startProber(loadSandbox());
 *   await rollout();
 *   const r = await p.stop();
 *   assert.ok(r.maxDown.data <= maxUnavailable && r.maxDown.meta <= 1, formatProbeReport(r));
 */
import * as http from "node:http";
import * as https from "node:https";
import type { SandboxState } from "./state";

export interface ProbeTarget {
    readonly name: string;
    readonly role: "meta" | "data";
    readonly address: string;
    readonly port: number;
}

export interface DownInterval {
    /** ms since the prober started: the first failed probe's start... */
    readonly from: number;
    /** ...and the next successful probe's start (or the stop time if it never came back). */
    readonly to: number;
}

export interface NodeProbe extends ProbeTarget {
    readonly probes: number;
    readonly downIntervals: readonly DownInterval[];
    readonly downMs: number;
    /** Protocol of the last successful probe. */
    readonly lastProtocol?: "http" | "https";
}

export interface ProbeReport {
    readonly durationMs: number;
    readonly intervalMs: number;
    readonly nodes: readonly NodeProbe[];
    /** Most nodes of each role down at one instant. */
    readonly maxDown: { readonly meta: number; readonly data: number };
    /** When maxDown.<role> was reached first, and which nodes were down then. */
    readonly worst: { readonly meta: { at: number; nodes: string[] }; readonly data: { at: number; nodes: string[] } };
    /**
     * Mixed-protocol window of each role: how long (ms, summed) some of its nodes last answered on
     * HTTP while others last answered on HTTPS — during a protocol switch, the time peers on
     * different protocols cannot reach each other. From the first to the last such instant too.
     */
    readonly mixedProtocol: { readonly meta: MixedWindow; readonly data: MixedWindow };
}

export interface MixedWindow {
    readonly ms: number;
    readonly from?: number;
    readonly to?: number;
}

export interface Prober {
    /** Stops polling (after in-flight probes finish) and computes the report. */
    stop(): Promise<ProbeReport>;
}

/** Meta nodes on :8091, data nodes on :8086, from the sandbox's state. */
export function probeTargets(state: SandboxState): ProbeTarget[] {
    return state.hosts.flatMap((h): ProbeTarget[] => [
        ...(h.roles.includes("meta") ? [{ name: h.name, role: "meta" as const, address: h.address, port: 8091 }] : []),
        ...(h.roles.includes("data") ? [{ name: h.name, role: "data" as const, address: h.address, port: 8086 }] : []),
    ]);
}

/** One GET /ping; the status, or undefined on any connection or TLS failure or timeout. */
function ping(t: ProbeTarget, protocol: "http" | "https", timeoutMs: number): Promise<number | undefined> {
    return new Promise((resolve) => {
        const opts = { host: t.address, port: t.port, path: "/ping", agent: false as const, timeout: timeoutMs };
        const req = protocol === "https"
            ? https.get({ ...opts, rejectUnauthorized: false }, onRes)
            : http.get(opts, onRes);
        function onRes(res: http.IncomingMessage) {
            res.resume();
            resolve(res.statusCode);
        }
        req.on("timeout", () => req.destroy(new Error("timeout")));
        req.on("error", () => resolve(undefined));
    });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function startProber(source: SandboxState | readonly ProbeTarget[], opts: { intervalMs?: number; timeoutMs?: number } = {}): Prober {
    const targets = Array.isArray(source) ? (source as readonly ProbeTarget[]) : probeTargets(source as SandboxState);
    const intervalMs = opts.intervalMs ?? 50;
    const timeoutMs = opts.timeoutMs ?? 1000;
    const t0 = Date.now();
    let running = true;
    const samples = targets.map(() => [] as Sample[]);
    const last: ("http" | "https" | undefined)[] = targets.map(() => undefined);

    const loops = targets.map(async (t, i) => {
        let next = Date.now();
        while (running) {
            const at = Date.now() - t0;
            const first = last[i] ?? "http";
            const other = first === "http" ? "https" : "http";
            let up = false;
            let protocol: "http" | "https" | undefined;
            for (const p of [first, other] as const) {
                if ((await ping(t, p, timeoutMs)) === 204) {
                    last[i] = p;
                    protocol = p;
                    up = true;
                    break;
                }
            }
            samples[i]!.push({ at, up, protocol });
            next += intervalMs;
            const wait = next - Date.now();
            if (wait > 0) await sleep(wait);
            else next = Date.now(); // a slow probe: start the next one now, do not burst to catch up
        }
    });

    return {
        async stop() {
            running = false;
            await Promise.all(loops);
            return probeReport(targets, samples, last, Date.now() - t0, intervalMs);
        },
    };
}

interface Sample {
    at: number;
    up: boolean;
    /** The protocol that answered (undefined when down, or in samples made without it). */
    protocol?: "http" | "https";
}

/** Pure: summed time during which the role's nodes' last answering protocols differ. */
export function mixedWindow(targets: readonly ProbeTarget[], samples: readonly (readonly Sample[])[], role: "meta" | "data"): MixedWindow {
    const idx = targets.map((t, i) => (t.role === role ? i : -1)).filter((i) => i >= 0);
    const events = idx.flatMap((i) => samples[i]!.filter((s) => s.protocol !== undefined).map((s) => ({ at: s.at, i, p: s.protocol! })))
        .sort((a, b) => a.at - b.at);
    const lastP = new Map<number, "http" | "https">();
    let ms = 0;
    let from: number | undefined;
    let to: number | undefined;
    let since: number | undefined;
    for (const e of events) {
        lastP.set(e.i, e.p);
        const mixed = new Set(lastP.values()).size > 1;
        if (mixed && since === undefined) {
            since = e.at;
            from ??= e.at;
        } else if (!mixed && since !== undefined) {
            ms += e.at - since;
            to = e.at;
            since = undefined;
        }
    }
    if (since !== undefined && events.length > 0) {
        ms += events[events.length - 1]!.at - since;
        to = events[events.length - 1]!.at;
    }
    return { ms, from, to };
}

/** Pure: from per-node samples (in time order) to down intervals and the worst instants. */
export function probeReport(
    targets: readonly ProbeTarget[],
    samples: readonly (readonly Sample[])[],
    last: readonly ("http" | "https" | undefined)[],
    durationMs: number,
    intervalMs: number,
): ProbeReport {
    const nodes = targets.map((t, i): NodeProbe => {
        const downIntervals: DownInterval[] = [];
        let from: number | undefined;
        for (const s of samples[i]!) {
            if (!s.up && from === undefined) from = s.at;
            if (s.up && from !== undefined) {
                downIntervals.push({ from, to: s.at });
                from = undefined;
            }
        }
        if (from !== undefined) downIntervals.push({ from, to: durationMs });
        return { ...t, probes: samples[i]!.length, downIntervals, downMs: downIntervals.reduce((a, d) => a + d.to - d.from, 0), lastProtocol: last[i] };
    });
    const worstOf = (role: "meta" | "data") => {
        // Sweep: +1 at each interval's start, -1 at its end (ends before starts at the same instant).
        const events = nodes.filter((n) => n.role === role)
            .flatMap((n) => n.downIntervals.flatMap((d) => [{ at: d.from, d: 1, n: n.name }, { at: d.to, d: -1, n: n.name }]))
            .sort((a, b) => a.at - b.at || a.d - b.d);
        let down = 0;
        const current = new Set<string>();
        let worst = { count: 0, at: 0, nodes: [] as string[] };
        for (const e of events) {
            down += e.d;
            if (e.d > 0) current.add(e.n);
            else current.delete(e.n);
            if (down > worst.count) worst = { count: down, at: e.at, nodes: [...current].sort() };
        }
        return worst;
    };
    const meta = worstOf("meta");
    const data = worstOf("data");
    return {
        durationMs,
        intervalMs,
        nodes,
        maxDown: { meta: meta.count, data: data.count },
        worst: { meta: { at: meta.at, nodes: meta.nodes }, data: { at: data.at, nodes: data.nodes } },
        mixedProtocol: { meta: mixedWindow(targets, samples, "meta"), data: mixedWindow(targets, samples, "data") },
    };
}

/** A few lines for a test's failure message or a report: per node, its down intervals and total. */
export function formatProbeReport(r: ProbeReport): string {
    const lines = [`prober: ${r.nodes.length} nodes every ${r.intervalMs} ms for ${(r.durationMs / 1000).toFixed(1)} s; ` +
        `most down at once: meta ${r.maxDown.meta} (${r.worst.meta.nodes.join(", ") || "-"} at ${r.worst.meta.at} ms), ` +
        `data ${r.maxDown.data} (${r.worst.data.nodes.join(", ") || "-"} at ${r.worst.data.at} ms); ` +
        `mixed-protocol window: meta ${mixedText(r.mixedProtocol.meta)}, data ${mixedText(r.mixedProtocol.data)}`];
    for (const n of r.nodes) {
        const iv = n.downIntervals.map((d) => `${d.from}-${d.to}`).join(" ");
        lines.push(`  ${n.name.padEnd(7)} ${n.role} ${String(n.probes).padStart(5)} probes, down ${n.downMs} ms${iv ? ` (${iv})` : ""}, now ${n.lastProtocol ?? "never up"}`);
    }
    return lines.join("\n");
}

function mixedText(w: MixedWindow): string {
    return w.ms === 0 ? "none" : `${w.ms} ms (${w.from}-${w.to})`;
}
