import type { TomlEdit } from "../toml/types";

/** Which configuration file an edit is meant for. */
export type ConfigRole = "meta" | "data" | "telegraf";

/**
 * Key names from the vendor guide's prose (and common slips) that InfluxDB ignores silently,
 * mapped to the key that actually works (reference: influxdb-tls.md, errata 1–2). Telegraf
 * refuses unknown keys at start-up instead, so catching them here saves a failed restart.
 */
const MISSPELT: Record<ConfigRole, Record<string, string>> = {
    meta: {
        "http-certificate": "https-certificate",
        "http-private-key": "https-private-key",
        "https-cert": "https-certificate",
        "https-key": "https-private-key",
        "http-enabled": "https-enabled",
        "https-insecure": "https-insecure-tls",
    },
    data: {
        "http-certificate": "https-certificate",
        "http-private-key": "https-private-key",
        "https-cert": "https-certificate",
        "https-key": "https-private-key",
        "meta-tls": "meta-tls-enabled",
        "meta-https-enabled": "meta-tls-enabled",
        "meta-insecure": "meta-insecure-tls",
    },
    telegraf: {
        "tls-ca": "tls_ca",
        "ssl-ca": "ssl_ca",
        "insecure-skip-verify": "insecure_skip_verify",
        "url": "urls",
    },
};

/** Keys that exist but in another section than the guide shows (erratum 1). */
const WRONG_SECTION: Record<ConfigRole, Record<string, { table: string; key: RegExp }>> = {
    meta: { http: { table: "meta", key: /^https-/ } },
    data: { meta: { table: "http", key: /^https-(enabled|certificate|private-key)$/ } },
    telegraf: {},
};

/** Problems with the edits meant for a file of `role`, each naming the key that works; [] when none. */
export function guideErrata(role: ConfigRole, edits: readonly TomlEdit[]): string[] {
    const problems: string[] = [];
    for (const edit of edits) {
        for (const key of Object.keys(edit.set)) {
            const correct = MISSPELT[role][key];
            if (correct) {
                problems.push(`[${edit.table}] "${key}" is not a key InfluxDB/Telegraf reads (it would be ignored or refused); use "${correct}"`);
            }
            const moved = WRONG_SECTION[role][edit.table];
            if (moved && moved.key.test(key)) {
                problems.push(`"${key}" does not belong in [${edit.table}] of the ${role} configuration; it is read from [${moved.table}]`);
            }
        }
    }
    return problems;
}
