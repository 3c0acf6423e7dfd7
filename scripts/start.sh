#!/usr/bin/env bash
# The main job (`npm start`): enable HTTPS on the local test hosts with the real Pulumi CLI.
#
#   npm start                  install + build what is missing (scripts/install.sh, as the
#                              tests do), 3 meta + 4 data + 1 Telegraf hosts up (if not up),
#                              + `pulumi up` of the root project (Pulumi.yaml →
#                              examples/cluster-tls: ClusterTls, one node at a time,
#                              `provided` certificates), then the HTTPS endpoints,
#                              the rollout order and the checks
#   npm start -- rotate        new certificate for every node (same CA), then `pulumi up`:
#                              each node restarted once, in the rolling order
#   npm start -- preview       `pulumi preview --diff` (per-key changes, secrets masked)
#   npm start -- destroy       `pulumi destroy`: every config back, HTTP again
#   npm start -- up --refresh  anything after the action goes to pulumi as is
#
#   npm start -- refresh       `pulumi refresh`: read back what is on the hosts (drift)
#
# Idempotent: installs node_modules only when it does not match package-lock.json, builds bin/
# and bin-test/ only when missing or older than the sources, starts
# the test hosts only when they are not running (on HTTP or HTTPS), makes the CA-signed files
# only when missing or about to expire, creates the stack only once.
#
# Environment (all optional):
#   PULUMI_CONFIG_PASSPHRASE  secrets passphrase of the local stack; default
#                             "local-test-hosts-only" (it guards nothing but state about
#                             throw-away test hosts; never reuse it for a real stack)
#   PITLS_BACKEND_URL         Pulumi backend; default file://<sandbox dir>/pulumi-state
#   PITLS_STACK               stack name; default "sandbox"
#   PITLS_SANDBOX_DIR         test hosts' directory; default <repo>/.sandbox
#   PULUMI                    the pulumi binary; default `pulumi` on PATH, else build/bin/pulumi
#                             (built from Go modules by scripts/build-pulumi.sh)
#
# State lives with the hosts, in <sandbox dir> (git-ignored): pulumi-state/ (backend),
# pulumi-state/Pulumi.<stack>.yaml (the stack config actually used: the root Pulumi.sandbox.yaml
# with absolute paths, plus the stack's encryption salt), ca-signed/ (certificates). When the
# hosts are rebuilt (`npm run sandbox -- down`, or an unhealthy sandbox on `up`) all of it
# goes with them, which is right: fresh hosts carry none of the old changes.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

action="${1:-up}"
[ $# -gt 0 ] && shift
case "$action" in
  up|preview|destroy|refresh|rotate) ;;
  -h|--help|help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) echo "npm start: unknown action '$action' (use: up, preview, destroy, refresh, rotate)" >&2; exit 2 ;;
esac

STACK="${PITLS_STACK:-sandbox}"
SANDBOX_DIR="$(realpath -m "${PITLS_SANDBOX_DIR:-$ROOT/.sandbox}")"
export PITLS_SANDBOX_DIR="$SANDBOX_DIR"
STATE_DIR="$SANDBOX_DIR/pulumi-state"
CERT_DIR="$SANDBOX_DIR/ca-signed"
CONFIG_FILE="$STATE_DIR/Pulumi.$STACK.yaml"
# The program: the root project (Pulumi.yaml → examples/cluster-tls, ClusterTls), run from the repo
# root (no --cwd); stack config template: the root Pulumi.sandbox.yaml. So `pulumi up` in the repo
# root with the config file this script writes is exactly the main job.
PROJECT_DIR="$ROOT"

log() { printf 'start: %s\n' "$*" >&2; }
die() { printf 'start: ERROR: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f s", b-a}'; }
started="$(now)"

# 1. Install and build exactly what the test command does (scripts/install.sh, shared with
# test/all.sh): apt packages, npm ci, bin/, bin-test/, the Pulumi CLI; steps already done are
# skipped, so this works as the first command on a fresh clone and is quick afterwards.
t="$(now)"
bash scripts/install.sh --if-needed
log "installed and built in $(secs "$t")"

