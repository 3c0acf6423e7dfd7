/**
 * The `systemctl` stand-in each sandbox host gets (there is no systemd here).
 * Mounted on /usr/local/sbin/systemctl and over /usr/bin/systemctl in the host's
 * namespace, so `systemctl`, `sudo systemctl` (secure_path) and `/usr/bin/systemctl`
 * all reach it. It models Type=simple services: `restart` returns 0 once the process
 * is spawned, even if it exits right after; `is-active` then tells.
 */
import { UNIT_NAME_RE, type UnitSpec } from "./units";

/** Quotes a value for POSIX sh (single quotes; no expansion). */
export function shQuote(s: string): string {
    return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A unit's `<unit>.env` file: what a .service file would say, reduced to what the shim uses. */
export function unitFile(unit: UnitSpec): string {
    if (!UNIT_NAME_RE.test(unit.name)) throw new Error(`sandbox: bad unit name ${unit.name}`);
    return [
        `# ${unit.name}.service for the pitls sandbox systemctl shim (stand-in for a systemd unit file).`,
        `# ExecStart is split on blanks (never globbed); it runs detached as User:Group from /.`,
        `ExecStart=${unit.execStart}`,
        `User=${unit.user}`,
        `Group=${unit.group}`,
        "",
    ].join("\n");
}

/** The shim script with the host's directory baked in: it runs inside the namespace, with no other way to find it. */
export function shimScript(hostDir: string): string {
    return `#!/bin/sh
# systemctl stand-in for one pitls sandbox host; systemd is not running on this machine.
# Units: $HOST_DIR/units/<unit>.env (ExecStart=, User=, Group=). Main PID: $HOST_DIR/run/<unit>.pid.
# Output: appended to $HOST_DIR/log/<unit>.log. Verbs: start stop restart is-active status
# (daemon-reload is accepted and does nothing). Exit codes follow systemctl:
# 0 ok/active, 3 not active, 4 unit unknown to status / access denied, 5 unit not found.
set -uf
HOST_DIR=${shQuote(hostDir)}
UNITS="$HOST_DIR/units" RUN="$HOST_DIR/run" LOG="$HOST_DIR/log"

# Field N after "(comm)" in /proc/PID/stat: 1 = state, 4 = session id.
stat_field() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f"$2"; }

# Running (zombies count as dead: PID 1 here does not reap) and, where readable, in this
# host's mount namespace, so a reused PID of another process is not mistaken for the unit.
alive() {
    case "$(stat_field "$1" 1)" in ''|Z|X) return 1 ;; esac
    ns=$(readlink "/proc/$1/ns/mnt" 2>/dev/null) || return 0
    [ "$ns" = "$(readlink /proc/$$/ns/mnt)" ]
}

main_pid() { cat "$RUN/$1.pid" 2>/dev/null; }

# active: main PID runs; failed: it was started and has exited; inactive: never started or stopped.
state() {
    pid=$(main_pid "$1")
    if [ -z "$pid" ]; then echo inactive; elif alive "$pid"; then echo active; else echo failed; fi
}

load_unit() {
    case "$1" in ''|*[!A-Za-z0-9@._-]*) return 1 ;; esac
    [ -f "$UNITS/$1.env" ] || return 1
    ExecStart='' User=root Group=''
    while IFS='=' read -r key value; do
        case "$key" in ExecStart) ExecStart=$value ;; User) User=$value ;; Group) Group=$value ;; esac
    done < "$UNITS/$1.env"
}

need_root() {
    [ "$(id -u)" = 0 ] && return 0
    echo "Failed to $1 $2.service: Interactive authentication required." >&2
    exit 4
}

do_start() {
    [ "$(state "$1")" = active ] && return 0
    mkdir -p "$RUN" "$LOG"
    echo "$(date -Is) systemctl shim: starting $1: $ExecStart" >>"$LOG/$1.log"
    # setsid leaves the caller's session (ssh, sudo's pty) so the service outlives it; it
    # does not fork here (a background job is no group leader), so $! is the service's PID.
    (cd / && exec setsid setpriv --reuid="$User" --regid="\${Group:-$User}" --init-groups --reset-env -- $ExecStart) \\
        </dev/null >>"$LOG/$1.log" 2>&1 &
    pid=$!
    echo "$pid" >"$RUN/$1.pid"
    # Return once the new session exists (the service can no longer be hung up) or it has exited.
    i=0
    while [ $i -lt 50 ] && alive "$pid" && [ "$(stat_field "$pid" 4)" != "$pid" ]; do sleep 0.1; i=$((i + 1)); done
}

do_stop() {
    pid=$(main_pid "$1")
    if [ -n "$pid" ] && alive "$pid"; then
        kill -TERM "$pid" 2>/dev/null
        i=0
        while alive "$pid" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
        if alive "$pid"; then
            echo "$(date -Is) systemctl shim: $1 ignored SIGTERM for 10 s; SIGKILL" >>"$LOG/$1.log"
            kill -KILL "$pid" 2>/dev/null
            while alive "$pid" && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
        fi
    fi
    rm -f "$RUN/$1.pid"
}

do_status() {
    st=$(state "$1")
    echo "● $1.service - $1 (pitls sandbox systemctl shim)"
    echo "     Loaded: loaded ($UNITS/$1.env)"
    case "$st" in
        active) echo "     Active: active (running)"; echo "   Main PID: $(main_pid "$1")" ;;
        failed) echo "     Active: failed (Result: exit-code)"; echo "   Main PID: $(main_pid "$1") (dead)" ;;
        *) echo "     Active: inactive (dead)" ;;
    esac
    echo
    tail -n 10 "$LOG/$1.log" 2>/dev/null
    [ "$st" = active ]
}

verb=\${1:-}
[ $# -gt 0 ] && shift
case "$verb" in
    daemon-reload) exit 0 ;;
    start | stop | restart | is-active | status) ;;
    '') echo "systemctl (pitls sandbox shim): usage: systemctl start|stop|restart|is-active|status UNIT..." >&2; exit 1 ;;
    *) echo "Unknown command verb $verb." >&2; exit 1 ;;
esac
quiet=0 units=''
for arg in "$@"; do
    case "$arg" in
        -q | --quiet) quiet=1 ;;
        --no-pager | --no-block | --full | -l) ;;
        -*) echo "systemctl (pitls sandbox shim): unsupported option $arg" >&2; exit 1 ;;
        *) units="$units \${arg%.service}" ;;
    esac
done
[ -n "$units" ] || { echo "Too few arguments." >&2; exit 1; }

rc=0
for unit in $units; do
    if ! load_unit "$unit"; then
        case "$verb" in
            is-active) [ $quiet = 1 ] || echo inactive; rc=3 ;;
            status) echo "Unit $unit.service could not be found." >&2; rc=4 ;;
            *) echo "Failed to $verb $unit.service: Unit $unit.service not found." >&2; exit 5 ;;
        esac
        continue
    fi
    case "$verb" in
        start) need_root start "$unit"; do_start "$unit" ;;
        stop) need_root stop "$unit"; do_stop "$unit" ;;
        restart) need_root restart "$unit"; do_stop "$unit"; do_start "$unit" ;;
        is-active)
            st=$(state "$unit")
            [ $quiet = 1 ] || echo "$st"
            [ "$st" = active ] || rc=3 ;;
        status) do_status "$unit" || rc=3 ;;
    esac
done
exit $rc
`;
}

/**
 * The `journalctl` STAND-IN: there is no journal on these hosts; the systemctl stand-in
 * appends each unit's output to log/<unit>.log, and this prints its last lines, so a
 * log command written for systemd hosts (`journalctl -u influxdb -n 20 --no-pager -o cat`)
 * works here unchanged. Mounted like the systemctl shim.
 */
export function journalctlScript(hostDir: string): string {
    return `#!/bin/sh
# journalctl STAND-IN for one pitls sandbox host (no systemd journal on this machine): prints
# the last lines of $HOST_DIR/log/<unit>.log, which the systemctl stand-in appends to.
# Options: -u/--unit UNIT, -n/--lines N (default 10), --no-pager, -o/--output FORMAT (ignored:
# lines are printed as written), -q/--quiet, --version.
set -uf
HOST_DIR=${shQuote(hostDir)}
unit='' lines=10
while [ $# -gt 0 ]; do
    case "$1" in
        -u | --unit) unit=\${2:-}; shift 2 || shift ;;
        --unit=*) unit=\${1#--unit=}; shift ;;
        -n | --lines) lines=\${2:-10}; shift 2 || shift ;;
        --lines=*) lines=\${1#--lines=}; shift ;;
        -o | --output) shift 2 || shift ;;
        --output=* | --no-pager | -q | --quiet) shift ;;
        --version) echo "journalctl stand-in (pitls sandbox): prints log/<unit>.log"; exit 0 ;;
        *) echo "journalctl stand-in (pitls sandbox): unsupported argument $1" >&2; exit 1 ;;
    esac
done
unit=\${unit%.service}
case "$unit" in ''|*[!A-Za-z0-9@._-]*) echo "journalctl stand-in (pitls sandbox): give -u UNIT" >&2; exit 1 ;; esac
case "$lines" in ''|*[!0-9]*) echo "journalctl stand-in (pitls sandbox): bad -n $lines" >&2; exit 1 ;; esac
[ -f "$HOST_DIR/log/$unit.log" ] || { echo "-- No entries --"; exit 0; }
tail -n "$lines" "$HOST_DIR/log/$unit.log"
`;
}
