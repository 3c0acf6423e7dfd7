#!/usr/bin/env bash
# Builds the real Telegraf 1.37.2 into build/bin/telegraf from the Go module proxy
# (github.com/influxdata/telegraf v1.37.2), as a custom build with only the
# plugins the sandbox's Telegraf hosts use: inputs.mem and outputs.influxdb
# (Telegraf's own "custom" build tag selects plugins by tag). The sandbox
# installs it on the Telegraf test hosts as the `telegraf` command and service.
#
# Why a build: no Telegraf package can be installed here; the module is served
# and has no replace directives, so a wrapper module builds it unchanged.
#
# Cold: about a minute plus downloads; warm (stamp matches): well under a second.
#
# Usage: scripts/build-telegraf.sh          build if missing or stale
#        FORCE=1 scripts/build-telegraf.sh  rebuild
set -euo pipefail
GMB_NAME=telegraf
GMB_MODULE=github.com/influxdata/telegraf
GMB_VERSION=1.37.2
GMB_PACKAGE=github.com/influxdata/telegraf/cmd/telegraf
GMB_TAGS="custom,inputs.mem,outputs.influxdb"
# `telegraf --version` and the agent's start-up line print this.
GMB_LDFLAGS="-X github.com/influxdata/telegraf/internal.Version=$GMB_VERSION"
GMB_TOOLS=""
GMB_VERSION_CHECK='"$BIN" --version'
# A pure-Go build, as Telegraf's own release builds (CGO_ENABLED=0 in its Makefile).
export CGO_ENABLED=0
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-module-build.sh"
gmb_main
