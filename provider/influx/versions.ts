import type { TomlEdit } from "../toml/types";
import type { ConfigRole } from "./errata";

/**
 * Which TLS keys an InfluxDB Enterprise 1.x release reads, by role and section, and the
 * release that introduced each (pure data: ClusterTls and the node components check edits
 * against it before anything runs). Sources (InfluxData docs-v2 unless named):
 *  - guide: "Enable HTTPS" (enterprise_influxdb/v1/administration/configure/security/enable_tls),
 *    config-meta-nodes.md, config-data-nodes.md: [meta] https-* on meta nodes, [http] https-* and
 *    [meta] meta-tls-enabled / meta-insecure-tls on data nodes — every 1.x release.
 *  - release notes 1.7.3 ("TLS between data nodes", meta `data-use-tls` / `data-insecure-tls`;
 *    fixes through 1.8.6): data [cluster] https-enabled / https-certificate / https-private-key /
 *    https-insecure-tls.
 *  - release notes 1.6.0 and influxdata/influxdb etc/config.sample.toml: [tls] ciphers, min-version, max-version.
 *  - release notes 1.12.3: https-insecure-certificate ([http], [cluster], meta [meta]) and [tls] advanced-expiration.
 * Keys this table does not name (e.g. [data] dir, [meta] shared-secret) are not TLS keys and are
 * not judged; a key it names is refused on a release older than its `since`. [tls] holds only
 * the keys named here, so any other key there is refused too.
 */

/** An Enterprise release as [major, minor, patch]. */
export type Version = readonly [number, number, number];

export interface KeySince {
    role: Exclude<ConfigRole, "telegraf">;
    table: string;
    key: string;
    since: string;
    source: string;
}

const GUIDE = "HTTPS setup guide / config-*-nodes.md";
const R173 = "release notes 1.7.3 (TLS between data nodes)";
const R160 = "release notes 1.6.0, config.sample.toml [tls]";
const R1123 = "release notes 1.12.3";

function rows(role: KeySince["role"], table: string, keys: string[], since: string, source: string): KeySince[] {
    return keys.map((key) => ({ role, table, key, since, source }));
}

export const TLS_KEYS: readonly KeySince[] = [
    ...rows("meta", "meta", ["https-enabled", "https-certificate", "https-private-key", "https-insecure-tls"], "1.0.0", GUIDE),
    ...rows("meta", "meta", ["data-use-tls", "data-insecure-tls"], "1.7.3", R173),
    ...rows("meta", "meta", ["https-insecure-certificate"], "1.12.3", R1123),
    ...rows("data", "http", ["https-enabled", "https-certificate", "https-private-key"], "1.0.0", GUIDE),
    ...rows("data", "http", ["https-insecure-certificate"], "1.12.3", R1123),
    ...rows("data", "meta", ["meta-tls-enabled", "meta-insecure-tls"], "1.0.0", GUIDE),
    ...rows("data", "cluster", ["https-enabled", "https-certificate", "https-private-key", "https-insecure-tls"], "1.7.3", R173),
    ...rows("data", "cluster", ["https-insecure-certificate"], "1.12.3", R1123),
    ...(["meta", "data"] as const).flatMap((role) => [
        ...rows(role, "tls", ["ciphers", "min-version", "max-version"], "1.6.0", R160),
        ...rows(role, "tls", ["advanced-expiration"], "1.12.3", R1123),
    ]),
];

/** Internode TLS (data [cluster] https-*, meta data-use-tls): since 1.7.3. */
export const INTERNODE_TLS_SINCE = "1.7.3";
/** [tls] profiles: since 1.6.0. */
export const TLS_PROFILE_SINCE = "1.6.0";

/** Parses "1.11.8" (an optional leading "v", an optional "-c…"/"+…" suffix); undefined when it is not a 1.x release. */
export function parseVersion(v: string): Version | undefined {
    const m = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.-]+)?$/.exec(typeof v === "string" ? v.trim() : "");
    if (!m || m[1] !== "1") {
        return undefined;
    }
    return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** a < b → negative, equal → 0, a > b → positive. */
export function compareVersions(a: Version, b: Version): number {
    return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

export function atLeast(v: Version, since: string): boolean {
    return compareVersions(v, parseVersion(since)!) >= 0;
}

/** Problems with `version` itself ([] when it is a 1.x release "1.M.P"). */
export function versionProblems(label: string, version: unknown): string[] {
    return typeof version === "string" && parseVersion(version) ? []
        : [`${label}: version ${JSON.stringify(version)} is not an InfluxDB Enterprise 1.x release such as "1.11.8"`];
}

/**
 * Keys among `edits` (for a file of `role`) that `version` does not read: each named with its
 * table, the version and the release that introduced it. [] when all are known or not TLS keys.
 */
export function keysUnknownToVersion(role: KeySince["role"], edits: readonly TomlEdit[], version: string): string[] {
    const v = parseVersion(version);
    if (!v) {
        return [];
    }
    const problems: string[] = [];
    for (const e of edits) {
        for (const key of Object.keys(e.set)) {
            const row = TLS_KEYS.find((r) => r.role === role && r.table === e.table && r.key === key);
            if (row && !atLeast(v, row.since)) {
                problems.push(`[${e.table}] "${key}" is not read by InfluxDB Enterprise ${version} (the ${role} node reads it since ${row.since}: ${row.source}); ` +
                    "remove it or give the version the hosts run");
            } else if (!row && e.table === "tls") {
                problems.push(`[tls] "${key}" is not a key InfluxDB Enterprise ${version} reads in [tls] (known: ciphers, min-version, max-version` +
                    `${atLeast(v, "1.12.3") ? ", advanced-expiration" : ""})`);
            }
        }
    }
    return problems;
}
