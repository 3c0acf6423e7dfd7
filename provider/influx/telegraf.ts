import type { FileSpec } from "../files/validate";
import type { TomlEdit, TomlValue } from "../toml/types";
import { CERT_FILE_MODE } from "./defaults";

/** Telegraf as packaged: its config file, its service, and where this package puts the CA it trusts. */
export const TELEGRAF = {
    configPath: "/etc/telegraf/telegraf.conf",
    service: "telegraf",
    /** Readable by the telegraf user (root, 0644). */
    caPath: "/etc/telegraf/influxdb-ca.pem",
    /** The InfluxDB output: an array of tables, so there may be several (`[[outputs.influxdb]]`). */
    outputTable: "outputs.influxdb",
} as const;

/** The key naming the CA file: "tls_ca" from Telegraf 1.7, "ssl_ca" before (an error from 1.35). */
export const CA_SETTING_KEYS = ["tls_ca", "ssl_ca"] as const;
export type CaSettingKey = typeof CA_SETTING_KEYS[number];

/** A Telegraf release, e.g. 1.37.2; only major.minor decide which keys it reads. */
export interface TelegrafVersion { major: number; minor: number; patch?: number }

const VERSION_RE = /^(\d+)\.(\d+)(?:\.(\d+))?$/;

/** "1.37.2" or "1.6" → the version; undefined for anything else (a range, a "v" prefix, 0.x, 2.x). */
export function parseTelegrafVersion(text: string): TelegrafVersion | undefined {
    const m = VERSION_RE.exec(text);
    if (!m) return undefined;
    const v: TelegrafVersion = { major: Number(m[1]), minor: Number(m[2]), ...(m[3] !== undefined ? { patch: Number(m[3]) } : {}) };
    // Telegraf 1.x only: 0.x had other TLS options, and there is no 2.x.
    return v.major === 1 ? v : undefined;
}

/** [since, until) as 1.x minor versions; undefined = no bound. */
interface KeyLifetime { since?: number; until?: number; instead: string }

/**
 * The TLS keys of `[[outputs.influxdb]]` and the Telegraf 1.x releases that read them, from
 * Telegraf's changelogs: 1.7 added `tls_ca`/`tls_cert`/`tls_key` and deprecated the `ssl_*`
 * forms; 1.35 removed them (Telegraf then refuses them as unknown keys at start-up).
 * `insecure_skip_verify` is read by every 1.x. Other keys are not checked by version.
 */
const TLS_KEY_LIFETIMES: Record<string, KeyLifetime> = {
    tls_ca: { since: 7, instead: "ssl_ca" },
    tls_cert: { since: 7, instead: "ssl_cert" },
    tls_key: { since: 7, instead: "ssl_key" },
    ssl_ca: { until: 35, instead: "tls_ca" },
    ssl_cert: { until: 35, instead: "tls_cert" },
    ssl_key: { until: 35, instead: "tls_key" },
    insecure_skip_verify: { instead: "" },
};

/** The CA key a Telegraf version reads: "ssl_ca" before 1.7, "tls_ca" from 1.7 (the only one from 1.35). */
export function caSettingKeyFor(version: TelegrafVersion | undefined): CaSettingKey {
    return version !== undefined && version.minor < 7 ? "ssl_ca" : "tls_ca";
}

/**
 * Problems with TLS `keys` for Telegraf `versionText` (undefined: a Telegraf 1.7 or later, whose
 * exact release is not known). A key the version does not read is refused, and so is
 * `ssl_*` from 1.7 on (deprecated there, removed in 1.35): `tls_*` is what 1.7+ reads.
 */
export function telegrafVersionProblems(versionText: string | undefined, keys: readonly string[]): string[] {
    const v = versionText === undefined ? undefined : parseTelegrafVersion(versionText);
    if (versionText !== undefined && v === undefined) {
        return [`telegrafVersion ${JSON.stringify(versionText)} is not a Telegraf 1.x release like "1.37.2" or "1.6"`];
    }
    const name = versionText === undefined ? "Telegraf 1.7+ (the default; set telegrafVersion for an older one)" : `Telegraf ${versionText}`;
    const minor = v?.minor;
    const problems: string[] = [];
    for (const key of keys) {
        const life = TLS_KEY_LIFETIMES[key];
        if (!life) continue;
        if (life.since !== undefined && minor !== undefined && minor < life.since) {
            problems.push(`${name} does not read "${key}" (added in 1.${life.since}); use "${life.instead}"`);
        }
        // ssl_* only before 1.7: deprecated from 1.7, and refused as an unknown key from 1.35.
        if (life.until !== undefined && (minor === undefined || minor >= 7)) {
            const gone = minor !== undefined && minor >= life.until ? `removed in 1.${life.until}: Telegraf refuses it` : `deprecated since 1.7, removed in 1.${life.until}`;
            problems.push(`${name} must not use "${key}" (${gone}); use "${life.instead}"`);
        }
    }
    return problems;
}

/** What Telegraf needs to know of a data node to trust it. */
export interface DataNodeTrustFacts {
    hasCaCertificate: boolean;
    /** Self-signed without a CA: nothing to verify it against. */
    selfSigned: boolean;
}

/**
 * How Telegraf verifies the data nodes:
 * - "insecure": `insecure_skip_verify = true`, only when asked for, never inferred;
 * - "ca": the CA given, else the first data node's, installed and named by `tls_ca`;
 * - "systemRoots": neither: the Telegraf host's own roots (a public CA).
 */
export type TelegrafTrust = { how: "insecure" } | { how: "ca"; fromNode?: number } | { how: "systemRoots" };

/**
 * The trust, and how many data nodes Telegraf could not verify with it: self-signed nodes,
 * when no CA was given and verification is on (a node's own CA does not vouch for another's).
 */
export function telegrafTrust(o: { caCertificateGiven: boolean; dataNodes: readonly DataNodeTrustFacts[]; insecureSkipVerify?: boolean }):
    { trust: TelegrafTrust; unverifiable: number } {
    if (o.insecureSkipVerify === true) {
        return { trust: { how: "insecure" }, unverifiable: 0 };
    }
    const unverifiable = o.caCertificateGiven ? 0 : o.dataNodes.filter((n) => n.selfSigned).length;
    if (o.caCertificateGiven) {
        return { trust: { how: "ca" }, unverifiable };
    }
    const fromNode = o.dataNodes.findIndex((n) => n.hasCaCertificate);
    return { trust: fromNode >= 0 ? { how: "ca", fromNode } : { how: "systemRoots" }, unverifiable };
}

export function telegrafCaFile(path: string = TELEGRAF.caPath): FileSpec {
    return { path, mode: CERT_FILE_MODE, owner: "root", group: "root" };
}

/**
 * The `[[outputs.influxdb]]` entry's keys: the HTTPS urls, then the CA file (trust "ca") or
 * `insecure_skip_verify` (trust "insecure"), then the caller's further keys.
 */
export function telegrafOutputEdit(o: {
    index?: number; urls: string[]; trust: TelegrafTrust; caKey: CaSettingKey; caPath: string; extra: Record<string, TomlValue>;
}): TomlEdit {
    return {
        table: TELEGRAF.outputTable,
        index: o.index ?? 0,
        set: {
            urls: o.urls,
            ...(o.trust.how === "ca" ? { [o.caKey]: o.caPath } : {}),
            ...(o.trust.how === "insecure" ? { insecure_skip_verify: true } : {}),
            ...o.extra,
        },
    };
}
