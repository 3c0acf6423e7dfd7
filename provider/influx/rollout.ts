import { META_NODE, DATA_NODE, type NodeTrust } from "./nodes";

/**
 * The rolling order of a whole cluster and the cluster-health gate of each step: pure data,
 * wired by ClusterTls into dependsOn chains and TomlSettings `service.healthGate`.
 *
 * No InfluxDB 1.x port serves HTTP and HTTPS at once, so while the cluster switches protocol
 * (first `up`, `destroy`) nodes on different protocols cannot reach each other; during a
 * rotation (HTTPS before and after) they can. Hence: meta nodes one at a time, then data nodes
 * in batches of `maxUnavailable`, then Telegraf hosts; destroy is the reverse (Pulumi deletes
 * dependents first). Each step's gate runs `influxd-ctl show` against a meta node and needs the
 * expected nodes listed as reachable; it runs only when the step does not switch protocol,
 * except the last meta step (once the whole meta tier has switched: the meta nodes) and the
 * last data batch (once every data node has switched: every node), which always run.
 */

/** A tier of the cluster, switched in this order. */
export type Tier = "meta" | "data" | "telegraf";

/** One step of a cluster's rollout: the nodes switched (restarted) together. */
export interface RolloutStep {
    /** 1-based, in the order `up` runs them. */
    step: number;
    /** Which tier the step's nodes are in. */
    tier: Tier;
    /** Node names (ClusterTls entries' `name`), changed together. */
    nodes: string[];
}

export const DEFAULT_MAX_UNAVAILABLE = 1;
export const DEFAULT_HEALTH_TIMEOUT_SECONDS = 600;

/** Meta nodes one per step, data nodes `maxUnavailable` per step, then one step with every Telegraf host. */
export function rolloutSteps(meta: readonly string[], data: readonly string[], telegraf: readonly string[], maxUnavailable: number): RolloutStep[] {
    const steps: RolloutStep[] = [];
    const add = (tier: Tier, nodes: string[]) => steps.push({ step: steps.length + 1, tier, nodes });
    meta.forEach((m) => add("meta", [m]));
    for (let i = 0; i < data.length; i += maxUnavailable) {
        add("data", data.slice(i, i + maxUnavailable));
    }
    if (telegraf.length > 0) {
        add("telegraf", [...telegraf]);
    }
    return steps;
}

/** One line per step, as the `rolloutOrder` output shows it (destroy runs them bottom-up). */
export function describeSteps(steps: readonly RolloutStep[]): string[] {
    return steps.map((s) => `${s.step}. ${s.tier} ${s.nodes.join(", ")}`);
}

export function rolloutProblems(label: string, r: { maxUnavailable?: unknown; healthTimeoutSeconds?: unknown } | undefined, dataCount: number): string[] {
    const problems: string[] = [];
    const m = r?.maxUnavailable;
    if (m !== undefined && !(Number.isInteger(m) && (m as number) >= 1)) {
        problems.push(`${label}: rollout.maxUnavailable must be a whole number ≥ 1`);
    } else if (m !== undefined && dataCount > 0 && (m as number) > dataCount) {
        problems.push(`${label}: rollout.maxUnavailable (${m}) is more than the ${dataCount} data node(s)`);
    }
    const t = r?.healthTimeoutSeconds;
    if (t !== undefined && !(typeof t === "number" && t > 0 && t <= 86400)) {
        problems.push(`${label}: rollout.healthTimeoutSeconds must be a number of seconds between 0 and 86400`);
    }
    return problems;
}

/** The keys whose change means the node switches protocol towards a peer (the gate is skipped then). */
export const PROTOCOL_KEYS = {
    meta: [{ table: "meta", key: "https-enabled" }, { table: "meta", key: "data-use-tls" }],
    data: [{ table: "http", key: "https-enabled" }, { table: "meta", key: "meta-tls-enabled" }, { table: "cluster", key: "https-enabled" }],
} as const;

/** What the gate of one meta or data node runs and expects (INTERFACES.md §A HealthGateArgs, without the connection). */
export interface GatePlan {
    command: string[];
    expectNodes: string[];
    when: "always" | "protocolUnchanged";
    protocolKeys: { table: string; key: string }[];
    timeoutSeconds: number;
}

/** `influxd-ctl -bind <meta>:8091 -bind-tls [-k] show`, trusting the CA file when one is known. */
export function clusterShowCommand(metaHost: string, trust: NodeTrust): string[] {
    // META_NODE.verify is exactly this command: the node's own HTTPS check is `show` too.
    return META_NODE.verify(metaHost, trust);
}

export function metaAddress(host: string): string {
    return `${host}:${META_NODE.httpPort}`;
}

export function dataAddress(host: string): string {
    return `${host}:${DATA_NODE.httpPort}`;
}

/**
 * The gate of each meta and data node, in rollout order. `metaHosts`: the names influxd-ctl
 * binds to (clients' names); `metaListed`/`dataListed`: the names `influxd-ctl show` lists the
 * nodes under (their `hostname` in the cluster); `metaTrust[i]`: how a command on meta node i
 * trusts the meta certificates.
 * Meta node i runs `show` against itself; data nodes against the first meta node (influxd-ctl
 * ships with the meta nodes only, so a data node's gate runs on that meta host).
 */
export function gatePlans(o: {
    metaHosts: readonly string[]; metaListed: readonly string[]; dataListed: readonly string[]; steps: readonly RolloutStep[];
    dataNames: readonly string[]; metaTrust: readonly NodeTrust[]; timeoutSeconds: number;
}): { meta: GatePlan[]; data: GatePlan[] } {
    const metaAddrs = o.metaListed.map(metaAddress);
    const all = [...metaAddrs, ...o.dataListed.map(dataAddress)];
    const lastMeta = o.metaHosts.length - 1;
    const dataSteps = o.steps.filter((s) => s.tier === "data");
    const lastBatch = new Set(dataSteps.length > 0 ? dataSteps[dataSteps.length - 1].nodes : []);
    const meta = o.metaHosts.map((h, i): GatePlan => ({
        command: clusterShowCommand(h, o.metaTrust[i]),
        // The last meta node's gate runs on a switch too, when the data nodes are still on the
        // other protocol: then only the meta tier can be expected.
        expectNodes: i === lastMeta ? [...metaAddrs] : [...all],
        when: i === lastMeta ? "always" : "protocolUnchanged",
        protocolKeys: PROTOCOL_KEYS.meta.map((k) => ({ ...k })),
        timeoutSeconds: o.timeoutSeconds,
    }));
    const data = o.dataListed.map((_, i): GatePlan => ({
        command: clusterShowCommand(o.metaHosts[0], o.metaTrust[0]),
        expectNodes: [...all],
        when: lastBatch.has(o.dataNames[i]) ? "always" : "protocolUnchanged",
        protocolKeys: PROTOCOL_KEYS.data.map((k) => ({ ...k })),
        timeoutSeconds: o.timeoutSeconds,
    }));
    return { meta, data };
}
