#!/usr/bin/env bash
# Builds the real InfluxDB OSS data node, influxd 1.13.2, into build/bin/influxd
# from the Go module proxy (github.com/influxdata/influxdb v1.13.2), for the
# sandbox's modern data hosts (test/sandbox: `--influxd 1.13.2`).
#
# Why a build: no InfluxDB 1.13 package can be installed here; the module is served.
# Flux (github.com/influxdata/flux, a dependency of influxd) links a Rust library,
# libflux, found through `#cgo pkg-config: flux`. InfluxData's own pkg-config
# (github.com/influxdata/pkg-config, a dependency of the module) answers for
# "flux" by running `cargo build --release` on the flux sources and printing the
# flags; for anything else it calls the system pkg-config. So: build that tool
# from the module cache, put it first on PATH for the go build, and let cargo
# fetch libflux's crates from crates.io. libflux pins Rust 1.83 in
# rust-toolchain.toml, which cannot be downloaded here; RUSTUP_TOOLCHAIN=stable
# makes rustup use the installed toolchain instead.
#
# Needs: go >= 1.25, cargo/rustc (stable), gcc, pkg-config. Cold: several minutes
# and a ~130 MB binary; warm (stamp matches): well under a second.
#
# Usage: scripts/build-influxd.sh          build if missing or stale
#        FORCE=1 scripts/build-influxd.sh  rebuild
set -euo pipefail
GMB_NAME=influxd
GMB_MODULE=github.com/influxdata/influxdb
GMB_VERSION=1.13.2
GMB_PACKAGE=github.com/influxdata/influxdb/cmd/influxd
GMB_TAGS=""
# influxd prints these in `influxd version` and in the X-Influxdb-Version header.
GMB_LDFLAGS="-X main.version=$GMB_VERSION"
GMB_TOOLS="github.com/influxdata/pkg-config"
GMB_VERSION_CHECK='"$BIN" version'
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-module-build.sh"

# rustup installs to ~/.cargo/bin, which a non-login shell (CI) may not have on PATH.
command -v cargo >/dev/null || { [ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$PATH:$HOME/.cargo/bin"; }
command -v cargo >/dev/null || die "cargo is not on PATH (libflux, Flux's Rust library, needs it; install Rust with rustup)"
command -v pkg-config >/dev/null || die "pkg-config is not on PATH (InfluxData's pkg-config falls back to it)"
export RUSTUP_TOOLCHAIN=stable
TOOLBIN="$ROOT/build/go/$GMB_NAME/bin"
export PATH="$TOOLBIN:$PATH"

gmb_before_build() {
  local t0; t0="$(now)"
  nice -n 19 go build -trimpath -o "$TOOLBIN/pkg-config" github.com/influxdata/pkg-config
  log "InfluxData pkg-config: built in $(elapsed "$t0"): $TOOLBIN/pkg-config"
}

gmb_main

# The default configuration file of that release (what InfluxData's packages install as
# /etc/influxdb/influxdb.conf): the sandbox's 1.13.2 data hosts start from it.
sample="$(cd "$ROOT/build/go/$GMB_NAME" && go list -m -f '{{.Dir}}' "$GMB_MODULE")/etc/config.sample.toml"
[ -f "$sample" ] || die "$sample not found in the module cache"
mkdir -p "$ROOT/build/share"
install -m 0644 "$sample" "$ROOT/build/share/influxdb-$GMB_VERSION.conf"
log "default config: $ROOT/build/share/influxdb-$GMB_VERSION.conf"
