#!/usr/bin/env bash
# Builds the Pulumi CLI and the plugins our tests need into build/bin/, from
# Go modules only.
#
# Why: no Pulumi binary can be downloaded on our machines (get.pulumi.com and
# GitHub releases are unreachable); the Go module proxy and the npm registry
# are reachable. So:
#   pulumi                         the real CLI, github.com/pulumi/pulumi/pkg/v3/cmd/pulumi,
#                                  built as a dependency of tools/pulumi (pkg/v3's own
#                                  go.mod has a local replace, so `go install pkg@v` refuses it)
#   pulumi-language-nodejs         tools/pulumi/cmd/pulumi-language-nodejs, our minimal
#                                  Node.js language host (the real one's module is not
#                                  served by the proxy; see that file's header)
#   pulumi-resource-pulumi-nodejs  shell shim that runs dynamic providers with
#                                  @pulumi/pulumi/cmd/dynamic-provider (the same job as
#                                  the script @pulumi/pulumi ships in its npm package)
# Not built: pulumi-resource-command and pulumi-resource-tls. Their Go modules
# (github.com/pulumi/pulumi-command/provider, github.com/pulumi/pulumi-tls/provider/v5)
# are not served by the proxy, and no registry package ships their binaries.
#
# Usage: scripts/build-pulumi.sh          build what is missing or stale
#        FORCE=1 scripts/build-pulumi.sh  rebuild everything
#        PULUMI_BIN_DIR=/x scripts/...    output elsewhere (default build/bin)
# Then:  export PATH="$PWD/build/bin:$PATH" PULUMI_SKIP_UPDATE_CHECK=true \
#               PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
#
# Idempotent: a binary is rebuilt only when it is missing or older than
# tools/pulumi/go.mod, go.sum, the language host's sources or this script.
# GOCACHE and GOMODCACHE are left at Go's defaults on purpose, so CI runs on
# the same machine reuse the developer's module downloads and compiled packages.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/tools/pulumi"
OUT="${PULUMI_BIN_DIR:-$ROOT/build/bin}"
FORCE="${FORCE:-0}"

