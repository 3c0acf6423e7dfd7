import { parse } from "smol-toml";
import { type Block, findActive, findBlock, headersFor, insertionPoint, keyStatements } from "./blocks";
import { settingName, splitTablePath } from "./edits";
import { TomlEditError } from "./errors";
import { type LineOp, applyLineOps } from "./lines";
import { type DocScan, scanDocument } from "./scan";
import { assertSameMeaning, deleteTable, parseToml, setKey, tableAt } from "./tree";
import { checkUndo } from "./undo";
import type { TomlUndo, TomlUndoKey } from "./types";

/**
 * Puts back what `applyTomlSettings` changed, finding each managed key again by
 * table/index/key (never by line number), so unrelated changes made since — other keys,
 * added or removed lines, new tables — survive. For each managed key:
 * - prior "absent": its line is removed;
 * - prior "active"/"commented": its line is replaced by the original line, even when
 *   someone changed the value after apply (the point of revert is the state before apply);
 *   an "active" line that has disappeared since is added back at the end of its table;
 *   a "commented" one that has disappeared is left out (the key is unset either way).
 * A table that apply created loses its header (and the blank line before it) only when
 * nothing else has been put in it since. On text that apply produced, the result is the
 * original text byte for byte.
 */
export function revertTomlSettings(text: string, undo: TomlUndo): string {
    checkUndo(undo);
    const doc = parseToml(text, "invalid TOML");
    const scan = scanDocument(text);
    const ops: LineOp[] = [];
    const deleted = new Set<number>();

    for (const u of undo.keys) {
        const path = splitTablePath(u.table);
        const block = locate(scan, path, u.index);
        const stmt = block && findActive(scan, block, u.key);
        const prior = u.prior === "active" ? priorValue(u) : undefined;
        if (stmt) {
            const remove = stmt.last - stmt.first + 1;
            if (u.prior === "absent") {
                ops.push({ at: stmt.first, remove, insert: [] });
                deleted.add(stmt.first);
            } else {
                ops.push({ at: stmt.first, remove, insert: [{ text: u.line ?? "", eol: scan.lines[stmt.last].eol }] });
            }
        } else if (u.prior === "active") {
            if (!block) {
                throw new TomlEditError(`cannot restore ${settingName(u.table, u.index, u.key)}: its table is no longer in the file`);
            }
            ops.push({ at: insertionPoint(scan, block), remove: 0, insert: [{ text: u.line ?? "" }] });
        }
        const t = tableAt(doc, path, u.index);
        if (t) {
            if (prior === undefined) {
                delete t[u.key];
            } else {
                setKey(t, u.key, prior.value);
            }
        }
    }

    const removedHeaders = new Set<number>();
    for (const c of [...undo.createdTables].reverse()) {
        const path = splitTablePath(c.table);
        const block = locate(scan, path, c.index);
        if (!block?.header || keyStatements(scan, block).some((s) => !deleted.has(s.first)) || subTableFollows(scan, block, path)) {
            continue;
        }
        const h = block.header;
        const blankBefore = h.first > 0 && scan.kinds[h.first - 1] === "blank";
        ops.push({ at: h.first - (blankBefore ? 1 : 0), remove: h.last - h.first + 1 + (blankBefore ? 1 : 0), insert: [] });
        removedHeaders.add(h.first);
        deleteTable(doc, path, c.index, (p) => headersFor(scan, p).some((s) => !removedHeaders.has(s.first)));
    }

    const result = applyLineOps(scan.lines, ops);
    assertSameMeaning(doc, parseToml(result, "cannot revert: the result would be invalid TOML"), "cannot revert");
    return result;
}

/** The block, or undefined when the table (or that entry) is gone. */
function locate(scan: DocScan, path: string[], index: number): Block | undefined {
    try {
        return findBlock(scan, path, index);
    } catch (e) {
        if (e instanceof TomlEditError) {
            return undefined;
        }
        throw e;
    }
}

/** `[http]` directly followed by `[http.foo]`: removing `[http]` would not leave `[http]` empty. */
function subTableFollows(scan: DocScan, block: Block, path: string[]): boolean {
    const next = scan.statements.find((s) => s.kind === "header" && s.first === block.end);
    return !!next && next.path.length > path.length && path.every((p, i) => next.path[i] === p);
}

function priorValue(u: TomlUndoKey): { value: unknown } {
    try {
        const t = parse(u.line ?? "", { integersAsBigInt: true }) as Record<string, unknown>;
        if (Object.prototype.hasOwnProperty.call(t, u.key)) {
            return { value: t[u.key] };
        }
    } catch {
        // reported below
    }
    throw new TomlEditError(`invalid undo record: the saved line of ${settingName(u.table, u.index, u.key)} does not set that key`);
}
