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
