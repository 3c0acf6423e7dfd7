import { TomlEditError } from "./errors";
import { parse } from "smol-toml";
import { type DocScan, type Statement, commentBody, commentedSetting, indentOf, isCommentedHeader, isKeyLike } from "./scan";

/**
 * A table's block: the lines after its header up to the next header of any kind
 * (`[http]` ends where `[http.foo]` starts). The root table's block runs from the top of
 * the file to the first header.
 */
export interface Block {
    header?: Statement;
    /** First line after the header (0 for the root table). */
    start: number;
    /** The next header's line, or the number of lines. */
    end: number;
}

const samePath = (a: readonly string[], b: readonly string[]): boolean =>
    a.length === b.length && a.every((s, i) => s === b[i]);

/** Headers naming exactly `path`, in file order. */
export function headersFor(scan: DocScan, path: readonly string[]): Statement[] {
    return scan.statements.filter((s) => s.kind === "header" && samePath(s.path, path));
}

export function blockOf(scan: DocScan, header: Statement | undefined): Block {
    const from = header ? header.last + 1 : 0;
    const next = scan.statements.find((s) => s.kind === "header" && s.first >= from);
    return { header, start: from, end: next ? next.first : scan.lines.length };
}

/**
 * The block of `path` / entry `index`, or undefined when no header names it (the root
 * table always exists). Throws when the index does not fit what the file has.
 */
export function findBlock(scan: DocScan, path: readonly string[], index: number): Block | undefined {
    if (path.length === 0) {
        if (index !== 0) {
            throw new TomlEditError(`the root table has no entries; index must be 0, got ${index}`);
        }
        return blockOf(scan, undefined);
    }
    const headers = headersFor(scan, path);
    if (headers.length === 0) {
        if (index !== 0) {
            throw new TomlEditError(`[[${path.join(".")}]] entry ${index} is out of range: the file has 0 entries`);
        }
        return undefined;
    }
    if (headers[0].array) {
        if (index >= headers.length) {
            throw new TomlEditError(
                `[[${path.join(".")}]] entry ${index} is out of range: the file has ${headers.length} entr${headers.length === 1 ? "y" : "ies"}`,
            );
        }
        return blockOf(scan, headers[index]);
    }
    if (index !== 0) {
        throw new TomlEditError(`[${path.join(".")}] is a table, not an array of tables; index must be 0, got ${index}`);
    }
    if (headers.length > 1) {
        throw new TomlEditError(`[${path.join(".")}] appears ${headers.length} times (inside an array of tables); editing it is not supported`);
    }
    return blockOf(scan, headers[0]);
}

/** Key/value statements whose first line lies in the block. */
export function keyStatements(scan: DocScan, block: Block): Statement[] {
    return scan.statements.filter((s) => s.kind === "kv" && s.first >= block.start && s.first < block.end);
}

/** The active statement setting exactly `key` (a single-segment key path) in the block. */
export function findActive(scan: DocScan, block: Block, key: string): Statement | undefined {
    return keyStatements(scan, block).find((s) => s.path.length === 1 && s.path[0] === key);
}

/**
 * Where the table's own lines end: the first commented-out header inside the block
 * (`### [logging]` banners, Telegraf's `# [[outputs.amon]]` templates) or the block's end.
 * Commented settings after that point belong to some other (commented) table.
 */
export function ownEnd(scan: DocScan, block: Block): number {
    for (let k = block.start; k < block.end; k++) {
        if (scan.kinds[k] === "comment" && isCommentedHeader(commentBody(scan.lines[k].text).body)) {
            return k;
        }
    }
    return block.end;
}

export interface CommentedSetting {
    line: number;
    indent: string;
    /** The setting as it would read uncommented, and its value's span in that text. */
    body: string;
    valueStart: number;
    valueEnd: number;
}

