import { parse } from "smol-toml";

/**
 * Span-finding over TOML text that smol-toml has already accepted. This is not a parser:
 * it never decides what a value means, it only finds where keys, headers and whole values
 * start and end, so edits can replace exactly those characters. Strings, multi-line
 * strings and nested arrays/inline tables are skipped as units so their contents are never
 * mistaken for keys or headers.
 */

/** Something the span finder does not understand; callers refuse to edit rather than guess. */
export class ScanError extends Error {
    constructor(readonly offset: number, message: string) {
        super(message);
        this.message = message; // see TomlEditError: serialized classes call Error as a function
    }
}

const BARE_KEY_CHAR = /[A-Za-z0-9_-]/;
const SCALAR_END = /[ \t\r\n#,\]}]/;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function skipWs(t: string, i: number): number {
    while (t[i] === " " || t[i] === "\t") {
        i++;
    }
    return i;
}

export function atLineEnd(t: string, i: number): boolean {
    return i >= t.length || t[i] === "\n" || (t[i] === "\r" && t[i + 1] === "\n");
}

function toLineEnd(t: string, i: number): number {
    while (!atLineEnd(t, i)) {
        i++;
    }
    return i;
}

/** Spaces and an optional comment after a value or header; returns the line-end offset. */
export function skipTrailer(t: string, i: number): number {
    i = skipWs(t, i);
    if (t[i] === "#") {
        i = toLineEnd(t, i);
    }
    if (!atLineEnd(t, i)) {
        throw new ScanError(i, "unexpected text after a value");
    }
    return i;
}

function skipBasicString(t: string, i: number): number {
    for (i++; i < t.length; i++) {
        const c = t[i];
        if (c === "\\") {
            i++;
        } else if (c === '"') {
            return i + 1;
        } else if (c === "\n") {
            break;
        }
    }
    throw new ScanError(i, "unterminated string");
}

function skipLiteralString(t: string, i: number): number {
    const end = t.indexOf("'", i + 1);
    const nl = t.indexOf("\n", i + 1);
    if (end < 0 || (nl >= 0 && nl < end)) {
        throw new ScanError(i, "unterminated string");
    }
    return end + 1;
}

/** `"""…"""` or `'''…'''`; a closing run of 4 or 5 quotes ends with quotes that belong to the content. */
function skipMultilineString(t: string, i: number, q: string): number {
    for (i += 3; i < t.length; i++) {
        if (q === '"' && t[i] === "\\") {
            i++;
        } else if (t[i] === q && t[i + 1] === q && t[i + 2] === q) {
            let end = i + 3;
            while (t[end] === q && end < i + 5) {
                end++;
            }
            return end;
        }
    }
    throw new ScanError(i, "unterminated multi-line string");
}

function skipString(t: string, i: number): number {
    const q = t[i];
    if (t.startsWith(q.repeat(3), i)) {
        return skipMultilineString(t, i, q);
    }
    return q === '"' ? skipBasicString(t, i) : skipLiteralString(t, i);
}

/** An array or inline table, however many lines it spans (comments inside included). */
function skipBracketed(t: string, i: number): number {
    let depth = 0;
    while (i < t.length) {
        const c = t[i];
        if (c === "[" || c === "{") {
            depth++;
            i++;
        } else if (c === "]" || c === "}") {
            depth--;
            i++;
            if (depth === 0) {
                return i;
            }
        } else if (c === '"' || c === "'") {
            i = skipString(t, i);
        } else if (c === "#") {
            i = toLineEnd(t, i);
        } else {
            i++;
        }
    }
    throw new ScanError(i, "unterminated array or inline table");
}

/** End offset of the value starting at `i`. */
export function skipValue(t: string, i: number): number {
    const c = t[i];
    if (c === '"' || c === "'") {
        return skipString(t, i);
    }
    if (c === "[" || c === "{") {
        return skipBracketed(t, i);
    }
    const start = i;
    while (i < t.length && !SCALAR_END.test(t[i])) {
        i++;
    }
    if (i === start) {
        throw new ScanError(i, "missing value");
    }
    // A date-time may use a space instead of "T": `1979-05-27 07:32:00Z`.
    if (LOCAL_DATE.test(t.slice(start, i)) && t[i] === " " && /[0-9]/.test(t[i + 1] ?? "")) {
        i++;
        while (i < t.length && !SCALAR_END.test(t[i])) {
            i++;
        }
    }
    return i;
}

/** A key path `a."b.c".'d'`: its decoded segments and the offset just after the last one. */
export function scanKeyPath(t: string, i: number): { path: string[]; end: number } {
    const start = skipWs(t, i);
    const path: string[] = [];
    let quoted = false;
    let end = start;
    i = start;
    for (;;) {
        i = skipWs(t, i);
        const segStart = i;
        if (t[i] === '"') {
            i = skipBasicString(t, i);
            quoted = true;
        } else if (t[i] === "'") {
            i = skipLiteralString(t, i);
            quoted = true;
        } else {
            while (i < t.length && BARE_KEY_CHAR.test(t[i])) {
                i++;
            }
            if (i === segStart) {
                throw new ScanError(i, "expected a key");
            }
        }
        path.push(t.slice(segStart, i));
        end = i;
        const after = skipWs(t, i);
        if (t[after] !== ".") {
            break;
        }
        i = after + 1;
    }
    return { path: quoted ? decodeKeyPath(t.slice(start, end)) : path, end };
}

/** Quoted keys are decoded by smol-toml itself (escapes and all), from a one-line document. */
function decodeKeyPath(raw: string): string[] {
    let node: unknown;
    try {
        node = parse(`${raw} = 0`);
    } catch {
        throw new ScanError(0, "unreadable quoted key");
    }
    const path: string[] = [];
    while (node !== null && typeof node === "object") {
        const keys = Object.keys(node);
        if (keys.length !== 1) {
            break;
        }
        path.push(keys[0]);
        node = (node as Record<string, unknown>)[keys[0]];
    }
    return path;
}

export interface HeaderSpan {
    path: string[];
    array: boolean;
    end: number;
}

/** `[a.b]` or `[[a.b]]` starting at `i` (which holds "["). */
export function scanHeader(t: string, i: number): HeaderSpan {
    const array = t[i + 1] === "[";
    const key = scanKeyPath(t, i + (array ? 2 : 1));
    let j = skipWs(t, key.end);
    const close = array ? "]]" : "]";
    if (!t.startsWith(close, j)) {
        throw new ScanError(j, "expected the end of a table header");
    }
    j += close.length;
    return { path: key.path, array, end: j };
}

export interface KeyValueSpan {
    path: string[];
    valueStart: number;
    valueEnd: number;
}

/** `key = value` starting at `i`; the value may span lines. */
export function scanKeyValue(t: string, i: number): KeyValueSpan {
    const key = scanKeyPath(t, i);
    let j = skipWs(t, key.end);
    if (t[j] !== "=") {
        throw new ScanError(j, "expected '='");
    }
    j = skipWs(t, j + 1);
    return { path: key.path, valueStart: j, valueEnd: skipValue(t, j) };
}
