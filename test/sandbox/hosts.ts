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

const NET = sandboxNet();

/** Hosts started by `up` when no `--hosts` is given; data1 and data2 run both influxd versions, so every run tests both. */
export const DEFAULT_HOSTS: readonly HostSpec[] = [
    { name: "data1", address: `127.0.${NET}.1`, roles: ["data"], influxd: "1.6.7" },
    { name: "data2", address: `127.0.${NET}.2`, roles: ["data"], influxd: "1.13.2" },
    { name: "meta1", address: `127.0.${NET}.11`, roles: ["meta"] },
    { name: "tele1", address: `127.0.${NET}.21`, roles: ["telegraf"] },
];

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

/** Picks hosts from DEFAULT_HOSTS by name, e.g. from `--hosts data1,meta1`. */
export function selectHosts(names: readonly string[]): HostSpec[] {
    return names.map((n) => {
        const h = DEFAULT_HOSTS.find((d) => d.name === n);
        if (!h) throw new Error(`sandbox: unknown host ${n}; known: ${DEFAULT_HOSTS.map((d) => d.name).join(", ")}`);
        return h;
    });
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
