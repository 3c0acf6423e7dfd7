import { TomlEditError } from "./errors";
import { checkValue } from "./format";
import { tomlKeyProblem, tomlTableProblem } from "./values";
import type { TomlEdit, TomlValue } from "./types";

/** One key to set, flattened out of the edits and checked. */
export interface KeyEdit {
    table: string;
    path: string[];
    index: number;
    /** Whether the edit named an index explicitly (then a missing table is created as `[[…]]`). */
    indexGiven: boolean;
    key: string;
    value: TomlValue;
    /** `[http] https-enabled`, for messages. */
    where: string;
}

/** "outputs.influxdb" → ["outputs", "influxdb"]; "" → [] (the root table). */
export function splitTablePath(table: unknown): string[] {
    const problem = tomlTableProblem(table);
    if (problem) {
        throw new TomlEditError(`invalid table name: ${problem}`);
    }
    return table === "" ? [] : (table as string).split(".");
}

export function checkIndex(index: unknown, table: string): number {
    if (index === undefined) {
        return 0;
    }
    if (typeof index !== "number" || !Number.isSafeInteger(index) || index < 0) {
        throw new TomlEditError(`invalid index for table "${table}": expected a non-negative integer, got ${String(index)}`);
    }
    return index;
}

export function settingName(table: string, index: number, key: string, array = false): string {
    const t = table === "" ? "the root table" : array || index > 0 ? `[[${table}]] entry ${index}` : `[${table}]`;
    return `${t} ${JSON.stringify(key)}`;
}

/** Validates every edit and value; refuses the same table/index/key twice. */
export function flattenEdits(edits: readonly TomlEdit[]): KeyEdit[] {
    if (!Array.isArray(edits)) {
        throw new TomlEditError("edits must be an array");
    }
    const out: KeyEdit[] = [];
    const seen = new Set<string>();
    for (const edit of edits) {
        if (typeof edit !== "object" || edit === null) {
            throw new TomlEditError("each edit must be an object with table and set");
        }
        const path = splitTablePath(edit.table);
        const index = checkIndex(edit.index, edit.table);
        if (typeof edit.set !== "object" || edit.set === null || Array.isArray(edit.set)) {
            throw new TomlEditError(`edit of table "${edit.table}": set must be an object of key → value`);
        }
        for (const key of Object.keys(edit.set)) {
            const where = settingName(edit.table, index, key, edit.index !== undefined);
            const keyProblem = tomlKeyProblem(key);
            if (keyProblem) {
                throw new TomlEditError(`invalid key ${where}: ${keyProblem}`);
            }
            const value: unknown = edit.set[key];
            checkValue(value, where);
            const id = JSON.stringify([path, index, key]);
            if (seen.has(id)) {
                throw new TomlEditError(`${where} is set more than once in the same edits`);
            }
            seen.add(id);
            out.push({ table: edit.table, path, index, indexGiven: edit.index !== undefined, key, value, where });
        }
    }
    return out;
}
