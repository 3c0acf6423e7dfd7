#!/usr/bin/env bash
# The real programs the test hosts run that no package on this machine provides, built from
# the Go module proxy (and crates.io, for Flux's Rust library) into the ignored build/:
#   scripts/build-telegraf.sh  Telegraf 1.37.2, the Telegraf hosts' `telegraf` (tele1)
#   scripts/build-influxd.sh   influxd 1.13.2, the data hosts on 1.13.2 (data2)
# Run before `sandbox up` by scripts/install.sh (test/all.sh and npm start). Cached: well under
# a second each when up to date; cold, minutes (influxd ~4-6 min on 2 cores). No fallback: if
# a build fails, this fails, and nothing runs on a stand-in instead.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
for program in telegraf influxd; do
  started=$(date +%s.%N)
  bash "scripts/build-$program.sh"
  echo "build-host-programs: scripts/build-$program.sh took $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s" >&2
done
