#!/usr/bin/env bash
# The one test command (README, .ci/run): sets up a fresh machine, installs and builds the
# package, brings up the real test hosts, runs every test with node's test runner and always
# takes the hosts down again. Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

bash test/setup-machine.sh
npm ci --no-audit --no-fund
npm run build
npx tsc -p tsconfig.test.json

cleanup() { npm run --silent sandbox -- down || true; }
trap cleanup EXIT
npm run --silent sandbox -- up

# One file at a time: the integration tests share the test hosts.
node --test --test-reporter=spec --test-concurrency=1 bin-test/test/
echo "test/all.sh: finished in $(( $(date +%s) - started )) s"
