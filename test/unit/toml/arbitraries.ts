import fc from "fast-check";
import type { TomlEdit, TomlValue } from "../../../provider/toml";

/**
 * Generators for the property tests (not a test file): edit sets over a real file's own
 * tables and keys (active, commented, new), values of every kind, and file transforms.
 */

export interface TableModel {
    table: string;
    /** Entries of an array of tables; 0 for a plain table (and the root). */
    entries: number;
    keys: string[];
}

/** Tables and key names as they appear in the text (headers and `key =` / `# key =` lines). */
export function modelOf(text: string): TableModel[] {
    const tables = new Map<string, TableModel>();
    let current: TableModel = { table: "", entries: 0, keys: [] };
    tables.set("", current);
    for (const line of text.split(/\r?\n/)) {
        const h = /^\s*(\[\[?)\s*([A-Za-z0-9_.-]+)\s*\]/.exec(line);
        if (h) {
            const existing = tables.get(h[2]);
            current = existing ?? { table: h[2], entries: 0, keys: [] };
            tables.set(h[2], current);
            if (h[1] === "[[") {
                current.entries++;
            }
            continue;
        }
        const k = /^\s*(?:#+\s*)?([A-Za-z0-9_-]+)\s*=/.exec(line);
        if (k && !current.keys.includes(k[1])) {
            current.keys.push(k[1]);
        }
    }
    return [...tables.values()];
}

/**
 * New tables: each name is always plain or always an array, so every edit set agrees
 * ("tls" exists in the InfluxDB files and is new in Telegraf's). No new key shares a name
 * with a new table, which would be a real conflict in the root table.
 */
const NEW_PLAIN = ["zz-new", "new.sub", "a table", "tls"];
const NEW_ARRAY = ["zz-array"];
const NEW_KEYS = ["new-key", "fresh_key", "with space", "dotted.key", "ünï", 'q"uote'];

const SPECIAL = fc.constantFrom('"', "\\", "\n", "\r\n", "\t", "\u0000", "\u007f", "ü", "😀", '"""', "'''", "#", "[http]", "a = 1", " ", "'");

export const tomlString: fc.Arbitrary<string> = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.string({ unit: "binary", maxLength: 8 }),
    fc.string({ unit: SPECIAL, maxLength: 6 }),
    fc.constantFrom("/etc/ssl/influxdb.pem", "https://influx-1:8086", ""),
);

export const tomlValue: fc.Arbitrary<TomlValue> = fc.letrec<{ value: TomlValue; scalar: TomlValue }>((tie) => ({
    scalar: fc.oneof(
        tomlString,
        fc.integer(),
        fc.constantFrom(0, -1, 8086, 2 ** 53 - 1, 2 ** 60, -(2 ** 63)),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
    ),
    value: fc.oneof(
        { weight: 4, arbitrary: tie("scalar") },
        { weight: 1, arbitrary: fc.array(tie("value"), { maxLength: 3, depthIdentifier: "arr" }) },
    ),
})).value;

interface Setting {
    table: string;
    index: number | undefined;
    key: string;
    value: TomlValue;
}

function settingFor(model: TableModel[]): fc.Arbitrary<Setting> {
    const existing = fc.constantFrom(...model).chain((t) =>
        fc.record({
            table: fc.constant(t.table),
            index: t.entries > 0
                ? fc.nat(t.entries - 1).chain((i) => (i === 0 ? fc.constantFrom(undefined, 0) : fc.constant(i)))
                : fc.constantFrom(undefined, ...(t.table === "" ? [] : [0])),
            key: fc.constantFrom(...t.keys, ...NEW_KEYS),
            value: tomlValue,
        }),
    );
    const fresh = fc.record({
        table: fc.constantFrom(...NEW_PLAIN, ...NEW_ARRAY),
        key: fc.constantFrom(...NEW_KEYS),
        value: tomlValue,
    }).map((s): Setting => ({ ...s, index: NEW_ARRAY.includes(s.table) ? 0 : undefined }));
    return fc.oneof({ weight: 4, arbitrary: existing }, { weight: 1, arbitrary: fresh });
}

/** A valid edit set: distinct table/index/key, either one edit per key or grouped per table. */
export function editsFor(model: TableModel[]): fc.Arbitrary<TomlEdit[]> {
    return fc.tuple(
        fc.uniqueArray(settingFor(model), { maxLength: 8, selector: (s) => `${s.table}\u0000${s.index ?? 0}\u0000${s.key}` }),
        fc.boolean(),
    ).map(([settings, grouped]) => toEdits(settings, grouped));
}

function toEdits(settings: Setting[], grouped: boolean): TomlEdit[] {
    if (!grouped) {
        return settings.map((s) => ({ table: s.table, ...(s.index === undefined ? {} : { index: s.index }), set: { [s.key]: s.value } }));
    }
    const edits = new Map<string, TomlEdit>();
    for (const s of settings) {
        const id = `${s.table}\u0000${s.index === undefined ? "-" : s.index}`;
        const e = edits.get(id) ?? { table: s.table, ...(s.index === undefined ? {} : { index: s.index }), set: {} };
        e.set[s.key] = s.value;
        edits.set(id, e);
    }
    return [...edits.values()];
}

/** Keys of `a` that `b` does not also set. */
export function withoutKeysOf(a: TomlEdit[], b: TomlEdit[]): TomlEdit[] {
    const taken = new Set(b.flatMap((e) => Object.keys(e.set).map((k) => `${e.table}\u0000${e.index ?? 0}\u0000${k}`)));
    return a.map((e) => ({
        ...e,
        set: Object.fromEntries(Object.entries(e.set).filter(([k]) => !taken.has(`${e.table}\u0000${e.index ?? 0}\u0000${k}`))),
    }));
}

export interface Transform {
    crlf: boolean;
    finalNewline: "keep" | "strip" | "add";
}

export const transform: fc.Arbitrary<Transform> = fc.record({
    crlf: fc.boolean(),
    finalNewline: fc.constantFrom("keep", "strip", "add"),
});

export function transformed(text: string, t: Transform): string {
    let out = t.crlf ? text.replace(/\r?\n/g, "\r\n") : text;
    const eol = t.crlf ? "\r\n" : "\n";
    if (t.finalNewline === "strip") {
        out = out.replace(/\r?\n$/, "");
    } else if (t.finalNewline === "add" && !out.endsWith("\n")) {
        out += eol;
    }
    return out;
}
