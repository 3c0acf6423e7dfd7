/**
 * The fixed shell scripts behind readFile / writeFileAtomic / removeFile, and the pure
 * code that builds their argv and parses their output. Scripts are constant text: paths,
 * modes and owners only ever arrive as quoted positional parameters, file content only on
 * stdin. They need a POSIX sh plus GNU coreutils (stat -c, chown --reference, mv -T,
 * mktemp, sha256sum, readlink -f).
 */
import { RemoteFile, WriteOptions } from "./types";

/** Exit code the scripts use for a failed compare-and-swap; chosen to not collide with sudo/sh/coreutils. */
export const CAS_EXIT = 42;

/** Marker that starts the scripts' own stderr lines. */
const MARK = "pitls: ";

/**
 * Read: $1 = path. Prints "absent" or "file <mode> <owner> <group>" on the first line,
 * then the raw content. A dangling symlink counts as absent; other stat errors fail.
 */
export const READ_SCRIPT = `f=$1
if ! info=$(LC_ALL=C stat -L -c '%a %U %G' -- "$f" 2>&1); then
  case $info in *'No such file or directory'*) echo absent; exit 0;; esac
  printf '%s\\n' "$info" >&2; exit 1
fi
if [ ! -f "$f" ]; then printf '%s\\n' "${MARK}not a regular file: $f" >&2; exit 1; fi
printf 'file %s\\n' "$info"
exec cat -- "$f"`;

/**
 * Atomic write: $1 path, $2 mode, $3 owner, $4 group ("" = keep/default), $5 expectation
 * ("any", "absent" or "sha256:<hex>"). Content on stdin. A symlink is resolved so the link
 * stays and its target is replaced. The temp file is created by mktemp under umask 077
 * (mode 0600) in the target's directory, so content is never readable by others before
 * the final owner/mode are set, and the rename is atomic. The EXIT trap removes the temp
 * file on every failure, including the compare-and-swap exit.
 */
export const WRITE_SCRIPT = `set -eu
umask 077
path=$1 mode=$2 owner=$3 group=$4 expect=$5
tmp=
trap 'if [ -n "$tmp" ]; then rm -f -- "$tmp"; fi' EXIT
trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM; trap 'exit 141' PIPE
if [ -L "$path" ]; then path=$(readlink -f -- "$path" && echo .); path=\${path%??}; fi
if [ -e "$path" ] && [ ! -f "$path" ]; then printf '%s\\n' "${MARK}not a regular file: $path" >&2; exit 1; fi
tmp=$(mktemp -- "\${path%/*}/.pitls.XXXXXX")
cat > "$tmp"
sync -- "$tmp" 2>/dev/null || :
existed=
if [ -e "$path" ]; then existed=1; chown --reference="$path" -- "$tmp"; fi
if [ -n "$owner" ]; then
  if [ -n "$group" ]; then chown -- "$owner:$group" "$tmp"
  elif [ -n "$existed" ]; then chown -- "$owner" "$tmp"
  else chown -- "$owner:" "$tmp"; fi
elif [ -n "$group" ]; then chgrp -- "$group" "$tmp"; fi
if [ -n "$mode" ]; then chmod -- "$mode" "$tmp"
elif [ -n "$existed" ]; then chmod --reference="$path" -- "$tmp"
else chmod -- 0644 "$tmp"; fi
case $expect in
  any) ;;
  absent) if [ -e "$path" ] || [ -L "$path" ]; then echo "${MARK}the file exists" >&2; exit ${CAS_EXIT}; fi ;;
  sha256:*)
    if [ ! -e "$path" ]; then echo "${MARK}the file is missing" >&2; exit ${CAS_EXIT}; fi
    cur=$(sha256sum < "$path"); cur=\${cur%% *}
    if [ "$cur" != "\${expect#sha256:}" ]; then echo "${MARK}its sha256 is now $cur" >&2; exit ${CAS_EXIT}; fi ;;
  *) echo "${MARK}bad expectation" >&2; exit 1 ;;
esac
mv -f -T -- "$tmp" "$path"
tmp=`;

/**
 * Guarded delete: $1 path, $2 expectation ("any" or "sha256:<hex>"). Prints "absent" or
 * "removed". A symlink itself is removed (its target's content is what is compared).
 */
