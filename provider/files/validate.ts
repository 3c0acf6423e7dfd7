/**
 * What a path, mode, owner and group on a host may look like: one rule set for both
 * installers (the SSH layer and the remote.Command scripts) and for the components' checks.
 */

/** A file a certificate/key installer writes. Owner and group: a user/group name or a numeric id. */
export interface FileSpec {
    /** Absolute path on the host. */
    path: string;
    /** Octal mode, e.g. "0600". */
    mode: string;
    owner: string;
    group: string;
}

// Any C0 or C1 control character or DEL: newlines and NUL included (they cannot be reviewed, and NUL cannot be passed at all).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const MODE = /^0?[0-7]{3}$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/;
const ID = /^[0-9]{1,10}$/;

/** Why `path` is not an absolute path naming a file, or undefined when it is. */
export function pathProblem(path: unknown): string | undefined {
    if (typeof path !== "string" || !path.startsWith("/")) {
        return `${JSON.stringify(path)} is not an absolute path`;
    }
    if (CONTROL.test(path)) {
        return `${JSON.stringify(path)} contains a control character (newline, NUL, …)`;
    }
    const segments = path.split("/").slice(1);
    if (segments.some((s) => s === "" || s === "." || s === "..")) {
        return `${JSON.stringify(path)} must name a file without empty, "." or ".." segments`;
    }
    return undefined;
}

export function modeProblem(mode: unknown): string | undefined {
    return typeof mode === "string" && MODE.test(mode) ? undefined : `mode ${JSON.stringify(mode)} is not an octal mode such as "0600"`;
}

/** Owner or group: a name (as useradd allows) or a numeric id. */
export function principalProblem(what: "owner" | "group", v: unknown): string | undefined {
    return typeof v === "string" && (NAME.test(v) || ID.test(v)) ? undefined : `${what} ${JSON.stringify(v)} is not a user/group name or numeric id`;
}

/** Problems with a file spec (checked before anything runs), each naming the property it is about. */
export function fileSpecFailures(spec: Partial<FileSpec>): { property: keyof FileSpec; reason: string }[] {
    const found: [keyof FileSpec, string | undefined][] = [
        ["path", pathProblem(spec.path)],
        ["mode", modeProblem(spec.mode)],
        ["owner", principalProblem("owner", spec.owner)],
        ["group", principalProblem("group", spec.group)],
    ];
    return found.flatMap(([property, reason]) => reason === undefined ? [] : [{ property, reason }]);
}

/** Problems with a file spec (checked before anything runs), each prefixed with `what`. */
export function fileSpecProblems(what: string, spec: Partial<FileSpec>): string[] {
    return fileSpecFailures(spec).map((p) => `${what}: ${p.reason}`);
}

/** Throw the first problem of an optional mode/owner/group and a required path. */
export function assertWritable(path: string, opts: { mode?: string; owner?: string; group?: string }): void {
    const problem = pathProblem(path)
        ?? (opts.mode === undefined ? undefined : modeProblem(opts.mode))
        ?? (opts.owner === undefined ? undefined : principalProblem("owner", opts.owner))
        ?? (opts.group === undefined ? undefined : principalProblem("group", opts.group));
    if (problem !== undefined) {
        throw new Error(`remote file: ${problem}`);
    }
}
