/**
 * The rule for a file path on a host (configs, certificates, keys). One small function so
 * every check (TomlSettings, components) says the same thing; the file installers' own
 * validation module is meant to use the same rule.
 *
 * A path is: absolute; without `.`, `..` or empty segments (so `/etc/.`, `/etc/../x`,
 * `//x` and a trailing `/` are refused: what is checked is what is written); without NUL,
 * newline or any other C0/C1 control character.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

/** Why `p` is not a usable absolute file path on a host, or undefined when it is. */
export function hostPathProblem(p: unknown): string | undefined {
    if (typeof p !== "string" || p === "") {
        return "an absolute file path on the host is required";
    }
    if (CONTROL.test(p)) {
        return `${JSON.stringify(p)} contains a control character (NUL, newline, …)`;
    }
    if (!p.startsWith("/")) {
        return `${JSON.stringify(p)} is not an absolute path (it must start with "/")`;
    }
    const segments = p.slice(1).split("/");
    if (segments.some((s) => s === "")) {
        return `${JSON.stringify(p)} has an empty segment ("//" or a trailing "/"): give the file's path`;
    }
    if (segments.some((s) => s === "." || s === "..")) {
        return `${JSON.stringify(p)} has a "." or ".." segment: give the file's canonical path`;
    }
    return undefined;
}
