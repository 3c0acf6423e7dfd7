/**
 * influxdb-meta.conf as InfluxDB Enterprise 1.6's meta node reads it. The schema lists
 * every key of the shipped 1.6.2 default (test/fixtures/enterprise-1.6.2-influxdb-meta.conf)
 * with its Go type, so a wrongly typed value anywhere is fatal as in the real one; keys
 * not listed are ignored (the real one ignores unknown keys too, which is why the guide's
 * misspellings and its `[http]` header silently leave the meta node on HTTP).
 */
import { parseTomlDoc, typedSection, type Schema } from "./tomltypes";

const ROOT: Schema = { "reporting-disabled": "bool", "bind-address": "string", hostname: "string" };
const ENTERPRISE: Schema = {
    "registration-enabled": "bool",
    "registration-server-url": "string",
    "license-key": "string",
    "license-path": "string",
};
const META: Schema = {
    dir: "string",
    "bind-address": "string",
    "http-bind-address": "string",
    "https-enabled": "bool",
    "https-certificate": "string",
    "https-private-key": "string",
    "https-insecure-tls": "bool",
    "gossip-frequency": "duration",
    "announcement-expiration": "duration",
    "retention-autocreate": "bool",
    "election-timeout": "duration",
    "heartbeat-timeout": "duration",
    "leader-lease-timeout": "duration",
    "commit-timeout": "duration",
    "consensus-timeout": "duration",
    "cluster-tracing": "bool",
    "logging-enabled": "bool",
    "pprof-enabled": "bool",
    "lease-duration": "duration",
    "auth-enabled": "bool",
    "ldap-allowed": "bool",
    "shared-secret": "string",
    "internal-shared-secret": "string",
};

export interface MetaConfig {
    /** Advertised host name; "" = the OS host name. */
    readonly hostname: string;
    /** [meta] http-bind-address, default ":8091". */
    readonly httpBindAddress: string;
    readonly httpsEnabled: boolean;
    readonly httpsCertificate: string;
    /** "" = read the key from httpsCertificate (a bundle). */
    readonly httpsPrivateKey: string;
    /** Only affects meta→meta requests, which a single stand-in never makes; parsed for type checks. */
    readonly httpsInsecureTls: boolean;
}

/** Throws ConfigError with the real program's wording on bad TOML or a wrongly typed key. */
export function parseMetaConfig(text: string): MetaConfig {
    const doc = parseTomlDoc(text);
    const root = typedSection(text, doc, "", ROOT);
    typedSection(text, doc, "enterprise", ENTERPRISE);
    const meta = typedSection(text, doc, "meta", META);
    return {
        hostname: (root.get("hostname") as string | undefined) ?? "",
        httpBindAddress: (meta.get("http-bind-address") as string | undefined) ?? ":8091",
        httpsEnabled: (meta.get("https-enabled") as boolean | undefined) ?? false,
        httpsCertificate: (meta.get("https-certificate") as string | undefined) ?? "",
        httpsPrivateKey: (meta.get("https-private-key") as string | undefined) ?? "",
        httpsInsecureTls: (meta.get("https-insecure-tls") as boolean | undefined) ?? false,
    };
}

/** "host:port" → parts; an empty host means "all interfaces" in Go. */
export function splitHostPort(addr: string): { host: string; port: number } {
    const i = addr.lastIndexOf(":");
    const port = Number(addr.slice(i + 1));
    if (i < 0 || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`address ${addr}: missing port in address`);
    return { host: addr.slice(0, i).replace(/^\[|\]$/g, ""), port };
}
