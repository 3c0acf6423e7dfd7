#!/usr/bin/env bash
# Everything a fresh clone on a fresh machine needs before the tests or `npm start` can run:
#   1. the real programs of the test hosts (apt: test/setup-machine.sh; root),
#   2. node_modules (npm ci),
#   3. bin/ (npm run build) and bin-test/ (npx tsc -p tsconfig.test.json: sandbox CLI, stand-ins),
#   4. the real Pulumi CLI and its plugins into build/bin (scripts/build-pulumi.sh),
#   5. the real Telegraf 1.37.2 and influxd 1.13.2 the test hosts run, into build/
#      (scripts/build-host-programs.sh: Go module proxy, crates.io).
# One script, called by both test/all.sh (the test command) and scripts/start.sh (`npm start`),
# so the main job installs exactly what the tests do (a fresh clone's `npm start` used to stop
# at once with `sh: 1: tsc: not found`).
#
#   scripts/install.sh              every step (test/all.sh: CI wants a clean npm ci and builds)
#   scripts/install.sh --if-needed  skip npm ci while node_modules matches package-lock.json, and
#                                   a build whose output is newer than its sources (npm start:
#                                   its second run should not take minutes)
# Steps 1, 4 and 5 are idempotent themselves (quick when everything is there).
set -euo pipefail
cd "$(dirname "$0")/.."

if_needed=0
case "${1:-}" in
  --if-needed) if_needed=1 ;;
  "") ;;
  *) echo "install.sh: unknown argument $1 (use --if-needed or nothing)" >&2; exit 2 ;;
esac

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }
step() { printf 'install: %s\n' "$*" >&2; }

# stale MARKER SRC...: MARKER is missing or a .ts/.json under SRC is newer.
stale() {
  [ "$if_needed" = 0 ] && return 0
  local marker="$1"; shift
  [ -f "$marker" ] || return 0
  [ -n "$(find "$@" \( -name '*.ts' -o -name 'tsconfig*.json' -o -name 'package*.json' \) -not -path '*/node_modules/*' -newer "$marker" -print -quit 2>/dev/null)" ]
}

bash test/setup-machine.sh

# npm writes node_modules/.package-lock.json at the end of every install: newer than
# package-lock.json means node_modules is what the lock file says.
if [ "$if_needed" = 0 ] || [ ! node_modules/.package-lock.json -nt package-lock.json ]; then
  t="$(now)"; step "npm ci"
  npm ci --no-audit --no-fund
  step "npm ci took $(secs "$t") s"
fi
if stale bin/index.js provider tsconfig.json package.json; then
  t="$(now)"; npm run --silent build; step "bin/ built in $(secs "$t") s"
fi
if stale bin-test/test/sandbox/cli.js provider test examples tsconfig.json tsconfig.test.json package.json; then
  t="$(now)"; npx tsc -p tsconfig.test.json; step "bin-test/ built in $(secs "$t") s"
fi
# No fallback: if the CLI cannot be built, this fails (test/all.sh must not skip e2e).
t="$(now)"
bash scripts/build-pulumi.sh
step "scripts/build-pulumi.sh took $(secs "$t") s"
# The same for the test hosts' Telegraf and influxd 1.13.2 (cached by a version stamp).
t="$(now)"
bash scripts/build-host-programs.sh
step "scripts/build-host-programs.sh took $(secs "$t") s"