# 2. The test hosts: a real-shaped cluster, 3 meta + 4 data + 1 Telegraf (`sandbox up --meta 3
# --data 4 --telegraf 1`; the tests' default four hosts are part of it). `sandbox up` reuses a healthy sandbox, but "healthy" there means
# "answers plain HTTP": hosts this script already switched to HTTPS would count as broken
# and be rebuilt (fresh host keys, baseline configs, and this directory's Pulumi state
# wiped). So: if every host's sshd and services run and every node answers /ping with 204
# (HTTP) or 400 (Go's reply to plain HTTP on an HTTPS port), the hosts are up; else `up`.
META=3 DATA=4 TELEGRAF=1
start_hosts() {
  local i
  for ((i = 1; i <= DATA; i++)); do echo "data$i"; done
  for ((i = 1; i <= META; i++)); do echo "meta$i"; done
  for ((i = 1; i <= TELEGRAF; i++)); do echo "tele$i"; done
}
t="$(now)"
if { node bin-test/test/sandbox/cli.js status --json 2>/dev/null || true; } | node -e '
    const fs = require("fs");
    const s = JSON.parse(fs.readFileSync(0, "utf8"));
    const roles = s.up ? Object.fromEntries(JSON.parse(fs.readFileSync(process.argv[1], "utf8")).hosts.map((h) => [h.name, h.roles])) : {};
    const answers = (c) => c === 204 || c === 400;
    const hostOk = (h) => h.sshdAlive && h.units.every((u) => u.alive) &&
        (!roles[h.name].includes("data") || answers(h.ping)) && (!roles[h.name].includes("meta") || answers(h.metaPing));
    const want = process.argv.slice(2);
    process.exit(s.up && s.hosts.length === want.length && want.every((n) => n in roles) && s.hosts.every(hostOk) ? 0 : 1);' \
    "$SANDBOX_DIR/state.json" $(start_hosts); then
  log "test hosts already running (HTTP or HTTPS): kept as they are"
else
  node bin-test/test/sandbox/cli.js up --meta "$META" --data "$DATA" --telegraf "$TELEGRAF" >&2
fi
log "test hosts ready in $(secs "$t")"
STATE_JSON="$SANDBOX_DIR/state.json"
[ -f "$STATE_JSON" ] || die "$STATE_JSON missing after sandbox up"

# 3. The Pulumi CLI: PULUMI, else `pulumi` on PATH, else the one built from Go modules (step 1).
if [ -n "${PULUMI:-}" ]; then
  :
elif command -v pulumi >/dev/null; then
  PULUMI="$(command -v pulumi)"
else
  PULUMI="$ROOT/build/bin/pulumi"   # built by scripts/install.sh
fi
# Its plugins (language host, dynamic-provider shim) are found next to it / on PATH.
export PATH="$(dirname "$PULUMI"):$PATH"
export PULUMI_SKIP_UPDATE_CHECK=true                     # no api.pulumi.com lookups
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true  # never download plugins
export PULUMI_SKIP_CONFIRMATIONS=true
if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  export PULUMI_CONFIG_PASSPHRASE="local-test-hosts-only"
fi
mkdir -p "$STATE_DIR"
export PULUMI_BACKEND_URL="${PITLS_BACKEND_URL:-file://$STATE_DIR}"
log "pulumi: $PULUMI ($("$PULUMI" version)); backend $PULUMI_BACKEND_URL; stack $STACK"

