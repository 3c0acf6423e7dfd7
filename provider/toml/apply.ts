import { findActive, findBlock, findCommented, hasCommentedArrayHeader, indentFor, insertionPoint, type Block } from "./blocks";
import { type KeyEdit, flattenEdits } from "./edits";
import { TomlEditError } from "./errors";
import { formatHeader, formatKey, formatValue, parsedForm } from "./format";
import { type LineOp, applyLineOps } from "./lines";
import { type DocScan, scanDocument, statementText } from "./scan";
import { type Tree, assertSameMeaning, firstDifference, parseToml, setKey, tableAt } from "./tree";
import type { TomlEdit, TomlUndo, TomlUndoKey, TomlUndoTable } from "./types";

/** What applyTomlSettings returns. */
export interface TomlApplied {
    /** The edited file text. */
    text: string;
    /** What to give revertTomlSettings to put the managed keys back. */
    undo: TomlUndo;
}

/**
 * Sets keys in a TOML document the way a careful human would:
 * - an active setting gets its value replaced in place (indentation, spacing around `=`,
 *   key spelling and inline comment kept; a multi-line value is replaced as a whole);
 * - a setting that is only present commented out in that table (`  # https-enabled = false`)
 *   is uncommented in place — the first such line when there are several;
 * - otherwise a new line is added at the end of the table's own lines (see insertionPoint);
 * - a missing table is appended at the end of the file after a blank line.
 *
 * The input must be valid TOML, and the result is re-parsed and must mean exactly the
 * input plus the edits, or this throws. A setting that already has the requested value is
 * left byte-for-byte alone, so applying the same edits again changes nothing.
 */
export function applyTomlSettings(text: string, edits: TomlEdit[]): TomlApplied {
    const keyEdits = flattenEdits(edits);
    const doc = parseToml(text, "invalid TOML");
    const scan = scanDocument(text);
    const ops: LineOp[] = [];
    const keys: TomlUndoKey[] = [];
    const createdTables: TomlUndoTable[] = [];
    const newTables = new Map<string, { array: boolean; header: string; lines: string[] }>();

    for (const e of keyEdits) {
        const block = findBlock(scan, e.path, e.index);
        const current = tableAt(doc, e.path, e.index);
        const written = formatKey(e.key);
        if (block) {
            keys.push(editInBlock(scan, block, e, current, ops));
            continue;
        }
        if (current && Object.prototype.hasOwnProperty.call(current, e.key)) {
            throw notEditable(e);
        }
        const id = JSON.stringify([e.path, e.index]);
        let table = newTables.get(id);
        if (!table) {
            // An explicit index, or a `# [[name]]` template in the file, says "array of tables".
            const array = e.indexGiven || hasCommentedArrayHeader(scan, e.path);
            table = { array, header: formatHeader(e.path, array), lines: [] };
            newTables.set(id, table);
            createdTables.push({ table: e.table, index: e.index, header: table.header });
        }
        const line = `${indentFor(scan, undefined, 0)}${written} = ${formatValue(e.value)}`;
        table.lines.push(line);
        keys.push({ table: e.table, index: e.index, key: e.key, prior: "absent", written: line });
    }

    if (newTables.size > 0) {
        // Each new table gets one blank line before it (none at the very top of the file);
        // revert removes exactly that line with the header.
        const insert: { text: string }[] = [];
        const contentBefore = scan.lines.length > 0 || ops.length > 0;
        for (const t of newTables.values()) {
            if (contentBefore || insert.length > 0) {
                insert.push({ text: "" });
            }
            insert.push({ text: t.header }, ...t.lines.map((l) => ({ text: l })));
        }
        ops.push({ at: scan.lines.length, remove: 0, insert });
    }

    const result = applyLineOps(scan.lines, ops);
    for (const e of keyEdits) {
        const array = newTables.get(JSON.stringify([e.path, e.index]))?.array ?? false;
        const t = tableAt(doc, e.path, e.index, { array });
        if (!t) {
            throw new TomlEditError(`cannot set ${e.where}: that table name is already used for a value`);
        }
        setKey(t, e.key, parsedForm(e.value));
    }
    assertSameMeaning(doc, parseToml(result, "the edits cannot be applied: the result would be invalid TOML"), "the edits cannot be applied");
    return { text: result, undo: { version: 1, keys, createdTables } };
}

function notEditable(e: KeyEdit): TomlEditError {
    return new TomlEditError(
        `cannot set ${e.where}: it is already defined as a table, array of tables, dotted key or inline table, which this tool does not rewrite`,
    );
}

/** One key in an existing table: replace, uncomment, or add. */
function editInBlock(scan: DocScan, block: Block, e: KeyEdit, current: Tree | undefined, ops: LineOp[]): TomlUndoKey {
    const base = { table: e.table, index: e.index, key: e.key };
    const value = formatValue(e.value);
    const stmt = findActive(scan, block, e.key);
    if (stmt) {
        const before = statementText(scan, stmt);
        if (current && firstDifference(parsedForm(e.value), current[e.key]) === undefined) {
            return { ...base, prior: "active", line: before, written: before };
        }
        const written = before.slice(0, stmt.valueStart) + value + before.slice(stmt.valueEnd);
        ops.push({ at: stmt.first, remove: stmt.last - stmt.first + 1, insert: [{ text: written, eol: scan.lines[stmt.last].eol }] });
        return { ...base, prior: "active", line: before, written };
    }
    if (current && Object.prototype.hasOwnProperty.call(current, e.key)) {
        throw notEditable(e);
    }
    const commented = findCommented(scan, block, e.key);
    if (commented) {
        const c = commented;
        const written = c.indent + c.body.slice(0, c.valueStart) + value + c.body.slice(c.valueEnd);
        ops.push({ at: c.line, remove: 1, insert: [{ text: written, eol: scan.lines[c.line].eol }] });
        return { ...base, prior: "commented", line: scan.lines[c.line].text, written };
    }
    const at = insertionPoint(scan, block);
    const written = `${indentFor(scan, block, at)}${formatKey(e.key)} = ${value}`;
    ops.push({ at, remove: 0, insert: [{ text: written }] });
    return { ...base, prior: "absent", written };
}
