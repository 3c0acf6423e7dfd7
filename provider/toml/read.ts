import { checkIndex, settingName, splitTablePath } from "./edits";
import { TomlEditError } from "./errors";
import { isTable, parseToml, tableAt } from "./tree";
import type { TomlValue } from "./types";

/**
 * Current values of the given keys, for drift detection: `undefined` when the key (or its
 * table or array entry) is not set. Integers come back as numbers (exact up to 2^53),
 * date-times as their TOML text. A key that holds a table throws: it cannot be a
 * managed setting.
 */
export function readTomlValues(
    text: string,
    keys: { table: string; index?: number; key: string }[],
): (TomlValue | undefined)[] {
    const doc = parseToml(text, "invalid TOML");
    return keys.map((k) => {
        const index = checkIndex(k.index, k.table);
        const t = tableAt(doc, splitTablePath(k.table), index);
        if (!t || !Object.prototype.hasOwnProperty.call(t, k.key)) {
            return undefined;
        }
        return toTomlValue(t[k.key], settingName(k.table, index, k.key));
    });
}

function toTomlValue(v: unknown, where: string): TomlValue {
    if (typeof v === "bigint") {
        return Number(v);
    }
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
        return v;
    }
    if (v instanceof Date) {
        return v.toISOString();
    }
    if (Array.isArray(v)) {
        return v.map((x) => toTomlValue(x, where));
    }
    if (isTable(v)) {
        throw new TomlEditError(`${where} is a table, not a value`);
    }
    throw new TomlEditError(`${where} holds a value of an unexpected kind`);
}