export const REMOVE_SCRIPT = `set -eu
path=$1 expect=$2
if [ ! -e "$path" ] && [ ! -L "$path" ]; then echo absent; exit 0; fi
if [ -d "$path" ]; then printf '%s\\n' "${MARK}not a regular file: $path" >&2; exit 1; fi
case $expect in
  any) ;;
  sha256:*)
    if [ ! -e "$path" ]; then echo "${MARK}the symlink target is missing" >&2; exit ${CAS_EXIT}; fi
    cur=$(sha256sum < "$path"); cur=\${cur%% *}
    if [ "$cur" != "\${expect#sha256:}" ]; then echo "${MARK}its sha256 is now $cur" >&2; exit ${CAS_EXIT}; fi ;;
  *) echo "${MARK}bad expectation" >&2; exit 1 ;;
esac
rm -f -- "$path"
echo removed`;

/** Lowercase hex SHA-256. */
export function sha256Hex(data: Buffer | string): string {
    const crypto = require("crypto") as typeof import("crypto");
    return crypto.createHash("sha256").update(data).digest("hex");
}

/** Throw unless `path` is an absolute path naming a file (not ending in "/", ".", ".."). */
export function checkRemotePath(path: string): void {
    if (typeof path !== "string" || !path.startsWith("/")) {
        throw new Error(`remote path must be absolute: ${JSON.stringify(path)}`);
    }
    if (path.includes("\0")) {
        throw new Error(`remote path contains a NUL byte: ${JSON.stringify(path)}`);
    }
    const last = path.slice(path.lastIndexOf("/") + 1);
    if (last === "" || last === "." || last === "..") {
        throw new Error(`remote path must name a file: ${JSON.stringify(path)}`);
    }
}

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$/;
const MODE = /^[0-7]{3,4}$/;
const HEX64 = /^[0-9a-f]{64}$/;

function expectation(expected: string | null | undefined): string {
    if (expected === undefined) {
        return "any";
    }
    if (expected === null) {
        return "absent";
    }
    if (!HEX64.test(expected)) {
        throw new Error(`expectedSha256 must be 64 lowercase hex digits, got ${JSON.stringify(expected)}`);
    }
    return "sha256:" + expected;
}

export function readFileArgv(path: string): string[] {
    checkRemotePath(path);
    return ["sh", "-c", READ_SCRIPT, "sh", path];
}

/** Parse READ_SCRIPT's stdout. */
export function parseReadOutput(stdout: Buffer): RemoteFile {
    const nl = stdout.indexOf(0x0a);
    const head = (nl < 0 ? stdout : stdout.subarray(0, nl)).toString("utf8");
    if (head === "absent") {
        return { exists: false, content: Buffer.alloc(0), sha256: "" };
    }
    const m = /^file ([0-7]+) (\S+) (\S+)$/.exec(head);
    if (!m || nl < 0) {
        throw new Error(`unexpected output from the read script: ${JSON.stringify(head.slice(0, 80))}`);
    }
    const content = Buffer.from(stdout.subarray(nl + 1));
    return { exists: true, content, sha256: sha256Hex(content), mode: m[1], owner: m[2], group: m[3] };
}

export function writeFileArgv(path: string, opts: WriteOptions): string[] {
    checkRemotePath(path);
    if (opts.mode !== undefined && !MODE.test(opts.mode)) {
        throw new Error(`mode must be octal like "0640", got ${JSON.stringify(opts.mode)}`);
    }
    for (const [what, v] of [["owner", opts.owner], ["group", opts.group]] as const) {
        if (v !== undefined && !NAME.test(v)) {
            throw new Error(`${what} must be a user/group name or numeric id, got ${JSON.stringify(v)}`);
        }
    }
    return ["sh", "-c", WRITE_SCRIPT, "sh", path, opts.mode ?? "", opts.owner ?? "", opts.group ?? "", expectation(opts.expectedSha256)];
}

export function removeFileArgv(path: string, expectedSha256?: string): string[] {
    checkRemotePath(path);
    return ["sh", "-c", REMOVE_SCRIPT, "sh", path, expectation(expectedSha256)];
}

/** The scripts' own explanation on stderr (last "pitls: " line), for error messages. */
export function scriptMessage(stderr: Buffer): string {
    const lines = stderr.toString("utf8").split("\n").filter((l) => l.startsWith(MARK));
    return lines.length ? lines[lines.length - 1].slice(MARK.length) : "";
}
