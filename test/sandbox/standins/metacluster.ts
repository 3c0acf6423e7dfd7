/**
 * The cluster as one meta STAND-IN sees it: its meta peers and the data nodes (the sandbox's
 * topology, given on its command line), each marked reachable or not the way the real meta
 * node would reach it, with the TLS settings of its own config file:
 *   - meta peers over the meta API (`<peer>:8091`): HTTPS when its own `[meta] https-enabled`,
 *     else HTTP; verified like a Go client against the host's system roots, by SAN, unless
 *     `https-insecure-tls`. So a meta node on HTTPS cannot reach a peer still on HTTP (and the
 *     other way round), as on the real product: no port serves both.
 *   - data nodes over their cluster RPC port (`<data>:8088`), plain TCP: InfluxDB Enterprise
 *     1.6 has no meta→data TLS (`data-use-tls` is 1.7.3+, and the sandbox's data nodes are OSS
 *     influxd, whose 8088 has no TLS either). A data node is reachable while its influxd serves
 *     8088, whatever its `[http]` protocol.
 * Stand-in assumption (INTERFACES.md §B, not a product fact): a node it cannot reach is listed
 * with Version `unknown`.
 */
import * as net from "node:net";
import { goRequest, type ClientTls } from "./tlsclient";
import { splitHostPort } from "./metaconfig";

/** Version `influxd-ctl show` prints for a node the queried meta node cannot reach. */
export const UNKNOWN_VERSION = "unknown";
export const META_RAFT_PORT = 8089;
export const DATA_HTTP_PORT = 8086;

export interface DataNodeRow {
    readonly id: number;
    readonly tcpAddr: string;
    readonly httpAddr: string;
    readonly version: string;
    readonly labels: string;
    readonly passive: boolean;
}

export interface MetaNodeRow {
    readonly id: number;
    /** Raft address, host:8089. */
    readonly addr: string;
    readonly httpAddr: string;
    readonly version: string;
    readonly labels: string;
}

/** What GET /show returns and `influxd-ctl show` prints. */
export interface ShowData {
    readonly data: readonly DataNodeRow[];
    readonly meta: readonly MetaNodeRow[];
    readonly raft: { readonly leader: string; readonly peers: readonly string[] };
}

export interface ClusterView {
    /** Every meta node's HTTP address (host:8091), this one included, in ID order. */
    readonly metaNodes: readonly string[];
    /** Every data node's TCP address (host:8088), in ID order. */
    readonly dataNodes: readonly string[];
    /** This node's HTTP address, as listed in metaNodes (its `hostname` and port). */
    readonly self: string;
    readonly selfVersion: string;
    readonly dataVersion: string;
    /** This node's own `[meta]` TLS settings: how it talks to its peers. */
    readonly https: boolean;
    readonly insecureTls: boolean;
    readonly timeoutMs: number;
}

/** Whether GET /ping of a meta peer answers 204 with this node's TLS settings. */
export async function metaPeerReachable(httpAddr: string, view: Pick<ClusterView, "https" | "insecureTls" | "timeoutMs">): Promise<boolean> {
    const tls: ClientTls = { insecureSkipVerify: view.insecureTls };
    try {
        const res = await goRequest("GET", new URL(`${view.https ? "https" : "http"}://${httpAddr}/ping`), { tls, timeoutMs: view.timeoutMs });
        return res.status === 204;
    } catch {
        return false;
    }
}

/** Whether a TCP connection to a data node's cluster port opens. */
export function dataNodeReachable(tcpAddr: string, timeoutMs: number): Promise<boolean> {
    const { host, port } = splitHostPort(tcpAddr);
    return new Promise((resolve) => {
        const sock = net.connect({ host, port });
        const done = (ok: boolean) => {
            sock.destroy();
            resolve(ok);
        };
        sock.setTimeout(timeoutMs, () => done(false));
        sock.once("connect", () => done(true));
        sock.once("error", () => done(false));
    });
}

const hostOf = (addr: string) => splitHostPort(addr).host;

/** Probes every peer and data node (in parallel) and builds the `show` data. */
export async function clusterShow(view: ClusterView): Promise<ShowData> {
    const metaOk = await Promise.all(view.metaNodes.map((m) => (m === view.self ? Promise.resolve(true) : metaPeerReachable(m, view))));
    const dataOk = await Promise.all(view.dataNodes.map((d) => dataNodeReachable(d, view.timeoutMs)));
    const meta = view.metaNodes.map((m, i): MetaNodeRow => ({
        id: i + 1,
        addr: `${hostOf(m)}:${META_RAFT_PORT}`,
        httpAddr: m,
        version: metaOk[i] ? view.selfVersion : UNKNOWN_VERSION,
        labels: "{}",
    }));
    const data = view.dataNodes.map((d, i): DataNodeRow => ({
        id: view.metaNodes.length + i + 1,
        tcpAddr: d,
        httpAddr: `${hostOf(d)}:${DATA_HTTP_PORT}`,
        version: dataOk[i] ? view.dataVersion : UNKNOWN_VERSION,
        labels: "{}",
        passive: false,
    }));
    // No Raft here: the leader is the first meta node this one can reach (itself at worst).
    const leader = meta.find((_, i) => metaOk[i])?.addr ?? "";
    return { data, meta, raft: { leader, peers: meta.map((m) => m.addr).filter((a) => a !== leader) } };
}

/** Columns padded like Go's text/tabwriter (minwidth 0, padding 3): every cell but the last. */
function table(rows: readonly (readonly string[])[]): string[] {
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
    return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]! + 3))).join("").trimEnd());
}

/** `influxd-ctl show`'s output (docs.influxdata.com/enterprise_influxdb/v1/tools/influxd-ctl/show/). */
export function formatShow(show: ShowData): string {
    const lines = [
        "Data Nodes",
        "==========",
        ...table([["ID", "TCP Address", "HTTP Address", "Version", "Labels", "Passive"],
            ...show.data.map((d) => [String(d.id), d.tcpAddr, d.httpAddr, d.version, d.labels, String(d.passive)])]),
        "",
        "Meta Nodes",
        "==========",
        ...table([["ID", "Raft Address", "HTTP Address", "Version", "Labels"],
            ...show.meta.map((m) => [String(m.id), m.addr, m.httpAddr, m.version, m.labels])]),
        "",
        "Raft Status",
        "==========",
        `Leader  ${show.raft.leader}`,
        `Peers   [${show.raft.peers.map((p) => JSON.stringify(p)).join(", ")}]`,
    ];
    return `${lines.join("\n")}\n`;
}
