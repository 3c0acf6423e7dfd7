#!/usr/bin/env bash
# The one test command (README, .ci/run): sets up a fresh machine, installs and builds the
# package, brings up the real test hosts, runs every test with node's test runner and always
# takes the hosts down again. Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

# apt packages, npm ci, both builds, the real Pulumi CLI for test/e2e (cached: ~0.2 s when up
# to date, minutes cold; no fallback): the same script `npm start` runs (scripts/install.sh).
bash scripts/install.sh

cleanup() { npm run --silent sandbox -- down || true; }
trap cleanup EXIT
npm run --silent sandbox -- up

# Only *.test.js files: given a directory, node's runner would also run every other .js file
# under a folder named "test" (the sandbox CLI, the stand-in daemons). One file at a time:
# the integration tests share the test hosts.
mapfile -t files < <(find bin-test -name '*.test.js' | sort)
[ "${#files[@]}" -gt 0 ] || { echo "test/all.sh: no test files found" >&2; exit 1; }
node --test --test-reporter=spec --test-concurrency=1 "${files[@]}"
echo "test/all.sh: finished in $(( $(date +%s) - started )) s"
