#!/usr/bin/env bash
# The floor: the least work this rollout can take. Per node ONE SSH connection that unpacks the
# node's files and its finished config (a tar made beforehand: owners and modes in it), restarts
# the service and verifies it (retrying) — nodes of a stage in parallel (or one at a time for a
# "serial" stage). No checks, no rollback, no state: a lower bound, not a tool.
#
# usage: floor.sh <plan dir> <private key> <known_hosts>
#   <plan dir>/stages: one line per stage, "parallel|serial node node …", run in order
#   <plan dir>/<node>/address, remote.sh (the command run on the node), payload.tar (its stdin)
set -euo pipefail
plan=$1 key=$2 known=$3

one() {
  local d="$plan/$1"
  ssh -i "$key" -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes \
      -o UserKnownHostsFile="$known" "root@$(cat "$d/address")" "$(cat "$d/remote.sh")" < "$d/payload.tar"
}

while read -r mode nodes; do
  pids=()
  for n in $nodes; do
    if [ "$mode" = serial ]; then one "$n"; else one "$n" & pids+=("$!"); fi
  done
  for p in "${pids[@]}"; do wait "$p"; done
done < "$plan/stages"
