/**
 * The constant shell scripts behind every file read, write and remove on a host, for both
 * installers (the SSH layer and remote.Command). Paths, modes, owners and expectations only
 * ever arrive as quoted positional parameters; content (and any hash of it) only on stdin,
 * framed as in frame.ts. They need a POSIX sh plus GNU coreutils (stat -c, chown --reference,
 * mv -T, mktemp, sha256sum, readlink -f, date +%N).
 */
import { FRAME_TAG } from "./frame";

/** Compare-and-swap failed: the target is not what the caller expected. Nothing changed. */
export const CAS_EXIT = 42;
/** The content that arrived is not what the header announced (short, long, other bytes). Nothing changed. */
export const CONTENT_EXIT = 43;
/** The target cannot be written as a file (a directory, not a regular file, missing directory). Nothing changed. */
export const TARGET_EXIT = 44;

/** A rollback found no backup to restore. Nothing changed. */
export const NO_BACKUP_EXIT = 45;

/** Ends each file's bytes in READ_MANY_SCRIPT's output. */
export const END_MARK = "pitls-end";

/** Marker that starts the scripts' own stderr lines. */
export const MARK = "pitls: ";

const FAIL = `fail() { c=$1; shift; printf '%s\\n' "${MARK}$*" >&2; exit "$c"; }`;

/** Reads the frame header from stdin into $want (length) and $sum (hash). */
const READ_HEADER = `IFS= read -r head || fail ${CONTENT_EXIT} "no content header on stdin (received nothing)"
case $head in "${FRAME_TAG} "*) ;; *) fail ${CONTENT_EXIT} "stdin does not start with a ${FRAME_TAG} header";; esac
head=\${head#"${FRAME_TAG} "}; want=\${head%% *}; sum=\${head#* }
case $sum in *[!0-9a-f]*|'') fail ${CONTENT_EXIT} "bad sha256 in the content header";; esac
[ \${#sum} -eq 64 ] || fail ${CONTENT_EXIT} "bad sha256 in the content header"`;

/** Resolves a symlinked $path to its target (the link stays; its target is what gets replaced). */
const RESOLVE = `if [ -L "$path" ]; then path=$(readlink -f -- "$path" && echo .); path=\${path%??}; fi
dir=\${path%/*}; [ -n "$dir" ] || dir=/`;

/** $bak: where a transaction keeps the previous version of $path (a hard link: same inode, owner and mode). */
const BACKUP_NAME = `bak=$dir/.\${path##*/}.pitls-prev`;

/**
 * Read: $1 = path. Prints "absent" or "file <mode> <owner> <group> <uid> <gid>" on the first line,
 * then the raw content. A dangling symlink counts as absent; other stat errors fail.
 */
export const READ_SCRIPT = `f=$1
if ! info=$(LC_ALL=C stat -L -c '%a %U %G %u %g' -- "$f" 2>&1); then
  case $info in *'No such file or directory'*) echo absent; exit 0;; esac
  printf '%s\\n' "$info" >&2; exit 1
fi
if [ ! -f "$f" ]; then printf '%s\\n' "${MARK}not a regular file: $f" >&2; exit 1; fi
printf 'file %s\\n' "$info"
exec cat -- "$f"`;

/**
 * Read several files in one command (one SSH channel instead of one per file): $@ = paths.
 * Per path, in order: "absent", or "file <mode> <owner> <group> <uid> <gid> <size>", the <size>
 * raw bytes and "\n${END_MARK}". The same checks as READ_SCRIPT (a dangling symlink counts as
 * absent, other stat errors and non-regular files fail). A file that shrinks between stat and
 * read puts the end mark out of place: the parser refuses the output (readManyArgv).
 */
export const READ_MANY_SCRIPT = `for f; do
  if ! info=$(LC_ALL=C stat -L -c '%a %U %G %u %g %s' -- "$f" 2>&1); then
    case $info in *'No such file or directory'*) echo absent; continue;; esac
    printf '%s\\n' "$info" >&2; exit 1
  fi
  if [ ! -f "$f" ]; then printf '%s\\n' "${MARK}not a regular file: $f" >&2; exit 1; fi
  printf 'file %s\\n' "$info"
  head -c "\${info##* }" -- "$f" || exit 1
  printf '\\n%s\\n' '${END_MARK}'
done`;

