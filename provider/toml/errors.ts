import { TomlError } from "smol-toml";

/**
 * Why a TOML edit, revert or read was refused. `line`/`column` (1-based) point into the
 * text that was being read when the problem is located there.
 *
 * Messages never carry the file's values: configuration files hold secrets (shared secrets,
 * licence keys, passwords), so at most the offending line's key or table header is named.
 */
export class TomlEditError extends Error {
    /** 1-based line of the problem, when it has one. */
    readonly line?: number;
    /** 1-based column of the problem, when it has one. */
    readonly column?: number;

    constructor(message: string, where?: { line: number; column: number }) {
        super(message);
        // Set explicitly: inlined into a serialized provider, the class calls Error as a
        // function, which does not set the message on `this`.
        this.message = message;
        this.name = "TomlEditError";
        if (where) {
            this.line = where.line;
            this.column = where.column;
        }
    }
}

const KEY_MAX = 60;

/**
 * What the offending line (1-based) is about, without its value: values can be secrets
 * (`shared-secret = "…"`), so only the key before `=` (or the table header) is named, cut to
 * KEY_MAX characters, JSON-quoted. A line that is neither gives nothing.
 */
function lineSubject(text: string, line: number): string {
    const raw = (text.split("\n")[line - 1] ?? "").replace(/\r$/, "").trim();
    const header = /^\[\[?[A-Za-z0-9_.\- ]+\]\]?/.exec(raw);
    if (header) {
        return ` (table header ${JSON.stringify(cut(header[0]))})`;
    }
    const eq = raw.indexOf("=");
    if (eq <= 0) {
        return "";
    }
    const key = raw.slice(0, eq).trim();
    // Only something shaped like a key is named (a line inside a multi-line string or array
    // may be anything, including the secret itself).
    if (!/^(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+))*$/.test(key)) {
        return "";
    }
    return ` (key ${JSON.stringify(cut(key))})`;
}

function cut(s: string): string {
    return s.length > KEY_MAX ? `${s.slice(0, KEY_MAX)}…` : s;
}

/**
 * smol-toml's message carries a code frame with the neighbouring lines; only its first
 * line (the description) is kept, plus the key (never the value) of the offending line.
 */
export function fromTomlError(err: unknown, text: string, what: string): TomlEditError {
    if (err instanceof TomlError) {
        const first = err.message.split("\n")[0].replace(/^Invalid TOML document:\s*/, "");
        return new TomlEditError(
            `${what} at line ${err.line}, column ${err.column}: ${first}${lineSubject(text, err.line)}`,
            { line: err.line, column: err.column },
        );
    }
    const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
    return new TomlEditError(`${what}: ${message}`);
}