/**
 * The first commented-out setting of `key` in the table's own lines, e.g.
 * `  # https-enabled = false`. Only one-line settings whose text is valid TOML count, so
 * prose and commented multi-line arrays (`# templates = [`) are left alone.
 */
export function findCommented(scan: DocScan, block: Block, key: string): CommentedSetting | undefined {
    const end = ownEnd(scan, block);
    for (let k = block.start; k < end; k++) {
        if (scan.kinds[k] !== "comment") {
            continue;
        }
        const { indent, body } = commentBody(scan.lines[k].text);
        if (!(body.startsWith(key) || body[0] === '"' || body[0] === "'")) {
            continue;
        }
        const kv = commentedSetting(body);
        if (!kv || kv.path.length !== 1 || kv.path[0] !== key) {
            continue;
        }
        try {
            parse(body);
        } catch {
            continue;
        }
        return { line: k, indent, body, valueStart: kv.valueStart, valueEnd: kv.valueEnd };
    }
    return undefined;
}

/**
 * Where a new setting goes: after the last non-blank line of the table's own lines,
 * leaving out the trailing blank lines and prose comments (indented no deeper than the
 * next header) that introduce the next real or commented-out header — the
 * `###\n### [logging]` banners and Telegraf's `# Configuration for …` lines. The end of
 * the file counts as a header at column 0, so the spot does not move when someone later
 * appends a table. Commented settings (`  # enqueued-write-timeout = 0`) stop the scan:
 * they stay above the new line, as a human appending to the section would leave them.
 */
export function insertionPoint(scan: DocScan, block: Block): number {
    const end = ownEnd(scan, block);
    let boundary = "";
    if (end < scan.lines.length) {
        boundary = scan.kinds[end] === "comment" ? commentBody(scan.lines[end].text).indent : indentOf(scan.lines[end].text);
    }
    let p = end;
    while (p > block.start) {
        const k = p - 1;
        if (scan.kinds[k] === "comment") {
            const c = commentBody(scan.lines[k].text);
            if (c.indent.length > boundary.length || isKeyLike(c.body)) {
                break;
            }
        } else if (scan.kinds[k] !== "blank") {
            break;
        }
        p--;
    }
    return p;
}

/** Indentation of a setting line: its own for active lines, the text before `#` for commented ones. */
function settingIndent(scan: DocScan, k: number): string | undefined {
    const kind = scan.kinds[k];
    if (kind === "kv") {
        return indentOf(scan.lines[k].text);
    }
    if (kind === "comment") {
        const c = commentBody(scan.lines[k].text);
        return isKeyLike(c.body) ? c.indent : undefined;
    }
    return undefined;
}

/**
 * Indentation for a new setting line: copied from the nearest setting (active or
 * commented) above it in the table; for a table without any, from the first setting
 * under any header in the file; the root table defaults to none. Counting commented
 * settings too keeps the choice stable when other settings get uncommented.
 */
export function indentFor(scan: DocScan, block: Block | undefined, at: number): string {
    if (block) {
        for (let k = at - 1; k >= block.start; k--) {
            const ind = settingIndent(scan, k);
            if (ind !== undefined) {
                return ind;
            }
        }
        if (!block.header) {
            return "";
        }
    }
    const firstHeader = scan.statements.find((s) => s.kind === "header");
    if (!firstHeader) {
        return "";
    }
    for (let k = firstHeader.first; k < scan.lines.length; k++) {
        const ind = settingIndent(scan, k);
        if (ind !== undefined) {
            return ind;
        }
    }
    return "";
}

/** Is there a `# [[path]]` template in the file (so a missing table is an array of tables)? */
export function hasCommentedArrayHeader(scan: DocScan, path: readonly string[]): boolean {
    const want = `[[${path.join(".")}]]`;
    return scan.lines.some(
        (l, k) => scan.kinds[k] === "comment" && l.text.includes("[[") && commentBody(l.text).body.replace(/\s+/g, "").startsWith(want),
    );
}
