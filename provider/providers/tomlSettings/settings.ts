import type { TomlEdit } from "../../toml/types";
import type { SettingsMap } from "./types";
import { tomlTableProblem } from "../../toml/values";

/** Settings-map name of the root table. */
export const ROOT_TABLE = "(root)";
const INDEX_SEPARATOR = "#";

/**
 * "http" → "http"; "outputs.influxdb" with an explicit index 0 → "outputs.influxdb#0".
 * An index given explicitly is kept (even 0): it is what tells the editor to create a
 * missing table as an array of tables (`[[outputs.influxdb]]`), which Telegraf requires.
 */
export function settingsKey(table: string, index?: number): string {
    const name = table === "" ? ROOT_TABLE : table;
    return index === undefined ? name : `${name}${INDEX_SEPARATOR}${index}`;
}

/** Inverse of settingsKey (index undefined when not explicit). Throws on a malformed key. */
export function parseSettingsKey(key: string): { table: string; index?: number } {
    const at = key.lastIndexOf(INDEX_SEPARATOR);
    let name = key;
    let index: number | undefined;
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
    if (typeof table === "string" && (table.includes(INDEX_SEPARATOR) || table === ROOT_TABLE)) {
        return `table name "${table}" is reserved (use "" for the root table and the index field for array entries)`;
    }
    return tomlTableProblem(table);
}

/** Edits → the reviewer-facing map. Duplicate table/index pairs are merged; duplicate keys throw. */
export function editsToSettings(edits: readonly TomlEdit[]): SettingsMap {
    const out: SettingsMap = {};
    for (const edit of edits) {
        const problem = tableNameProblem(edit.table);
        if (problem) {
            throw new Error(problem);
        }
        const key = settingsKey(edit.table, edit.index);
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
        return index === undefined ? { table, set: { ...set } } : { table, index, set: { ...set } };
    });
}

/**
 * The settings-map key under which `settings` already lists (table, index), so a refresh
 * reports values under the same names the user's program used; else the plain key.
 */
export function mapKeyIn(settings: SettingsMap, table: string, index: number): string {
    for (const key of Object.keys(settings)) {
        const parsed = parseSettingsKey(key);
        if (parsed.table === table && (parsed.index ?? 0) === index) {
            return key;
        }
    }
    return settingsKey(table, index === 0 ? undefined : index);
}
