import type { AST } from "toml-eslint-parser";
import { TomlEditError } from "./errors";
import { type Line, splitLines } from "./lines";
import { ParseError, keyPath, oneStatement, parseSyntax } from "./syntax";

/**
 * Line-level map of a TOML document (already validated by smol-toml): which lines are
 * blank, whole-line comments, table headers, the first line of a key/value statement, or
 * a continuation of one (inside a multi-line string or array — never read as keys).
 * Every position comes from the parser's syntax tree (syntax.ts).
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
    const program = syntaxOf(text, starts);
    const statements: Statement[] = [];
    const header = (t: AST.TOMLTable): Statement => {
        const first = lineOf(starts, t.range[0]);
        return { kind: "header", first, last: first, path: keyPath(t.key), array: t.kind === "array", valueStart: 0, valueEnd: 0 };
    };
    const setting = (kv: AST.TOMLKeyValue): Statement => {
        const first = lineOf(starts, kv.range[0]);
        const [start, end] = kv.value.range;
        return {
            kind: "kv", first, last: lineOf(starts, end - 1), path: keyPath(kv.key), array: false,
            valueStart: start - starts[first], valueEnd: end - starts[first],
        };
    };
    for (const node of program.body[0].body) {
        if (node.type === "TOMLTable") {
            statements.push(header(node), ...node.body.map(setting));
        } else {
            statements.push(setting(node));
        }
    }
    const kinds: LineKind[] = lines.map(() => "blank");
    for (const c of program.comments) {
        kinds[lineOf(starts, c.range[0])] = "comment";
    }
    for (const st of statements) {
        kinds[st.first] = st.kind;
        kinds.fill("cont", st.first + 1, st.last + 1);
    }
    return { text, lines, starts, kinds, statements };
}

/** The syntax tree; what the parser refuses is refused with its line and column. */
function syntaxOf(text: string, starts: readonly number[]): AST.TOMLProgram {
    try {
        return parseSyntax(text);
    } catch (e) {
        if (!(e instanceof ParseError)) {
            throw e;
        }
        const line = lineOf(starts, e.index);
        // The parser's message can quote a character of the file (a code point): left out.
        const what = e.message.replace(/ code point .*?(?= within|$)/, " code point");
        throw new TomlEditError(
            `cannot edit safely: TOML construct not understood at line ${line + 1} (${what}); refusing rather than risk corrupting the file`,
            { line: line + 1, column: e.index - (starts[line] ?? 0) + 1 },
        );
    }
}

/** The line holding `offset` (the last line whose start is at or before it). */
function lineOf(starts: readonly number[], offset: number): number {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= offset) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    return lo;
}

/** A statement's full text, inner line endings included, without its final line ending. */
export function statementText(scan: DocScan, s: Statement): string {
    return scan.text.slice(scan.starts[s.first], scan.starts[s.last] + scan.lines[s.last].text.length);
}

/** Leading spaces/tabs of a line. */
export function indentOf(lineText: string): string {
    return /^[ \t]*/.exec(lineText)?.[0] ?? "";
}

/** A whole-line comment split into indentation and the text after the `#`s and spaces. */
export function commentBody(lineText: string): { indent: string; body: string; bodyOffset: number } {
    const m = /^([ \t]*)#+[ \t]*/.exec(lineText);
    const len = m ? m[0].length : 0;
    return { indent: m ? m[1] : "", body: lineText.slice(len), bodyOffset: len };
}

/** `# [http]`, `### [logging]`, `# [[outputs.amon]]`: a commented-out table header. */
export function isCommentedHeader(body: string): boolean {
    return body[0] === "[" && oneStatement(body)?.type === "TOMLTable";
}

/**
 * `# key = …`, `#key=…`, `# "quoted" = …`: looks like a commented-out setting (value not
 * checked): the text before one of its `=` signs is a key.
 */
export function isKeyLike(body: string): boolean {
    if (!/^[A-Za-z0-9_"'-]/.test(body)) {
        return false;
    }
    for (let eq = body.indexOf("="); eq >= 0; eq = body.indexOf("=", eq + 1)) {
        if (oneStatement(`${body.slice(0, eq)}= 0`)?.type === "TOMLKeyValue") {
            return true;
        }
    }
    return false;
}

/** A comment's body that is one key/value: its key path and its value's span in the body. */
export function commentedSetting(body: string): { path: string[]; valueStart: number; valueEnd: number } | undefined {
    const s = oneStatement(body);
    if (s?.type !== "TOMLKeyValue") {
        return undefined;
    }
    return { path: keyPath(s.key), valueStart: s.value.range[0], valueEnd: s.value.range[1] };
}
