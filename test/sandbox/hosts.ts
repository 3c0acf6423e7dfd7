/**
 * Which stand-in hosts the sandbox can start. Each host is a loopback address
 * (127.0.0.0/8 only: this workplace allows no other traffic) plus the roles that
 * decide which services run there.
 */

/**
 * `data` runs a real influxd; `meta` runs the influxdb-meta stand-in and gets influxd-ctl;
 * `telegraf` runs the real Telegraf 1.37.2 (built by scripts/build-telegraf.sh).
 */
export type HostRole = "data" | "meta" | "telegraf";

/**
 * Which real influxd a data host runs: Debian's 1.6.7 package (the machine's /usr/bin/influxd)
 * or upstream 1.13.2 built from the Go module proxy (scripts/build-influxd.sh).
 */
export const INFLUXD_VERSIONS = ["1.6.7", "1.13.2"] as const;
export type InfluxdVersion = typeof INFLUXD_VERSIONS[number];
export const DEFAULT_INFLUXD: InfluxdVersion = "1.6.7";

export interface HostSpec {
    /** Host name used in state.json, on the CLI and as the host's directory name. */
    readonly name: string;
    /** A 127.x.y.z address; sshd listens on port 22 of it, influxd on 8086/8088, the meta stand-in on 8091. */
    readonly address: string;
    readonly roles: readonly HostRole[];
    /** Data hosts: the influxd they run. Defaults to DEFAULT_INFLUXD. */
    readonly influxd?: InfluxdVersion;
}

/**
 * The third octet of every default host's address: `$PITLS_SANDBOX_NET` (1-254), else 10.
 * A second checkout (a git worktree) sets its own so two sandboxes can run side by side.
 */
export function sandboxNet(): number {
    const raw = process.env.PITLS_SANDBOX_NET;
    if (raw === undefined || raw === "") return 10;
    const n = Number(raw);
    if (!/^\d{1,3}$/.test(raw) || n < 1 || n > 254) {
        throw new Error(`sandbox: PITLS_SANDBOX_NET must be a number 1-254, got ${JSON.stringify(raw)}`);
    }
    return n;
}

/**
 * The third octet of side sandboxes (tests that bring up hosts of their own next to the shared
 * ones): $PITLS_SANDBOX_SIDE_NET, else $PITLS_SANDBOX_NET + 10. Set it when another checkout's
 * sandbox already uses NET + 10 on this machine.
 */
export function sideSandboxNet(): number {
    const raw = process.env.PITLS_SANDBOX_SIDE_NET;
    if (raw === undefined || raw === "") return sandboxNet() + 10;
    const n = Number(raw);
    if (!/^\d{1,3}$/.test(raw) || n < 1 || n > 254) {
        throw new Error(`sandbox: PITLS_SANDBOX_SIDE_NET must be a number 1-254, got ${JSON.stringify(raw)}`);
    }
    return n;
}

const NET = sandboxNet();

/** How many hosts of each role `up` starts (`--meta M --data N --telegraf T`). */
export interface Topology {
    readonly meta: number;
    readonly data: number;
    readonly telegraf: number;
}

/** What the tests are written for: data1, data2, meta1, tele1. */
export const DEFAULT_TOPOLOGY: Topology = { meta: 1, data: 2, telegraf: 1 };
/** Upper bounds of the address scheme below (each role keeps its own block of the last octet). */
export const TOPOLOGY_LIMITS: Topology = { meta: 9, data: 99, telegraf: 9 };

/**
 * The last octet of a host's address, by role and number (README "Addresses"):
 *   data1-data10 → .1-.10; meta1-meta9 → .11-.19; tele1-tele9 → .21-.29;
 *   data11-data99 → .111-.199 (100 + n, so data16 is .116).
 * The first three rows are today's default addresses (data1 .1, data2 .2, meta1 .11,
 * tele1 .21), which tests hard-code; the blocks never overlap, so a host keeps its address
 * whatever the topology.
 */
export function hostOctet(role: "data" | "meta" | "tele", n: number): number {
    const max = role === "data" ? TOPOLOGY_LIMITS.data : role === "meta" ? TOPOLOGY_LIMITS.meta : TOPOLOGY_LIMITS.telegraf;
    if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`sandbox: ${role}${n}: number must be 1-${max}`);
    if (role === "meta") return 10 + n;
    if (role === "tele") return 20 + n;
    return n <= 10 ? n : 100 + n;
}

const ROLE_OF = { data: "data", meta: "meta", tele: "telegraf" } as const;