log() { printf 'build-pulumi: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

command -v go >/dev/null || die "go is not on PATH (need Go >= 1.26, see tools/pulumi/go.mod)"
command -v node >/dev/null || log "warning: node is not on PATH; the language host and dynamic-provider shim need it at run time"

# The CLI version comes from the pkg/v3 requirement in tools/pulumi/go.mod, so
# bumping Pulumi is a one-line go.mod change (plus `go mod tidy`).
# (Matches both `require M v` and a `M v` line inside a require block.)
PULUMI_VERSION="$(awk '{for(i=1;i<NF;i++) if($i=="github.com/pulumi/pulumi/pkg/v3"){print $(i+1); exit}}' "$TOOLS/go.mod")"
[ -n "$PULUMI_VERSION" ] || die "could not read the pkg/v3 version from $TOOLS/go.mod"
SDK_VERSION="$(awk '{for(i=1;i<NF;i++) if($i=="github.com/pulumi/pulumi/sdk/v3"){print $(i+1); exit}}' "$TOOLS/go.mod")"
# pkg/v3 is developed against the sdk/v3 of the same commit (its go.mod
# replaces it with ../sdk); mixing versions can compile yet misbehave.
[ "$SDK_VERSION" = "$PULUMI_VERSION" ] \
  || die "tools/pulumi/go.mod: sdk/v3 is '$SDK_VERSION' but pkg/v3 is '$PULUMI_VERSION'; require both at the same version"
# pulumi (and `pulumi version`) report this variable; unset, they print "v3.0.0"-ish
# dev strings, and plugin/SDK compatibility checks use it.
# -s -w drop the symbol table and DWARF: the CLI shrinks by about a quarter and
# links faster; nobody debugs these binaries with a debugger.
LDFLAGS="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION"

mkdir -p "$OUT"

# Serialize concurrent runs (a developer and CI on the same machine) so they
# do not both compile, or swap a binary under each other.
if command -v flock >/dev/null; then
  exec 9>"$OUT/.build-pulumi.lock"
  flock 9
fi

# Inputs whose change must trigger a rebuild.
INPUTS=("$TOOLS/go.mod" "$TOOLS/go.sum" "${BASH_SOURCE[0]}")
HOST_INPUTS=("${INPUTS[@]}")
while IFS= read -r f; do HOST_INPUTS+=("$f"); done \
  < <(find "$TOOLS/cmd/pulumi-language-nodejs" -name '*.go' -type f | sort)

# up_to_date BIN INPUT... : BIN exists and is newer than every INPUT.
up_to_date() {
  local bin="$1"; shift
  [ "$FORCE" = 1 ] && return 1
  [ -x "$bin" ] || return 1
  local f
  for f in "$@"; do [ "$bin" -nt "$f" ] || return 1; done
  return 0
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1fs", b-a}'; }

# go_build NAME PACKAGE INPUT... : build PACKAGE (resolved in tools/pulumi)
# into $OUT/NAME unless it is up to date.
go_build() {
  local name="$1" pkg="$2"; shift 2
  local bin="$OUT/$name"
  if up_to_date "$bin" "$@"; then
    log "$name: up to date, skipped"
    return 0
  fi
  log "$name: building $pkg ..."
  local t0; t0="$(now)"
  # nice -n 19 and -p 1: the machine has 2 cores that tests share; a Pulumi
  # build must not starve them. -trimpath: reproducible, path-free binaries.
  # -buildvcs=false: the main module sits in this git repo, whose state is
  # irrelevant and may be a shallow CI clone. Write to a temp file and rename,
  # so an interrupted build never leaves a partial binary that looks fresh.
  if ! (cd "$TOOLS" && nice -n 19 go build -p 1 -trimpath -buildvcs=false \
        -ldflags "$LDFLAGS" -o "$bin.tmp" "$pkg"); then
    rm -f "$bin.tmp"
    die "$name: go build $pkg failed (see the compiler output above)"
  fi
  mv -f "$bin.tmp" "$bin"
  log "$name: built in $(elapsed "$t0")"
}

total0="$(now)"

# Fetch modules first, timed on its own, so a slow or failing proxy shows up
# as such rather than as a slow or failing compile. A no-op when cached.
t0="$(now)"
if ! (cd "$TOOLS" && nice -n 19 go mod download); then
  die "go mod download failed in $TOOLS (is the Go module proxy reachable? GOPROXY=$(go env GOPROXY))"
fi
log "modules: ready in $(elapsed "$t0")"

go_build pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "${INPUTS[@]}"
go_build pulumi-language-nodejs ./cmd/pulumi-language-nodejs "${HOST_INPUTS[@]}"

# Dynamic providers (pulumi.dynamic.Resource) run as the provider plugin
# "pulumi-nodejs". The official distribution ships this tiny script next to
# the CLI; @pulumi/pulumi's npm package carries a copy too, but only inside
# each project's node_modules. Ours is equivalent: resolve the dynamic-provider
# entry point as node would from the provider's working directory (the
# project), then exec node on it with the engine's arguments.
SHIM="$OUT/pulumi-resource-pulumi-nodejs"
if ! up_to_date "$SHIM" "${BASH_SOURCE[0]}"; then
  cat > "$SHIM.tmp" <<'EOF'
#!/bin/sh
# Generated by scripts/build-pulumi.sh. Runs Pulumi dynamic providers: resolve
# @pulumi/pulumi/cmd/dynamic-provider from the current directory (the engine
# starts provider plugins in the project directory) and hand it our arguments.
script=$(node -e "console.log(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))") || {
  echo "pulumi-resource-pulumi-nodejs: cannot resolve @pulumi/pulumi/cmd/dynamic-provider from $(pwd); run npm install" >&2
  exit 1
}
exec node "$script" "$@"
EOF
  chmod +x "$SHIM.tmp"
  mv -f "$SHIM.tmp" "$SHIM"
  log "pulumi-resource-pulumi-nodejs: shim written"
else
  log "pulumi-resource-pulumi-nodejs: up to date, skipped"
fi

# Smoke check: the CLI runs and reports the version we stamped.
got="$("$OUT/pulumi" version 2>&1)" || die "built pulumi does not run: $got"
[ "$got" = "$PULUMI_VERSION" ] || die "pulumi version printed '$got', expected '$PULUMI_VERSION'"
log "done in $(elapsed "$total0"): $OUT (pulumi $got)"
