/**
 * The text as lines, each with its own line ending, so edits keep CRLF/LF (even mixed)
 * and a missing final newline byte for byte.
 */
export interface Line {
    text: string;
    /** "\n", "\r\n", or "" for a last line without a final newline. */
    eol: string;
}

export function splitLines(text: string): Line[] {
    const lines: Line[] = [];
    let start = 0;
    while (start < text.length) {
        const nl = text.indexOf("\n", start);
        if (nl < 0) {
            lines.push({ text: text.slice(start), eol: "" });
            break;
        }
        const cr = nl > start && text[nl - 1] === "\r";
        lines.push({ text: text.slice(start, cr ? nl - 1 : nl), eol: cr ? "\r\n" : "\n" });
        start = nl + 1;
    }
    return lines;
}

/** Line ending for new lines: the file's first one (CRLF files stay CRLF), LF when it has none. */
function newlineOf(lines: readonly Line[]): string {
    return lines.find((l) => l.eol !== "")?.eol ?? "\n";
}

/** Replace `remove` lines from `at` with `insert` (remove 0 = insert before line `at`). */
export interface LineOp {
    at: number;
    remove: number;
    /** New lines; `eol` undefined means "the file's line ending". Text may span lines (a restored multi-line value). */
    insert: { text: string; eol?: string }[];
}

/**
 * Applies non-overlapping ops in one pass. Pure inserts at a position come before a
 * replacement starting there; otherwise ops keep the order they were made in.
 * The result ends with a newline exactly when the input did (an empty input counts as
 * ending with one).
 */
export function applyLineOps(lines: readonly Line[], ops: readonly LineOp[]): string {
    const eol = newlineOf(lines);
    const finalNewline = lines.length === 0 || lines[lines.length - 1].eol !== "";
    const sorted = ops
        .map((op, seq) => ({ op, seq }))
        .sort((a, b) => a.op.at - b.op.at || (a.op.remove === 0 ? 0 : 1) - (b.op.remove === 0 ? 0 : 1) || a.seq - b.seq)
        .map((x) => x.op);
    const out: Line[] = [];
    let next = 0;
    for (const op of sorted) {
        if (op.at < next) {
            throw new Error(`internal error: overlapping line edits at line ${op.at + 1}`);
        }
        out.push(...lines.slice(next, op.at));
        for (const l of op.insert) {
            out.push({ text: l.text, eol: l.eol ?? eol });
        }
        next = op.at + op.remove;
    }
    out.push(...lines.slice(next));
    let result = "";
    out.forEach((l, i) => {
        const last = i === out.length - 1;
        result += l.text + (last && !finalNewline ? "" : l.eol || eol);
    });
    return result;
}