/**
 * Atomic write: $1 path, $2 mode, $3 owner, $4 group ("" = keep the existing file's, else
 * 0644 / the login user), $5 expectation ("any", "absent" or "stdin": the hash the file must
 * still have comes first on stdin, as an expectation header — never as an argument), optional $6
 * "keep": hard-link the file being replaced to its backup name first (BACKUP_SCRIPT restores
 * it by a rename, which needs no free space). Stdin: a frame (header, then content). A symlink
 * is resolved so the link stays and its target is replaced.
 *
 * Order matters: refuse a directory target or a missing directory before reading anything;
 * write into a temp file in the target's directory (same filesystem, so the rename is atomic)
 * under umask 077 (never readable by others); check that exactly the announced length with the
 * announced SHA-256 arrived; only then chown/chmod, compare-and-swap and rename. Every exit
 * before the rename — an error, a short read because the connection died, HUP/INT/TERM/PIPE —
 * removes the temp file and leaves the target untouched. (cat runs in the background and the
 * script waits for it: a shell defers traps while a foreground child runs, so a SIGTERM would
 * otherwise wait for the blocked cat; the EXIT trap kills it.) On success it prints
 * "written <id>", an id unique to this write (time and temp name; nothing derived from content).
 */
export const WRITE_SCRIPT = `set -euf
umask 077
path=$1 mode=$2 owner=$3 group=$4 expect=$5 keep=\${6-}
tmp= pid=
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || :; fi; if [ -n "$tmp" ]; then rm -f -- "$tmp"; fi' EXIT
trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM; trap 'exit 141' PIPE
${FAIL}
${RESOLVE}
[ -d "$dir" ] || fail ${TARGET_EXIT} "directory $dir does not exist"
[ ! -d "$path" ] || fail ${TARGET_EXIT} "$path is a directory"
if [ -e "$path" ] && [ ! -f "$path" ]; then fail ${TARGET_EXIT} "not a regular file: $path"; fi
case $expect in any|absent|stdin) ;; *) fail 1 "bad expectation";; esac
if [ "$expect" = stdin ]; then
  IFS= read -r head || fail ${CONTENT_EXIT} "no expectation header on stdin (received nothing)"
  case $head in "${FRAME_TAG} - "*) ;; *) fail ${CONTENT_EXIT} "stdin does not start with an expectation header";; esac
  cur=\${head#"${FRAME_TAG} - "}
  case $cur in *[!0-9a-f]*|'') fail ${CONTENT_EXIT} "bad sha256 in the expectation header";; esac
  [ \${#cur} -eq 64 ] || fail ${CONTENT_EXIT} "bad sha256 in the expectation header"
  expect=sha256:$cur
fi
${READ_HEADER}
case $want in *[!0-9]*|'') fail ${CONTENT_EXIT} "bad length in the content header";; esac
tmp=$(mktemp -- "$dir/.pitls.XXXXXX")
exec 3<&0
cat <&3 > "$tmp" & pid=$!
wait "$pid" || fail 1 "could not write $tmp"
pid=
got=$(wc -c < "$tmp"); got=$((got + 0))
[ "$got" -eq "$want" ] || fail ${CONTENT_EXIT} "received $got of $want bytes; $path left untouched"
have=$(sha256sum < "$tmp"); have=\${have%% *}
[ "$have" = "$sum" ] || fail ${CONTENT_EXIT} "sha256 mismatch: the $got bytes received are not the content sent; $path left untouched"
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
  absent) if [ -e "$path" ] || [ -L "$path" ]; then fail ${CAS_EXIT} "the file exists"; fi ;;
  sha256:*)
    [ -e "$path" ] || fail ${CAS_EXIT} "the file is missing"
    cur=$(sha256sum < "$path"); cur=\${cur%% *}
    [ "$cur" = "\${expect#sha256:}" ] || fail ${CAS_EXIT} "its content is not the one expected (no hash shown: it may be a key's)" ;;
esac
if [ "$keep" = keep ]; then
  ${BACKUP_NAME}
  rm -f -- "$bak"
  if [ -n "$existed" ]; then ln -- "$path" "$bak"; fi
fi
id=$(date +%s%N)-\${tmp##*.}
mv -f -T -- "$tmp" "$path"
tmp=
echo "written $id"`;

