import type { TomlEdit } from "../../toml/types";
import type { SettingsMap } from "./types";

/** Settings-map name of the root table. */
export const ROOT_TABLE = "(root)";
const INDEX_SEPARATOR = "#";

/** "outputs.influxdb", 1 → "outputs.influxdb#1"; index 0 is left implicit so the usual case reads plainly. */
export function settingsKey(table: string, index = 0): string {
    const name = table === "" ? ROOT_TABLE : table;
    return index === 0 ? name : `${name}${INDEX_SEPARATOR}${index}`;
}

/** Inverse of settingsKey. Throws on a malformed key. */
export function parseSettingsKey(key: string): { table: string; index: number } {
    const at = key.lastIndexOf(INDEX_SEPARATOR);
    let name = key;
    let index = 0;
    if (at >= 0) {
        const digits = key.slice(at + 1);
        if (!/^\d+$/.test(digits)) {
            throw new Error(`malformed table entry "${key}": expected "<table>#<index>"`);
        }
        name = key.slice(0, at);
        index = Number(digits);
    }
    return { table: name === ROOT_TABLE ? "" : name, index };
}

/** Why a table name cannot be used, or undefined when it can. */
export function tableNameProblem(table: string): string | undefined {
    if (table.includes(INDEX_SEPARATOR) || table === ROOT_TABLE) {
        return `table name "${table}" is reserved (use "" for the root table and the index field for array entries)`;
    }
    return undefined;
}

/** Edits → the reviewer-facing map. Duplicate table/index pairs are merged; duplicate keys throw. */
export function editsToSettings(edits: readonly TomlEdit[]): SettingsMap {
    const out: SettingsMap = {};
    for (const edit of edits) {
        const problem = tableNameProblem(edit.table);
        if (problem) {
            throw new Error(problem);
        }
        const key = settingsKey(edit.table, edit.index ?? 0);
        const table = (out[key] ??= {});
        for (const [name, value] of Object.entries(edit.set)) {
            if (name in table) {
                throw new Error(`key "${name}" of table "${key}" is set twice`);
            }
            table[name] = value;
        }
    }
    return out;
}

/** The map back into edits, in a stable order (the order of the map). */
export function settingsToEdits(settings: SettingsMap): TomlEdit[] {
    return Object.entries(settings).map(([key, set]) => {
        const { table, index } = parseSettingsKey(key);
        return index === 0 ? { table, set: { ...set } } : { table, index, set: { ...set } };
    });
}

/** Every managed key as a flat list, for drift reads. */
export function managedKeys(settings: SettingsMap): { table: string; index: number; key: string; mapKey: string }[] {
    const keys: { table: string; index: number; key: string; mapKey: string }[] = [];
    for (const [mapKey, set] of Object.entries(settings)) {
        const { table, index } = parseSettingsKey(mapKey);
        for (const key of Object.keys(set)) {
            keys.push({ table, index, key, mapKey });
        }
    }
    return keys;
}
