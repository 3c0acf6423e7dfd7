import * as crypto from "crypto";
import { shellCommand } from "../ssh/quote";

/**
 * The shell commands that put a file on a host and take it away again, as `remote.Command`
 * runs them. The scripts are constants; the path, mode, owner and hash are quoted
 * positional arguments; the content only ever travels on stdin.
 */

/**
 * Writes stdin to $1 atomically with its final mode from the first byte: under umask 077 the
 * temp file (same directory, so the rename is atomic) is never readable by others, then it
 * gets its owner and mode, then it replaces the target.
 */
const INSTALL_SCRIPT = [
    "set -eu",
    "umask 077",
    'p=$1; mode=$2; owner=$3; group=$4',
    'd=$(dirname -- "$p")',
    '[ -d "$d" ] || { echo "pitls: directory $d does not exist" >&2; exit 3; }',
    't=$(mktemp -- "$d/.pitls.XXXXXX")',
    "trap 'rm -f -- \"$t\"' EXIT",
    'cat > "$t"',
    'chown -- "$owner:$group" "$t"',
    'chmod -- "$mode" "$t"',
    'mv -f -- "$t" "$p"',
    "trap - EXIT",
].join("\n");

/**
 * Removes $1 only if its SHA-256 is still $2: a file someone replaced since (including a
 * successor resource writing the same path) is left alone.
 */
const REMOVE_SCRIPT = [
    "set -eu",
    'p=$1; want=$2',
    '[ -e "$p" ] || exit 0',
    'have=$(sha256sum < "$p" | cut -d " " -f 1)',
    'if [ "$have" = "$want" ]; then rm -f -- "$p"; else echo "pitls: $p changed since it was written; left in place" >&2; fi',
].join("\n");

export interface FileSpec {
    /** Absolute path on the host. */
    path: string;
    /** Octal mode, e.g. "0600". */
    mode: string;
    owner: string;
    group: string;
}

/** Problems with a file spec (checked before anything runs), each naming the argument. */
export function fileSpecProblems(what: string, spec: FileSpec): string[] {
    const problems: string[] = [];
    if (!spec.path.startsWith("/") || spec.path.endsWith("/")) {
        problems.push(`${what}: "${spec.path}" is not an absolute file path`);
    }
    if (!/^0?[0-7]{3}$/.test(spec.mode)) {
        problems.push(`${what}: mode "${spec.mode}" is not an octal mode such as "0600"`);
    }
    for (const [k, v] of [["owner", spec.owner], ["group", spec.group]]) {
        if (!/^[a-z_][a-z0-9_.-]*\$?$/i.test(v)) {
            problems.push(`${what}: ${k} "${v}" is not a user/group name`);
        }
    }
    return problems;
}

function withSudo(argv: string[], sudo: boolean): string {
    return shellCommand(sudo ? ["sudo", "-n", "--", ...argv] : argv);
}

/** `sh -c '<install script>' pitls-install <path> <mode> <owner> <group>` (content on stdin). */
export function installFileCommand(spec: FileSpec, sudo = false): string {
    return withSudo(["sh", "-c", INSTALL_SCRIPT, "pitls-install", spec.path, spec.mode, spec.owner, spec.group], sudo);
}

/** `sh -c '<remove script>' pitls-remove <path> <sha256>`. */
export function removeFileCommand(path: string, sha256: string, sudo = false): string {
    return withSudo(["sh", "-c", REMOVE_SCRIPT, "pitls-remove", path, sha256], sudo);
}

export function sha256Hex(content: string): string {
    return crypto.createHash("sha256").update(content, "utf8").digest("hex");
}
