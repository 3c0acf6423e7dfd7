import { TomlError } from "smol-toml";

/**
 * Why a TOML edit, revert or read was refused. `line`/`column` (1-based) point into the
 * text that was being read when the problem is located there.
 *
 * Messages never carry the file's text beyond a short excerpt of the one offending line:
 * configuration files hold secrets (shared secrets, licence keys, passwords) elsewhere.
 */
export class TomlEditError extends Error {
    readonly line?: number;
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

const EXCERPT_MAX = 60;

/** At most EXCERPT_MAX characters of line `line` (1-based) of `text`, JSON-quoted. */
function excerptOfLine(text: string, line: number): string {
    const raw = text.split("\n")[line - 1] ?? "";
    const trimmed = raw.replace(/\r$/, "").trim();
    const cut = trimmed.length > EXCERPT_MAX ? `${trimmed.slice(0, EXCERPT_MAX)}…` : trimmed;
    return JSON.stringify(cut);
}

/**
 * smol-toml's message carries a code frame with the neighbouring lines; only its first
 * line (the description) is kept, plus an excerpt of the offending line itself.
 */
export function fromTomlError(err: unknown, text: string, what: string): TomlEditError {
    if (err instanceof TomlError) {
        const first = err.message.split("\n")[0].replace(/^Invalid TOML document:\s*/, "");
        return new TomlEditError(
            `${what} at line ${err.line}, column ${err.column}: ${first} (line ${err.line}: ${excerptOfLine(text, err.line)})`,
            { line: err.line, column: err.column },
        );
    }
    const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
    return new TomlEditError(`${what}: ${message}`);
}
