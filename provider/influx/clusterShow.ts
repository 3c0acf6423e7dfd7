/**
 * What `influxd-ctl show` prints, read for the cluster-health gate. Pure functions, no I/O.
 *
 * The format (docs.influxdata.com/enterprise_influxdb/v1/tools/influxd-ctl/show/): sections
 * "Data Nodes" and "Meta Nodes", each a title, a line of `=`, a header row and one row per node,
 * columns separated by tabs or runs of spaces; then "Raft Status". A node the queried meta node
 * cannot reach is listed with Version `unknown` (the stand-in's rule, test/sandbox/README.md,
 * and what the product prints for a node that does not answer). Older releases (1.6) print no
 * "HTTP Address" column: their meta rows give the HTTP address as "TCP Address", which is used
 * when there is no "HTTP Address" column. influxd-ctl exits 0 even when nodes are unreachable.
 */

export type ShowRole = "data" | "meta";

export interface ShowNode {
    role: ShowRole;
    /** The HTTP address ("host:port"): the "HTTP Address" column, else "TCP Address". */
    address: string;
    /** As printed; `unknown` (or empty) when the queried meta node could not reach it. */
    version: string;
}

export interface ClusterShow {
    nodes: ShowNode[];
    /** Whether a "Data Nodes" or "Meta Nodes" section with a header row was found at all. */
    recognised: boolean;
}

const SECTIONS: Record<string, ShowRole> = { "data nodes": "data", "meta nodes": "meta" };
/** Columns are separated by tabs or by two or more spaces ("TCP Address" is one column). */
const COLUMN_SEPARATOR = /\t+| {2,}/;

function cells(line: string): string[] {
    return line.trim().split(COLUMN_SEPARATOR).map((c) => c.trim());
}

/** Where each column of a space-aligned header starts (Go's tabwriter pads with spaces). */
function columnStarts(header: string): number[] | undefined {
    if (header.includes("\t")) {
        return undefined;
    }
    const starts: number[] = [];
    for (const m of header.matchAll(/\S+(?: \S+)*/g)) {
        starts.push(m.index!);
    }
    return starts;
}

/**
 * A row's cells: cut at the header's column starts when the row is aligned with it (so an
 * empty cell stays empty, where splitting would shift the columns); split otherwise.
 */
function rowCells(row: string, starts: number[] | undefined): string[] {
    const aligned = starts !== undefined && starts.every((at) => at === 0 || (row[at - 1] === " " && at <= row.length));
    if (!aligned) {
        return cells(row);
    }
    return starts!.map((at, i) => row.slice(at, starts![i + 1] ?? row.length).trim());
}

/** Reads the node rows of `influxd-ctl show` output; anything else (Raft Status, blank lines) is skipped. */
export function parseClusterShow(output: string): ClusterShow {
    const nodes: ShowNode[] = [];
    let recognised = false;
    let role: ShowRole | undefined;
    let header: string[] | undefined;
    let starts: number[] | undefined;
    for (const raw of output.split(/\r?\n/)) {
        const line = raw.trim();
        const lower = line.toLowerCase();
        if (line === "") {
            continue;
        }
        if (/^=+$/.test(line)) {
            continue;
        }
        if (lower in SECTIONS) {
            role = SECTIONS[lower];
            header = undefined;
            continue;
        }
        if (role === undefined) {
            continue;
        }
        if (header === undefined) {
            const h = cells(line).map((c) => c.toLowerCase());
            if (!h.includes("version") || !(h.includes("http address") || h.includes("tcp address"))) {
                // Not a node table after all (e.g. the "Raft Status" section's lines).
                role = undefined;
                continue;
            }
            header = h;
            starts = columnStarts(raw.trimEnd());
            recognised = true;
            continue;
        }
        const row = rowCells(raw.trimEnd(), starts);
        const at = (name: string) => {
            const i = header!.indexOf(name);
            return i >= 0 ? row[i] ?? "" : undefined;
        };
        const address = at("http address") ?? at("tcp address") ?? "";
        if (address === "") {
            continue;
        }
        nodes.push({ role, address, version: at("version") ?? "" });
    }
    return { nodes, recognised };
}

/** Why an expected node does not count as reachable. */
export interface UnreachableNode {
    address: string;
    /** "unknown": listed with Version `unknown` (or none); "not listed": not in the output at all. */
    why: "unknown" | "not listed";
}

/** Whether a listed node is reachable: a Version other than `unknown` or empty. */
export function isReachable(node: ShowNode): boolean {
    const v = node.version.trim().toLowerCase();
    return v !== "" && v !== "unknown";
}

/** Host names compare case-insensitively; the port must match exactly. */
function sameAddress(a: string, b: string): boolean {
    return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * The expected HTTP addresses ("host:port") that `show` does not list as reachable, in the
 * order given. A node listed twice (as meta and data on one host: different ports, so this
 * only happens with a repeated row) counts as reachable when any of its rows is.
 */
export function unreachableNodes(show: ClusterShow, expected: readonly string[]): UnreachableNode[] {
    const out: UnreachableNode[] = [];
    for (const address of expected) {
        const rows = show.nodes.filter((n) => sameAddress(n.address, address));
        if (rows.length === 0) {
            out.push({ address, why: "not listed" });
        } else if (!rows.some(isReachable)) {
            out.push({ address, why: "unknown" });
        }
    }
    return out;
}

/** "data2:8086 (Version unknown), meta3:8091 (not listed)". */
export function describeUnreachable(nodes: readonly UnreachableNode[]): string {
    return nodes.map((n) => `${n.address} (${n.why === "unknown" ? "Version unknown" : "not listed"})`).join(", ");
}
