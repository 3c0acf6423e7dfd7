import { TomlEditError } from "./errors";
import type { TomlUndo } from "./types";

// An array, not a Set: the closure serializer that puts the provider into state turns a
// module-level Set into `{}` (found by the mock-driven harness).
const PRIORS: readonly string[] = ["absent", "active", "commented"];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isIndex = (v: unknown): boolean => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/** Refuses undo records that this version cannot have written (they come from stored state). */
export function checkUndo(undo: unknown): asserts undo is TomlUndo {
    const bad = (why: string): never => {
        throw new TomlEditError(`invalid undo record: ${why}`);
    };
    if (!isObject(undo)) {
        return bad("expected an object");
    }
    if (undo.version !== 1) {
        return bad(`unsupported version ${JSON.stringify(undo.version)} (this release reads version 1)`);
    }
    if (!Array.isArray(undo.keys) || !Array.isArray(undo.createdTables)) {
        return bad("keys and createdTables must be arrays");
    }
    undo.keys.forEach((k: unknown, i) => {
        if (!isObject(k) || typeof k.table !== "string" || !isIndex(k.index) || typeof k.key !== "string"
            || typeof k.written !== "string" || !PRIORS.includes(k.prior as string)) {
            bad(`keys[${i}] is malformed`);
        } else if (k.prior !== "absent" && typeof k.line !== "string") {
            bad(`keys[${i}] has prior "${String(k.prior)}" but no line`);
        }
    });
    undo.createdTables.forEach((t: unknown, i) => {
        if (!isObject(t) || typeof t.table !== "string" || !isIndex(t.index) || typeof t.header !== "string") {
            bad(`createdTables[${i}] is malformed`);
        }
    });
}

/**
 * One undo record that reverts both `older` and `newer` — for a file whose content is not known
 * to be either apply's result (a failed update whose rollback failed): per key the older entry
 * wins (it describes the file before either apply), keys only `newer` manages are added, tables
 * either created are listed once, in creation order. Reverting a key that is already at its
 * prior state is a no-op, so the result restores the original from either content.
 */
export function mergeUndo(older: TomlUndo, newer: TomlUndo): TomlUndo {
    checkUndo(older);
    checkUndo(newer);
    const id = (t: { table: string; index: number }, key = ""): string => JSON.stringify([t.table, t.index, key]);
    const keys = [...older.keys];
    const seenKeys = older.keys.map((k) => id(k, k.key));
    for (const k of newer.keys) {
        if (!seenKeys.includes(id(k, k.key))) {
            keys.push(k);
        }
    }
    const createdTables = [...older.createdTables];
    const seenTables = older.createdTables.map((t) => id(t));
    for (const t of newer.createdTables) {
        if (!seenTables.includes(id(t))) {
            createdTables.push(t);
        }
    }
    return { version: 1, keys, createdTables };
}