# 4. The CA-signed files (examples/ca-signed/make-certs.sh stands in for "your CA"), for
# the hosts in state.json; remade when missing or expiring within a day.
mapfile -t pairs < <(node -e '
  const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  for (const h of s.hosts) console.log(`${h.name}=${h.address}`);' "$STATE_JSON")
certs_ok() {
  [ -f "$CERT_DIR/ca.crt" ] || return 1
  local p
  for p in "${pairs[@]}"; do
    local f="$CERT_DIR/${p%%=*}.crt"
    [ -f "$f" ] && [ -f "${f%.crt}.key" ] || return 1
    openssl x509 -checkend 86400 -noout -in "$f" >/dev/null || return 1
  done
}
if [ "$action" = rotate ]; then
  # Your CA signs new node certificates (ca.key/ca.crt are kept): every node gets a new one.
  log "rotation: new node certificates in $CERT_DIR (same CA)"
  bash examples/ca-signed/make-certs.sh "$CERT_DIR" "${pairs[@]}" >&2
elif ! certs_ok; then
  log "making CA-signed certificates in $CERT_DIR"
  bash examples/ca-signed/make-certs.sh "$CERT_DIR" "${pairs[@]}" >&2
fi
# No trust-store step: InfluxDB verifies its peers against the hosts' system roots, and
# ClusterTls installs the CA as /etc/ssl/certs/influxdb-tls-ca.pem on every node (README).

# 5. The stack config actually used: the root Pulumi.sandbox.yaml with the sandbox paths made
# absolute, plus the encryption salt Pulumi keeps in the stack config file. Kept out of the
# repo (given with --config-file), so the committed Pulumi.sandbox.yaml never changes.
salt="$(grep -h '^encryptionsalt:' "$CONFIG_FILE" 2>/dev/null || true)"
if ! "$PULUMI" stack ls --json 2>/dev/null | node -e '
    const stacks = JSON.parse(require("fs").readFileSync(0, "utf8") || "[]");
    process.exit(stacks.some((s) => s.name === process.argv[1] || s.name.endsWith("/" + process.argv[1])) ? 0 : 1);' "$STACK"; then
  # `stack init` writes the salt into Pulumi.<stack>.yaml of its working directory: let that
  # be a scratch copy of the project, not the repo.
  scratch="$(mktemp -d)"
  cp "$PROJECT_DIR/Pulumi.yaml" "$scratch/"
  "$PULUMI" stack init "$STACK" --secrets-provider passphrase --cwd "$scratch" >&2
  salt="$(grep -h '^encryptionsalt:' "$scratch/Pulumi.$STACK.yaml" || true)"
  rm -rf "$scratch"
fi
sed -e "s#\.\./\.\./\.sandbox/state\.json#$STATE_JSON#; s#\.\./\.\./\.sandbox/ca-signed#$CERT_DIR#" \
    "$PROJECT_DIR/Pulumi.sandbox.yaml" > "$CONFIG_FILE.tmp"
pulumi_() { "$PULUMI" "$@" --stack "$STACK" --non-interactive; }

[ -n "$salt" ] && printf '%s\n' "$salt" >> "$CONFIG_FILE.tmp"
mv -f "$CONFIG_FILE.tmp" "$CONFIG_FILE"

# A stack `sandbox` made by an older checkout's npm start, when the root project was the per-node
# examples/ca-signed program: same project name, other resources. `up` would create ClusterTls's
# settings next to the per-node ones and then delete those (reverting configs under the new
# ones); refuse before anything runs. `npm start -- destroy` clears it (destroy runs from the
# state, not the program), as does rebuilding the hosts (`npm run sandbox -- down`).
if [ "$action" != destroy ] && "$PULUMI" stack export --stack "$STACK" 2>/dev/null | node -e '
    const d = JSON.parse(require("fs").readFileSync(0, "utf8").trim() || "{}").deployment || {};
    process.exit((d.resources || []).some((r) => /^influxdb-tls:index:(MetaNodeTls|DataNodeTls|TelegrafOutputTls)$/.test(r.type) &&
        !/influxdb-tls:index:ClusterTls\$/.test(r.urn)) ? 0 : 1);'; then
  die "stack $STACK holds per-node resources (MetaNodeTls, … outside a ClusterTls) of the root project's former program (examples/ca-signed): run \`npm start -- destroy\` first (it reverts them from the state), or rebuild the hosts (npm run sandbox -- down)"
fi

# 6. The job.
t="$(now)"
case "$action" in
  up|rotate) pulumi_ up --yes --config-file "$CONFIG_FILE" "$@" ;;
  preview) pulumi_ preview --diff --config-file "$CONFIG_FILE" "$@" ;;
  destroy) pulumi_ destroy --yes --config-file "$CONFIG_FILE" "$@" ;;
  refresh) pulumi_ refresh --yes --config-file "$CONFIG_FILE" "$@" ;;
