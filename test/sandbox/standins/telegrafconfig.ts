/**
 * telegraf.conf (+ -config-directory drop-ins) as Telegraf reads it, reduced to what the
 * stand-in acts on: [agent] hostname and every [[outputs.influxdb]] entry. Unlike
 * InfluxDB, Telegraf refuses unknown keys in a plugin table at start-up; the valid keys
 * are those of Telegraf 1.4.5's shipped outputs.influxdb section (test/fixtures), the
 * tls_* names that replaced ssl_* in 1.7 (both accepted, tls_* winning, as 1.7–1.34 do),
 * and the generic per-output options Telegraf itself consumes.
 */
import { goDurationMs, goTypeName, parseTomlDoc, type Kind, type TomlDoc } from "./tomltypes";

const INFLUXDB_KEYS: Readonly<Record<string, Kind>> = {
    // Telegraf 1.4.5 default file, [[outputs.influxdb]] (active and commented keys).
    urls: "string-array",
    database: "string",
    retention_policy: "string",
    write_consistency: "string",
    timeout: "duration",
    username: "string",
    password: "string",
    user_agent: "string",
    udp_payload: "int",
    ssl_ca: "string",
    ssl_cert: "string",
    ssl_key: "string",
    insecure_skip_verify: "bool",
    http_proxy: "string",
    http_headers: "table",
    content_encoding: "string",
    // Telegraf 1.7+ names (tls_server_name: 1.17.1+).
    tls_ca: "string",
    tls_cert: "string",
    tls_key: "string",
    tls_server_name: "string",
    // Generic output options (filters, buffering) handled by Telegraf's config loader.
    alias: "string",
    namepass: "string-array",
    namedrop: "string-array",
    fieldpass: "string-array",
    fielddrop: "string-array",
    tagpass: "table",
    tagdrop: "table",
    taginclude: "string-array",
    tagexclude: "string-array",
    metric_buffer_limit: "int",
    metric_batch_size: "int",
    flush_interval: "duration",
    flush_jitter: "duration",
};

export interface OutputTls {
    readonly ca?: string;
    readonly cert?: string;
    readonly key?: string;
    readonly serverName?: string;
    readonly insecureSkipVerify: boolean;
}

export interface InfluxOutput {
    /** "<file>#<n>": which [[outputs.influxdb]] this is, for logs and the status file. */
    readonly id: string;
    readonly urls: readonly string[];
    readonly database: string;
    readonly retentionPolicy: string;
    readonly writeConsistency: string;
    readonly timeoutMs: number;
    readonly username?: string;
    readonly password?: string;
    readonly userAgent: string;
    readonly httpHeaders: Readonly<Record<string, string>>;
    readonly tls: OutputTls;
}

export interface TelegrafConfig {
    /** [agent] hostname, "" = the OS host name; omit_hostname drops the host tag. */
    readonly hostname: string;
    readonly omitHostname: boolean;
    readonly outputs: readonly InfluxOutput[];
    /** Other output plugins present (not modelled by the stand-in). */
    readonly otherOutputs: readonly string[];
}

/** Fatal, worded after Telegraf's "error loading config file …" errors. */
export class TelegrafConfigError extends Error {}

/** Line of the n-th `[[outputs.influxdb]]` header, for messages only (smol-toml did the parsing). */
function headerLine(text: string, n: number): number | undefined {
    let seen = 0;
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
        if (/^\[\[?\s*outputs\.influxdb\s*\]\]?$/.test(lines[i]!.trim()) && seen++ === n) return i + 1;
    }
    return undefined;
}

const TOML_KIND: Record<string, string> = { string: "string", int64: "integer", float64: "float", bool: "boolean" };

