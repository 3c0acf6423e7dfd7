import type { DiffResult } from "@pulumi/pulumi/dynamic";
import { sameValue } from "../compare";
import { UNKNOWN } from "./unknown";
import { normalizeConnection } from "../../ssh/defaults";

export { sameValue };

/** Inputs whose change means a different file: the resource is replaced, not updated. */
const REPLACE_CONNECTION_FIELDS = ["host", "port"] as const;

/**
 * Pure diff of stored outputs (olds) against new inputs (news), no SSH. Only the inputs the
 * user controls are compared — never `__provider` (a new package build alone is not a change)
 * nor the bookkeeping outputs (undo, hashes). Returned details are for tests; the engine only
 * forwards changes/replaces/deleteBeforeReplace and shows its own diff of the inputs.
 */
export function diffInputs(olds: Record<string, unknown>, news: Record<string, unknown>): DiffResult & { changedKeys: string[] } {
    const replaces: string[] = [];
    const oldConn = (olds.connection ?? {}) as Record<string, unknown>;
    const newConn = news.connection === UNKNOWN ? UNKNOWN : (news.connection ?? {}) as Record<string, unknown>;
    if (newConn === UNKNOWN) {
        replaces.push("connection");
    } else {
        for (const f of REPLACE_CONNECTION_FIELDS) {
            if (!sameValue((withDefaults(oldConn) as Record<string, unknown>)[f], (withDefaults(newConn) as Record<string, unknown>)[f])) {
                replaces.push("connection");
                break;
            }
        }
    }
    if (!sameValue(olds.path, news.path)) {
        replaces.push("path");
    }
    const changedKeys = diffSettings(olds.settings, news.settings);
    const changed =
        replaces.length > 0 ||
        changedKeys.length > 0 ||
        !sameValue(olds.service ?? null, news.service ?? null) ||
        !sameValue(olds.restartTriggers ?? null, news.restartTriggers ?? null) ||
        !sameValue(olds.verifyCredentials ?? null, news.verifyCredentials ?? null) ||
        // (Checks only: the update stores them; nothing restarts unless something else changed.)
        !sameValue(olds.preflight ?? null, news.preflight ?? null) ||
        // The managed files: a new path, owner, mode or content is an update (the transaction moves them).
        !sameValue(olds.files ?? [], news.files ?? []) ||
        !sameValue(olds.fileContents ?? [], news.fileContents ?? []) ||
        !sameValue(withDefaults(olds.connection), withDefaults(news.connection)) ||
        !sameValue(olds.target ?? null, news.target ?? null) ||
        // A node found not answering (refresh) or left unverified by a failed operation:
        // the update restarts and verifies it.
        olds.healthy === false;
    return {
        changes: changed,
        replaces,
        // Two resources must never manage the same file at once: with create-before-delete the
        // old resource's revert would undo what the new one just applied.
        deleteBeforeReplace: replaces.length > 0,
        changedKeys,
    };
}

/** Spelling out a default (port 22, user root) is not a change. */
function withDefaults(connection: unknown): unknown {
    if (connection === null || typeof connection !== "object") {
        return connection ?? null;
    }
    return normalizeConnection(connection as { host: string });
}

/** "table.key" of every managed key that is added, removed or changed. */
export function diffSettings(olds: unknown, news: unknown): string[] {
    if (news === UNKNOWN || olds === UNKNOWN) {
        return ["*"];
    }
    const o = (olds ?? {}) as Record<string, Record<string, unknown>>;
    const n = (news ?? {}) as Record<string, Record<string, unknown>>;
    const out: string[] = [];
    for (const table of new Set([...Object.keys(o), ...Object.keys(n)])) {
        const ot = o[table] ?? {};
        const nt = n[table] ?? {};
        if ((nt as unknown) === UNKNOWN) {
            out.push(`${table}.*`);
            continue;
        }
        for (const key of new Set([...Object.keys(ot), ...Object.keys(nt)])) {
            if (!(key in nt) || !(key in ot) || !sameValue(ot[key], nt[key])) {
                out.push(`${table}.${key}`);
            }
        }
    }
    return out;
}
