import type { AST } from "toml-eslint-parser";
import { TomlEditError } from "./errors";
import { splitLines } from "./lines";
import type { DocScan, LineKind, Statement } from "./scan";
import { ParseError, keyPath, oneStatement, parseSyntax } from "./syntax";

/** The DocScan of `text`, with every position taken from the parser's syntax tree. */
export function scanDocument(text: string): DocScan {
    const lines = splitLines(text);
    const starts: number[] = [];
    let offset = 0;
    for (const l of lines) {
        starts.push(offset);
        offset += l.text.length + l.eol.length;
    }
    const lineAt = (at: number): number => {
        let lo = 0;
        let hi = starts.length - 1;
        while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if (starts[mid] <= at) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    };
    let program;
    try {
        program = parseSyntax(text);
    } catch (e) {
        if (e instanceof ParseError) {
            const line = lineAt(e.index);
            // The parser's message can quote a character of the file (a code point): left out.
            const what = e.message.replace(/ code point .*?(?= within|$)/, " code point");
            throw new TomlEditError(
                `cannot edit safely: TOML construct not understood at line ${line + 1} (${what}); refusing rather than risk corrupting the file`,
                { line: line + 1, column: e.index - (starts[line] ?? 0) + 1 },
            );
        }
        throw e;
    }
    const statements: Statement[] = [];
    const header = (t: AST.TOMLTable): Statement => {
        const first = lineAt(t.range[0]);
        return { kind: "header", first, last: first, path: keyPath(t.key), array: t.kind === "array", valueStart: 0, valueEnd: 0 };
    };
    const setting = (kv: AST.TOMLKeyValue): Statement => {
        const first = lineAt(kv.range[0]);
        const [valueStart, valueEnd] = kv.value.range.map((r: number) => r - starts[first]);
        return { kind: "kv", first, last: lineAt(kv.value.range[1] - 1), path: keyPath(kv.key), array: false, valueStart, valueEnd };
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
        kinds[lineAt(c.range[0])] = "comment";
    }
    for (const s of statements) {
        kinds[s.first] = s.kind;
        kinds.fill("cont", s.first + 1, s.last + 1);
    }
    return { text, lines, starts, kinds, statements };
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
