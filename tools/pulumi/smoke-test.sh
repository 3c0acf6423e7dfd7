#!/usr/bin/env bash
# Smoke test for the binaries scripts/build-pulumi.sh puts in build/bin: a
# throwaway JavaScript project with one dynamic resource goes through
# login (file backend) / stack init / up / stack output / destroy, with no
# network beyond loopback needed.
#
# Why not `npm install` in the temp project: to stay offline and fast it links
# the repository's node_modules (which has @pulumi/pulumi). Set
# SMOKE_NPM_INSTALL=1 to `npm install @pulumi/pulumi@<repo's version>` instead.
# Each pulumi command runs under `timeout`, so a hang (e.g. a network lookup)
# fails the test instead of blocking CI.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${PULUMI_BIN_DIR:-$ROOT/build/bin}"
[ -x "$BIN/pulumi" ] || { echo "smoke-test: $BIN/pulumi missing; run scripts/build-pulumi.sh" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export PATH="$BIN:$PATH"
export PULUMI_HOME="$WORK/home"                     # no ~/.pulumi state leaks in or out
export PULUMI_BACKEND_URL="file://$WORK/state"
export PULUMI_CONFIG_PASSPHRASE=smoke
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
mkdir -p "$WORK/state" "$WORK/proj"
cd "$WORK/proj"

cat > Pulumi.yaml <<'EOF'
name: smoke
runtime: nodejs
EOF
cat > package.json <<'EOF'
{ "name": "smoke", "version": "0.0.0", "main": "index.js" }
EOF
cat > index.js <<'EOF'
"use strict";
const pulumi = require("@pulumi/pulumi");
const provider = {
  async create(inputs) { return { id: "id-" + inputs.name, outs: { greeting: "hi " + inputs.name } }; },
  async delete() {},
};
const r = new pulumi.dynamic.Resource(provider, "greeting", { name: "world", greeting: undefined }, {});
exports.greeting = r.greeting;
EOF
if [ "${SMOKE_NPM_INSTALL:-0}" = 1 ]; then
  ver="$(node -p "require('$ROOT/node_modules/@pulumi/pulumi/package.json').version")"
  npm install --no-audit --no-fund --silent "@pulumi/pulumi@$ver"
else
  ln -s "$ROOT/node_modules" node_modules
fi

run() { echo "+ pulumi $*"; timeout 300 pulumi "$@"; }
run version
run stack init dev
run up --yes --skip-preview --non-interactive
got="$(timeout 60 pulumi stack output greeting)"
[ "$got" = "hi world" ] || { echo "smoke-test: expected output 'hi world', got '$got'" >&2; exit 1; }
run destroy --yes --non-interactive
echo "smoke-test: OK (pulumi $(pulumi version))"
