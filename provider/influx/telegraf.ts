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
