/**
 * POSIX shell quoting. Every remote command in this package is built by `shellCommand`,
 * so this file is the single place where data meets the shell.
 */

/** Characters that never need quoting in any POSIX shell word position. `=` is left out
 * on purpose: an unquoted `a=b` as the first word is an assignment, not a command. */
const SAFE = /^[A-Za-z0-9_\/.,:@%+-]+$/;

/**
 * Quote one argument so that `sh` passes it through as exactly one word, byte for byte.
 * Uses single quotes, with each embedded `'` written as `'\''`. Throws on NUL bytes,
 * which no POSIX argument can carry.
 */
export function shellQuote(arg: string): string {
    if (typeof arg !== "string") {
        throw new TypeError(`shellQuote: expected a string, got ${typeof arg}`);
    }
    if (arg.includes("\0")) {
        throw new Error("shellQuote: argument contains a NUL byte, which a command line cannot carry");
    }
    if (SAFE.test(arg)) {
        return arg;
    }
    return "'" + arg.replace(/'/g, "'\\''") + "'";
}

/** Join an argv into one shell command line, quoting every element. */
export function shellCommand(argv: readonly string[]): string {
    if (argv.length === 0) {
        throw new Error("shellCommand: argv is empty");
    }
    return argv.map(shellQuote).join(" ");
}
