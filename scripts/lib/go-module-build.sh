# Sourced by scripts/build-telegraf.sh and scripts/build-influxd.sh: build one
# program of a Go module served by the Go module proxy into build/bin/, from a
# small wrapper module the caller describes. Nothing fetched is committed: the
# wrapper module (go.mod, go.sum) is generated under the ignored build/ and the
# module sources live in Go's module cache.
#
# The caller sets, then calls gmb_main:
#   GMB_NAME      program name, e.g. telegraf (binary build/bin/$GMB_NAME)
#   GMB_MODULE    module path, e.g. github.com/influxdata/telegraf
#   GMB_VERSION   module version without the v, e.g. 1.37.2
#   GMB_PACKAGE   main package to build, e.g. github.com/influxdata/telegraf/cmd/telegraf
#   GMB_TAGS      build tags ("" for none)
#   GMB_LDFLAGS   -X flags that stamp the version into the binary
#   GMB_TOOLS     extra `tool` packages of the wrapper module (space-separated, may be "")
#   GMB_VERSION_CHECK  a shell command run on the built binary ($BIN) whose output must
#                 contain GMB_VERSION
# and may define gmb_before_build (run in the wrapper module's directory, after
# `go mod tidy -e`, before `go build`; e.g. to build helper tools).
#
# Cached: the binary is rebuilt only when it is missing, FORCE=1, or its stamp
# (build/bin/.$GMB_NAME.stamp: module, version, package, tags, ldflags, tools and the
# Go version: what decides the binary) differs. Concurrent runs are serialized by flock.
# GOCACHE and GOMODCACHE stay at Go's defaults (as scripts/build-pulumi.sh), so a
# machine's earlier downloads and compiled packages are reused.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${GMB_BIN_DIR:-$ROOT/build/bin}"
FORCE="${FORCE:-0}"

log() { printf 'build-%s: %s\n' "$GMB_NAME" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1fs", b-a}'; }

gmb_main() {
  command -v go >/dev/null || die "go is not on PATH (need Go >= 1.25)"
  local wrap="$ROOT/build/go/$GMB_NAME"
  local bin="$OUT/$GMB_NAME" stampfile="$OUT/.$GMB_NAME.stamp"
  mkdir -p "$OUT" "$wrap"

  if command -v flock >/dev/null; then
    exec 9>"$OUT/.build-$GMB_NAME.lock"
    flock 9
  fi

  local stamp
  stamp="$(printf '%s\n' "module=$GMB_MODULE" "version=$GMB_VERSION" "package=$GMB_PACKAGE" \
    "tags=$GMB_TAGS" "ldflags=$GMB_LDFLAGS" "tools=$GMB_TOOLS" "go=$(go env GOVERSION)")"
  if [ "$FORCE" != 1 ] && [ -x "$bin" ] && [ -f "$stampfile" ] && [ "$(cat "$stampfile")" = "$stamp" ]; then
    log "up to date ($GMB_NAME $GMB_VERSION), skipped: $bin"
    return 0
  fi

  local total0 t0; total0="$(now)"
  # The wrapper module: requires exactly the wanted version; the program (and
  # helper tools) as `tool` directives so `go mod tidy` keeps what they import.
  # The dependency's own go.mod has no replace directives we would lose.
  {
    printf 'module pitls.local/build/%s\n\ngo 1.25\n\nrequire %s v%s\n\n' "$GMB_NAME" "$GMB_MODULE" "$GMB_VERSION"
    local t; for t in $GMB_PACKAGE $GMB_TOOLS; do printf 'tool %s\n' "$t"; done
  } > "$wrap/go.mod"
  rm -f "$wrap/go.sum"
  t0="$(now)"
  # -e: a test-only dependency of one of the modules in the graph is not served
  # by the proxy; tidy reports it and carries on (nothing we build imports it).
  if ! (cd "$wrap" && GOFLAGS=-mod=mod nice -n 19 go mod tidy -e); then
    die "go mod tidy -e failed in $wrap (is the Go module proxy reachable? GOPROXY=$(go env GOPROXY))"
  fi
  # tidy may raise the requirement if another module needs a newer one: refuse.
  local selected; selected="$(cd "$wrap" && go list -m -f '{{.Version}}' "$GMB_MODULE")"
  [ "$selected" = "v$GMB_VERSION" ] \
    || die "after go mod tidy, $wrap selects $GMB_MODULE $selected, not v$GMB_VERSION"
  log "modules: ready in $(elapsed "$t0")"

  if declare -F gmb_before_build >/dev/null; then (cd "$wrap" && gmb_before_build) || die "preparing the build failed"; fi

  t0="$(now)"
  log "building $GMB_PACKAGE v$GMB_VERSION${GMB_TAGS:+ (tags $GMB_TAGS)} ..."
  # nice -n 19: the machine's cores are shared with tests. -trimpath: no local
  # paths in the binary. Temp file + rename: an interrupted build never leaves a
  # partial binary that looks fresh.
  if ! (cd "$wrap" && nice -n 19 go build -trimpath -buildvcs=false -tags "$GMB_TAGS" \
        -ldflags "-s -w $GMB_LDFLAGS" -o "$bin.tmp" "$GMB_PACKAGE"); then
    rm -f "$bin.tmp"
    die "go build $GMB_PACKAGE failed (see the compiler output above)"
  fi
  local got; got="$(BIN="$bin.tmp" bash -c "$GMB_VERSION_CHECK" 2>&1)" || die "the built $GMB_NAME does not run: $got"
  case "$got" in *"$GMB_VERSION"*) ;; *) rm -f "$bin.tmp"; die "the built $GMB_NAME reports '$got', expected version $GMB_VERSION";; esac
  mv -f "$bin.tmp" "$bin"
  printf '%s\n' "$stamp" > "$stampfile"
  log "built in $(elapsed "$t0") (total $(elapsed "$total0")): $bin ($(du -m "$bin" | cut -f1) MB): $got"
}