esac
log "pulumi $action took $(secs "$t")"

# 7. What it means, checked from this machine: HTTPS endpoints (verified against the CA)
# after up, plain HTTP after destroy.
report() {
  local mode="$1" outputs="{}"
  [ "$mode" = https ] && outputs="$(pulumi_ stack output --json 2>/dev/null || echo '{}')"
  node - "$mode" "$STATE_JSON" "$CERT_DIR/ca.crt" "$outputs" <<'EOF'
const [mode, stateFile, caFile, outputsJson] = process.argv.slice(2);
const fs = require("fs"), http = require("http"), https = require("https");
const state = JSON.parse(fs.readFileSync(stateFile, "utf8"));
const out = JSON.parse(outputsJson);
const ca = fs.existsSync(caFile) ? fs.readFileSync(caFile) : undefined;
const ping = (url) => new Promise((resolve) => {
  const u = new URL(url);
  const mod = u.protocol === "https:" ? https : http;
  const req = mod.get({ host: u.hostname, port: u.port, path: "/ping", ca, timeout: 5000 }, (res) => { res.resume(); resolve(String(res.statusCode)); });
  req.on("timeout", () => req.destroy(new Error("timeout")));
  req.on("error", (e) => resolve(e.code || e.message));
});
(async () => {
  const nodes = state.hosts.filter((h) => h.roles[0] === "meta" || h.roles[0] === "data")
    .map((h) => ({ name: h.name, port: h.roles[0] === "meta" ? 8091 : 8086, address: h.address }));
  let ok = true;
  if (mode === "https") {
    console.log("\nRollout order used (destroy runs it bottom-up):");
    for (const s of out.rolloutOrder || []) console.log(`  ${s}`);
    console.log("HTTPS endpoints (stack outputs: node, step, URL, certificate SHA-256, valid until, verified):");
    for (const [name, n] of Object.entries(out.clusterNodes || {})) {
      console.log(`  ${name.padEnd(6)} step ${n.step}  ${n.url.padEnd(22)} ${(n.certificateSha256Fingerprint || "").slice(0, 23)}…  ${n.notAfter}  ${n.verified ? "verified" : "NOT verified"}`);
    }
    for (const w of out.warnings || []) console.log(`  warning: ${w}`);
    console.log(`Verified by the components after restart (each step's own check, then its health gate): ${out.verified === true ? "yes" : `NO (${JSON.stringify(out.verified)})`}`);
    ok = out.verified === true;
  }
  console.log(mode === "https" ? `GET /ping from this machine, trusting only ${caFile}:` : "GET /ping over plain HTTP from this machine:");
  for (const n of nodes) {
    const url = `${mode === "https" ? "https" : "http"}://${n.address}:${n.port}`;
    const code = await ping(url);
    const good = code === "204";
    ok = ok && good;
    console.log(`  ${n.name.padEnd(6)} ${url.padEnd(26)} ${code}${good ? "" : "  <-- expected 204"}`);
  }
  console.log(ok ? `Result: OK (${mode === "https" ? "HTTPS on, verified against the CA" : "back on HTTP"})` : "Result: FAILED");
  process.exit(ok ? 0 : 1);
})();
EOF
}
case "$action" in
  up|rotate) report https ;;
  destroy) report http ;;
esac
log "done in $(secs "$started")"
