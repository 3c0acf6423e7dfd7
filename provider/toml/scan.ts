import { TomlEditError } from "./errors";
import { ScanError, atLineEnd, scanHeader, scanKeyPath, scanKeyValue, skipTrailer, skipWs } from "./lex";
import { type Line, splitLines } from "./lines";

/**
 * Line-level map of a TOML document (already validated by smol-toml): which lines are
 * blank, whole-line comments, table headers, the first line of a key/value statement, or
 * a continuation of one (inside a multi-line string or array — never read as keys).
 */
export type LineKind = "blank" | "comment" | "header" | "kv" | "cont";

export interface Statement {
    kind: "header" | "kv";
    /** First and last line (0-based, inclusive). */
    first: number;
    last: number;
    /** Header: the table path. Key/value: the (possibly dotted) key path within its table. */
    path: string[];
    /** Header only: `[[…]]`. */
    array: boolean;
    /** Key/value only: the value's span as offsets into the statement's text (see statementText). */
    valueStart: number;
    valueEnd: number;
}

export interface DocScan {
    text: string;
    lines: Line[];
    /** Offset of each line's first character in `text`. */
    starts: number[];
    kinds: LineKind[];
    statements: Statement[];
}

export function scanDocument(text: string): DocScan {
    const lines = splitLines(text);
    const starts: number[] = [];
    let offset = 0;
    for (const l of lines) {
        starts.push(offset);
        offset += l.text.length + l.eol.length;
    }
    const kinds: LineKind[] = [];
    const statements: Statement[] = [];
    let k = 0;
    while (k < lines.length) {
        // A UTF-8 byte order mark is kept as part of the first line's text.
        const i = skipWs(text, starts[k] + (k === 0 && text.startsWith("\uFEFF") ? 1 : 0));
        if (atLineEnd(text, i)) {
            kinds[k++] = "blank";
            continue;
        }
        if (text[i] === "#") {
            kinds[k++] = "comment";
            continue;
        }
        let stmt: Statement;
        try {
            if (text[i] === "[") {
                const h = scanHeader(text, i);
                const last = lineOf(starts, k, skipTrailer(text, h.end));
                stmt = { kind: "header", first: k, last, path: h.path, array: h.array, valueStart: 0, valueEnd: 0 };
            } else {
                const kv = scanKeyValue(text, i);
                const last = lineOf(starts, k, skipTrailer(text, kv.valueEnd));
                stmt = {
                    kind: "kv", first: k, last, path: kv.path, array: false,
                    valueStart: kv.valueStart - starts[k], valueEnd: kv.valueEnd - starts[k],
                };
            }
        } catch (e) {
            if (e instanceof ScanError) {
                throw new TomlEditError(
                    `cannot edit safely: TOML construct not understood at line ${k + 1} (${e.message}); refusing rather than risk corrupting the file`,
                    { line: k + 1, column: i - starts[k] + 1 },
                );
            }
            throw e;
        }
        statements.push(stmt);
        kinds[k] = stmt.kind;
        for (let c = k + 1; c <= stmt.last; c++) {
            kinds[c] = "cont";
        }
        k = stmt.last + 1;
    }
    return { text, lines, starts, kinds, statements };
}

/** The line holding `offset`, searching forward from line `from`. */
function lineOf(starts: readonly number[], from: number, offset: number): number {
    let k = from;
    while (k + 1 < starts.length && starts[k + 1] <= offset) {
        k++;
    }
    return k;
}

/** A statement's full text, inner line endings included, without its final line ending. */
export function statementText(scan: DocScan, s: Statement): string {
    return scan.text.slice(scan.starts[s.first], scan.starts[s.last] + scan.lines[s.last].text.length);
}

/** Leading spaces/tabs of a line. */
export function indentOf(lineText: string): string {
    return lineText.slice(0, skipWs(lineText, 0));
}

/** A whole-line comment split into indentation and the text after the `#`s and spaces. */
export function commentBody(lineText: string): { indent: string; body: string; bodyOffset: number } {
    const m = /^([ \t]*)#+[ \t]*/.exec(lineText);
    const len = m ? m[0].length : 0;
    return { indent: m ? m[1] : "", body: lineText.slice(len), bodyOffset: len };
}

/** `# [http]`, `### [logging]`, `# [[outputs.amon]]`: a commented-out table header. */
export function isCommentedHeader(body: string): boolean {
    if (body[0] !== "[") {
        return false;
    }
    try {
        skipTrailer(body, scanHeader(body, 0).end);
        return true;
    } catch {
        return false;
    }
}

/** `# key = …`, `#key=…`, `# "quoted" = …`: looks like a commented-out setting (value not checked). */
export function isKeyLike(body: string): boolean {
    if (body === "" || !/^[A-Za-z0-9_"'-]/.test(body)) {
        return false;
    }
    try {
        return body[skipWs(body, scanKeyPath(body, 0).end)] === "=";
    } catch {
        return false;
    }
}