/** The spec of a topology host by name (data<n>, meta<n>, tele<n>). */
export function topologyHost(name: string, net: number = NET): HostSpec {
    const m = /^(data|meta|tele)([1-9]\d?)$/.exec(name);
    if (!m) throw new Error(`sandbox: unknown host ${name}; known: data1-data${TOPOLOGY_LIMITS.data}, meta1-meta${TOPOLOGY_LIMITS.meta}, tele1-tele${TOPOLOGY_LIMITS.telegraf}`);
    const role = m[1] as keyof typeof ROLE_OF;
    const n = Number(m[2]);
    return {
        name, address: `127.0.${net}.${hostOctet(role, n)}`, roles: [ROLE_OF[role]],
        // Both influxd versions in every topology: odd data hosts 1.6.7, even ones 1.13.2 (data1 / data2 by default).
        ...(role === "data" ? { influxd: n % 2 === 0 ? "1.13.2" as const : "1.6.7" as const } : {}),
    };
}

/** Every host of a topology: data1..N, meta1..M, tele1..T, in that order. */
export function topologyHosts(t: Topology, net: number = NET): HostSpec[] {
    for (const k of ["meta", "data", "telegraf"] as const) {
        if (!Number.isInteger(t[k]) || t[k] < 0 || t[k] > TOPOLOGY_LIMITS[k]) {
            throw new Error(`sandbox: --${k} must be 0-${TOPOLOGY_LIMITS[k]}, got ${String(t[k])}`);
        }
    }
    const range = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => topologyHost(`${prefix}${i + 1}`, net));
    const hosts = [...range(t.data, "data"), ...range(t.meta, "meta"), ...range(t.telegraf, "tele")];
    if (hosts.length === 0) throw new Error("sandbox: a topology with no hosts");
    return hosts;
}

/** Hosts started by `up` when no `--hosts` is given: data1 .1 (influxd 1.6.7), data2 .2 (1.13.2), meta1 .11, tele1 .21. */
export const DEFAULT_HOSTS: readonly HostSpec[] = topologyHosts(DEFAULT_TOPOLOGY);

const LOOPBACK = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const NAME = /^[a-z][a-z0-9-]{0,30}$/;

/** Throws unless every host has a safe name and a distinct loopback address. */
export function validateHosts(hosts: readonly HostSpec[]): void {
    if (hosts.length === 0) throw new Error("sandbox: no hosts given");
    const seen = new Set<string>();
    for (const h of hosts) {
        if (!NAME.test(h.name)) throw new Error(`sandbox: bad host name ${JSON.stringify(h.name)}`);
        const m = LOOPBACK.exec(h.address);
        if (!m || m.slice(1).some((o) => Number(o) > 255)) {
            // Never anything but loopback: the sandbox must not touch a real network.
            throw new Error(`sandbox: host ${h.name}: ${h.address} is not a 127.x.y.z address`);
        }
        for (const key of [h.name, h.address]) {
            if (seen.has(key)) throw new Error(`sandbox: duplicate host name or address ${key}`);
            seen.add(key);
        }
    }
}

/** Picks topology hosts by name, e.g. from `--hosts data1,meta1` (any data<n>/meta<n>/tele<n>). */
export function selectHosts(names: readonly string[]): HostSpec[] {
    return names.map((n) => topologyHost(n));
}

/** The influxd a host runs (data hosts; undefined for others). */
export function influxdOf(h: Pick<HostSpec, "roles" | "influxd">): InfluxdVersion | undefined {
    return h.roles.includes("data") ? h.influxd ?? DEFAULT_INFLUXD : undefined;
}

/**
 * Applies `--influxd V` (every data host) or `--influxd data1=V,data2=V` (per host) to `hosts`.
 */
export function withInfluxd(hosts: readonly HostSpec[], option: string): HostSpec[] {
    const known = (v: string): InfluxdVersion => {
        if (!(INFLUXD_VERSIONS as readonly string[]).includes(v)) {
            throw new Error(`sandbox: --influxd: unknown version ${JSON.stringify(v)}; known: ${INFLUXD_VERSIONS.join(", ")}`);
        }
        return v as InfluxdVersion;
    };
    if (!option.includes("=")) {
        const v = known(option);
        return hosts.map((h) => (h.roles.includes("data") ? { ...h, influxd: v } : h));
    }
    const per = new Map<string, InfluxdVersion>();
    for (const pair of option.split(",")) {
        const [name = "", v = ""] = pair.split("=");
        const h = hosts.find((x) => x.name === name);
        if (!h || !h.roles.includes("data")) throw new Error(`sandbox: --influxd: ${JSON.stringify(name)} is not a data host of this sandbox`);
        per.set(name, known(v));
    }
    return hosts.map((h) => (per.has(h.name) ? { ...h, influxd: per.get(h.name)! } : h));
}
