/**
 * Reading a config file the way InfluxDB (BurntSushi/toml into a Go struct) does: smol-toml
 * parses, then each known key is checked against its Go field type. Unknown keys are
 * ignored, like InfluxDB; a wrong type is fatal with BurntSushi's "incompatible types"
 * wording (checked against the real influxd 1.6.7:
 *   parse config: toml: line 257 (last key "http.https-enabled"): incompatible types:
 *   TOML value has type string; destination has type boolean).
 */
import { parse, TomlError } from "smol-toml";

export type Kind = "string" | "bool" | "int" | "duration" | "string-array" | "table";
export type Schema = Readonly<Record<string, Kind>>;
export type TomlDoc = Record<string, unknown>;

/** A fatal configuration problem; the message is what the real program prints after "parse config: ". */
export class ConfigError extends Error {}

/** Integers stay bigint so `1` (int64) and `1.0` (float64) can be told apart, as Go does. */
export function parseTomlDoc(text: string): TomlDoc {
    try {
        return parse(text, { integersAsBigInt: true }) as TomlDoc;
    } catch (e) {
        if (e instanceof TomlError) throw new ConfigError(`toml: line ${e.line}: ${e.message.split("\n")[0]}`);
        throw e;
    }
}

/** Go's %T of the value BurntSushi decoded, as it appears in its messages. */
export function goTypeName(v: unknown): string {
    if (typeof v === "string") return "string";
    if (typeof v === "bigint") return "int64";
    if (typeof v === "number") return "float64";
    if (typeof v === "boolean") return "bool";
    if (Array.isArray(v)) return "[]interface {}";
    if (v instanceof Date) return "time.Time";
    return "map[string]interface {}";
}

const DESTINATION: Record<Kind, string> = {
    string: "string",
    bool: "boolean",
    int: "integer",
    duration: "string", // toml.Duration unmarshals from text
    "string-array": "slice",
    table: "struct",
};

function matches(kind: Kind, v: unknown): boolean {
    switch (kind) {
        case "string":
        case "duration":
            return typeof v === "string";
        case "bool":
            return typeof v === "boolean";
        case "int":
            return typeof v === "bigint";
        case "string-array":
            return Array.isArray(v) && v.every((x) => typeof x === "string");
        case "table":
            return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
    }
}

/**
 * Best-effort line number of `key` inside `[section]`, for the error text only: the first
 * `key =` line after the section's header line. Not a parser (smol-toml does the parsing);
 * when it cannot tell, the message simply has no line number.
 */
function lineOf(text: string, section: string, key: string): number | undefined {
    const lines = text.split("\n");
    let inSection = section === "";
    for (let i = 0; i < lines.length; i++) {
        const t = lines[i]!.trim();
        if (t.startsWith("[")) {
            inSection = t.replace(/\s+/g, "") === `[${section}]`;
            continue;
        }
        if (inSection && new RegExp(`^"?${key.replace(/[-.]/g, "\\$&")}"?\\s*=`).test(t)) return i + 1;
    }
    return undefined;
}

/**
 * The values of the schema's keys in `table` (a section of `doc`; "" = root), type-checked.
 * Keys not in the schema are ignored, as InfluxDB ignores unknown keys.
 */
export function typedSection(text: string, doc: TomlDoc, section: string, schema: Schema): Map<string, unknown> {
    const raw = section === "" ? doc : doc[section];
    const out = new Map<string, unknown>();
    if (raw === undefined) return out;
    if (!matches("table", raw)) {
        throw new ConfigError(`toml: (last key "${section}"): incompatible types: TOML value has type ${goTypeName(raw)}; destination has type struct`);
    }
    for (const [key, kind] of Object.entries(schema)) {
        const v = (raw as TomlDoc)[key];
        if (v === undefined) continue;
        const full = section === "" ? key : `${section}.${key}`;
        if (!matches(kind, v)) {
            const line = lineOf(text, section, key);
            throw new ConfigError(
                `toml: ${line ? `line ${line} ` : ""}(last key "${full}"): incompatible types: TOML value has type ${goTypeName(v)}; destination has type ${DESTINATION[kind]}`,
            );
        }
        if (kind === "duration" && goDurationMs(v as string) === undefined) throw new ConfigError(`time: invalid duration "${String(v)}"`);
        out.set(key, v);
    }
    return out;
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration ("1m30s", "500ms", "0") in milliseconds; undefined if invalid. */
export function goDurationMs(s: string): number | undefined {
    if (s === "0") return 0;
    if (!/^([0-9]*(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$/.test(s)) return undefined;
    let ms = 0;
    for (const m of s.matchAll(/([0-9]*(?:\.[0-9]*)?)(ns|us|µs|ms|s|m|h)/g)) {
        if (m[1] === "" || m[1] === ".") return undefined;
        ms += Number(m[1]) * UNIT_MS[m[2]!]!;
    }
    return ms;
}