function checkEntry(file: string, text: string, n: number, entry: TomlDoc): void {
    const line = headerLine(text, n);
    const where = `plugin outputs.influxdb: line ${line ?? "?"}`;
    const unknown = Object.keys(entry).filter((k) => !(k in INFLUXDB_KEYS));
    if (unknown.length > 0) {
        throw new TelegrafConfigError(`error loading config file ${file}: ${where}: configuration specified the fields ${JSON.stringify(unknown)}, but they weren't used`);
    }
    for (const [k, v] of Object.entries(entry)) {
        const kind = INFLUXDB_KEYS[k]!;
        const ok =
            kind === "string" ? typeof v === "string"
            : kind === "bool" ? typeof v === "boolean"
            : kind === "int" ? typeof v === "bigint"
            // config.Duration: a Go duration string or an integer number of seconds.
            : kind === "duration" ? (typeof v === "string" && goDurationMs(v) !== undefined) || typeof v === "bigint"
            : kind === "string-array" ? Array.isArray(v) && v.every((x) => typeof x === "string")
            : typeof v === "object" && v !== null && !Array.isArray(v);
        if (!ok) {
            const got = TOML_KIND[goTypeName(v)] ?? goTypeName(v);
            throw new TelegrafConfigError(`error loading config file ${file}: ${where}: (influxdb.InfluxDB.${k}) cannot unmarshal TOML ${got} into ${kind}`);
        }
    }
}

function durationMs(v: unknown, fallback: number): number {
    if (typeof v === "bigint") return Number(v) * 1000;
    return typeof v === "string" ? goDurationMs(v) ?? fallback : fallback;
}

function toOutput(id: string, e: TomlDoc): InfluxOutput {
    const str = (k: string) => (typeof e[k] === "string" && e[k] !== "" ? (e[k] as string) : undefined);
    const urls = (e.urls as string[] | undefined) ?? [];
    return {
        id,
        urls: urls.length > 0 ? urls : ["http://localhost:8086"],
        database: str("database") ?? "telegraf",
        retentionPolicy: str("retention_policy") ?? "",
        writeConsistency: str("write_consistency") ?? "",
        timeoutMs: durationMs(e.timeout, 5000) || 5000,
        username: str("username"),
        password: str("password"),
        userAgent: str("user_agent") ?? "telegraf",
        httpHeaders: (e.http_headers as Record<string, string> | undefined) ?? {},
        tls: {
            ca: str("tls_ca") ?? str("ssl_ca"),
            cert: str("tls_cert") ?? str("ssl_cert"),
            key: str("tls_key") ?? str("ssl_key"),
            serverName: str("tls_server_name"),
            insecureSkipVerify: e.insecure_skip_verify === true,
        },
    };
}

/** Parses the main file and drop-ins in order; outputs from all files add up, as in Telegraf. */
export function parseTelegrafConfig(files: readonly { path: string; text: string }[]): TelegrafConfig {
    let hostname = "";
    let omitHostname = false;
    const outputs: InfluxOutput[] = [];
    const others = new Set<string>();
    for (const f of files) {
        let doc: TomlDoc;
        try {
            doc = parseTomlDoc(f.text);
        } catch (e) {
            throw new TelegrafConfigError(`error loading config file ${f.path}: ${(e as Error).message}`);
        }
        const agent = (doc.agent ?? {}) as TomlDoc;
        if (typeof agent.hostname === "string") hostname = agent.hostname;
        if (typeof agent.omit_hostname === "boolean") omitHostname = agent.omit_hostname;
        const outs = (doc.outputs ?? {}) as TomlDoc;
        for (const [name, value] of Object.entries(outs)) {
            if (name !== "influxdb") {
                others.add(name);
                continue;
            }
            const entries = (Array.isArray(value) ? value : [value]) as TomlDoc[];
            entries.forEach((entry, n) => {
                checkEntry(f.path, f.text, n, entry);
                outputs.push(toOutput(`${f.path}#${n}`, entry));
            });
        }
    }
    if (outputs.length === 0 && others.size === 0) {
        throw new TelegrafConfigError("no outputs found, did you provide a valid config file?");
    }
    return { hostname, omitHostname, outputs, otherOutputs: [...others] };
}
