/**
 * Errors raised by the SSH layer. Messages name the target (user@host:port), the command
 * and exit code and the tail of stderr — never key material, passwords or stdin.
 */

/** Base class: something failed talking to `user@host:port`. */
export class SshError extends Error {
    constructor(
        message: string,
        /** "user@host:port" of the target. */
        readonly target: string,
    ) {
        super(message);
        // Set explicitly: inlined into a serialized provider, the class calls Error as a
        // function, which does not set the message on `this`.
        this.message = message;
        this.name = "SshError";
    }
}

/** The server's host key does not match the pin. Nothing was executed. */
export class HostKeyMismatchError extends SshError {
    constructor(
        target: string,
        readonly expected: readonly string[],
        readonly actual: string,
        /** Key type the server presented ("ssh-ed25519"), when known. */
        readonly actualType?: string,
        /** Whether the pin named its key types (then the server was asked for exactly those). */
        pinTyped = false,
    ) {
        const host = target.replace(/^[^@]*@/, "");
        const presented = actualType ? ` (the server presented its ${actualType} host key)` : "";
        // A bare fingerprint does not say which key type it belongs to, and a server with
        // several host keys presents the type it prefers (ssh2 asks for ed25519 first).
        const hint = pinTyped ? "" :
            "; if the pin is the fingerprint of another of this host's keys (ECDSA, RSA), name its type: " +
            "hostKey: \"ecdsa-sha2-nistp256 SHA256:…\" or \"ssh-rsa SHA256:…\" (or give the public key line)";
        super(`host key mismatch for ${host}: expected ${expected.join(" or ")}, got ${actual}${presented}${hint}`, target);
        this.name = "HostKeyMismatchError";
    }
}

/** A remote command exited with a code that was not accepted (or was killed by a signal). */
export class SshCommandError extends SshError {
    constructor(
        target: string,
        /** The command line as sent (quoted argv, incl. any `sudo -n --` prefix). */
        readonly command: string,
        /** Exit code; -1 when the command was killed by a signal. */
        readonly code: number,
        /** Last ≤500 characters of stderr. */
        readonly stderrTail: string,
        readonly signal?: string,
    ) {
        const how = signal ? `was killed by signal ${signal}` : `exited with code ${code}`;
        super(
            `command on ${target} ${how}: ${command}\n` +
                (stderrTail ? `stderr: ${stderrTail}` : "stderr: (empty)") + sudoHint(target, command, stderrTail),
            target,
        );
        this.name = "SshCommandError";
    }
}

/** When `sudo -n` itself refused (no NOPASSWD rule), say so plainly: the command never ran. */
function sudoHint(target: string, command: string, stderr: string): string {
    if (!command.startsWith("sudo -n ") || !/sudo: (a password is required|.*not in the sudoers|.*is not allowed to|.*may not run sudo)/.test(stderr)) {
        return "";
    }
    const user = target.replace(/@.*$/, "");
    return `\nsudo refused to run it without a password: ${user} needs a NOPASSWD sudo rule on the host ` +
        "(or log in as root without sudo: true); nothing was run";
}

/** A remote command ran longer than its timeout; `timeout` on the host stopped it (TERM, then KILL). */
export class SshTimeoutError extends SshError {
    constructor(target: string, readonly program: string, readonly seconds: number) {
        super(`command "${program}" on ${target} timed out after ${seconds}s and was stopped on the host`, target);
        this.name = "SshTimeoutError";
    }
}

/** A compare-and-swap write or guarded delete found the file changed. The file was left as it was. */
export class CompareAndSwapError extends SshError {
    constructor(target: string, readonly path: string, readonly detail: string) {
        const host = target.replace(/^[^@]*@/, "").replace(/:\d+$/, "");
        super(`${path} changed on ${host} since it was read (compare-and-swap failed: ${detail})`, target);
        this.name = "CompareAndSwapError";
    }
}

/**
 * True for a CompareAndSwapError. Checks the name, not the prototype, because serialized
 * provider code may carry its own copy of the class.
 */
export function isCompareAndSwapError(err: unknown): err is CompareAndSwapError {
    return err instanceof Error && err.name === "CompareAndSwapError";
}

/** The last `max` characters of command output (a Buffer read as UTF-8), trimmed: the end is where the cause is. */
export function tail(output: string | Buffer, max = 500): string {
    const text = (typeof output === "string" ? output : output.toString("utf8")).trim();
    return text.length <= max ? text : "…" + text.slice(text.length - max);
}