/**
 * Guarded remove: $1 path, $2 expectation ("any", or "stdin": a frame header on stdin gives
 * the SHA-256 the file must still have — the rest of stdin is read and ignored), $3 what to do
 * when the file has other bytes ("fail": exit ${CAS_EXIT}; "keep": leave it, say so, exit 0),
 * optional $4 "keep": move the file to its backup name instead of deleting it (BACKUP_SCRIPT
 * puts it back). Prints "absent", "removed" or "kept". A symlink itself is removed (its
 * target's content is what is compared).
 */
export const REMOVE_SCRIPT = `set -euf
path=$1 expect=$2 changed=$3 keep=\${4-}
${FAIL}
sum=
case $expect in
  any) ;;
  stdin)
${READ_HEADER}
    cat > /dev/null ;;
  *) fail 1 "bad expectation" ;;
esac
if [ ! -e "$path" ] && [ ! -L "$path" ]; then echo absent; exit 0; fi
[ ! -d "$path" ] || fail ${TARGET_EXIT} "$path is a directory"
if [ -n "$sum" ]; then
  why=
  if [ ! -e "$path" ]; then why="the symlink target is missing"
  else cur=$(sha256sum < "$path"); cur=\${cur%% *}; [ "$cur" = "$sum" ] || why="$path changed since it was written"; fi
  if [ -n "$why" ]; then
    [ "$changed" = keep ] || fail ${CAS_EXIT} "$why"
    printf '%s\\n' "${MARK}$why; left in place" >&2; echo kept; exit 0
  fi
fi
if [ "$keep" = keep ]; then
  dir=\${path%/*}; [ -n "$dir" ] || dir=/
  ${BACKUP_NAME}
  mv -f -T -- "$path" "$bak"
else
  rm -f -- "$path"
fi
echo removed`;

/**
 * A transaction's backups (see WRITE_SCRIPT's "keep"): $1 "restore" or "drop", $2 path, $3 for
 * restore: what the file must be now — "absent", or "stdin" (a frame header on stdin gives its
 * SHA-256; the rest is ignored). Restore renames the backup over the file (no free space
 * needed, owner and mode as they were); without a backup it exits ${NO_BACKUP_EXIT}, changing
 * nothing. Drop removes the backup. Prints "restored" or "dropped".
 */
export const BACKUP_SCRIPT = `set -euf
op=$1 path=$2 expect=\${3-any}
${FAIL}
sum=
case $expect in
  any|absent) ;;
  stdin)
${READ_HEADER}
    cat > /dev/null ;;
  *) fail 1 "bad expectation" ;;
esac
${RESOLVE}
${BACKUP_NAME}
case $op in
  drop) rm -f -- "$bak"; echo dropped; exit 0 ;;
  restore) ;;
  *) fail 1 "bad operation" ;;
esac
if [ ! -e "$bak" ] && [ ! -L "$bak" ]; then fail ${NO_BACKUP_EXIT} "no backup of $path to restore"; fi
if [ "$expect" = absent ]; then
  if [ -e "$path" ] || [ -L "$path" ]; then fail ${CAS_EXIT} "the file exists"; fi
elif [ -n "$sum" ]; then
  [ -e "$path" ] || fail ${CAS_EXIT} "the file is missing"
  cur=$(sha256sum < "$path"); cur=\${cur%% *}
  [ "$cur" = "$sum" ] || fail ${CAS_EXIT} "its content is not the one expected (no hash shown: it may be a key's)"
fi
mv -f -T -- "$bak" "$path"
echo restored`;
