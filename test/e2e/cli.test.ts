/**
 * End to end with the real Pulumi CLI (build/bin/pulumi, v3.274.1, built from Go modules by
 * scripts/build-pulumi.sh) on the examples/ca-signed project (its own Pulumi.yaml, run in its
 * directory; CA-signed certificates provided as files, the default file installer) against the
 * test hosts:
 *
 *   pulumi login file://<tmp>      local file backend, passphrase secrets provider
 *   pulumi preview --diff          per-key changes, secrets masked, no private key anywhere
 *   pulumi up                      HTTPS on: influx -ssl, influxd-ctl -bind-tls, telegraf --once
 *   pulumi up (again)              no changes; preview --expect-no-changes exits 0
 *   manual edit over SSH           pulumi refresh --diff shows the drift; up puts it back
 *   pulumi destroy                 configs byte-identical to the baseline, HTTP again, files gone
 *
 * Only dynamic resources run: the command and tls provider plugins cannot be built here
 * (tools/pulumi/README.md), hence provided certificates. The default file installer needs
 * no plugin: each node's certificate, key and CA files are inputs of its config's
 * TomlSettings (`files`: paths, owners, modes; `fileContents`: a secret) and move with the
 * config in one step, so the stack is 4 TomlSettings + 4 components + the stack. The stack is fresh (`e2e-<random>`), its backend, PULUMI_HOME,
 * certificates and stack config file (--config-file) live in a temp dir: nothing is written
 * into the repo. Fails (never skips) when build/bin/pulumi is missing.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { findHost, hostLayout, loadSandbox, onHost, resetHost, run, sandboxUp, selectHosts, sshArgv, type HostState, type SandboxState } from "../sandbox";
import { configsDifferingFromBaseline, plainPing } from "../integration/helpers/hosts";
import { PulumiCli, type CliResult } from "./pulumiCli";
import { DYNAMIC, PROJECT, PROJECT_DIR, SANDBOX_CONFIG, TOTAL, baselineOfOurFiles, leftoversOn, setConfig, type FileOfOurs } from "./cliStack";
import { SECRET_SIG, SECRET_VALUE } from "../sdk";

/** bin-test/test/e2e → the repo root. */
const ROOT = path.resolve(__dirname, "../../..");
const BIN = path.join(ROOT, "build/bin");
const PULUMI = path.join(BIN, "pulumi");
const HOSTS = ["meta1", "data1", "data2", "tele1"];
/** The files each node's TomlSettings writes, as [path, owner, group, mode] (the components' defaults). */
const NODE_FILES = [
    ["/etc/ssl/influxdb.crt", "root", "root", "0644"],
    ["/etc/ssl/influxdb.key", "influxdb", "influxdb", "0600"],
    ["/etc/ssl/influxdb-ca.pem", "root", "root", "0644"],
];
const FILES: Record<string, string[][]> = {
    meta1: NODE_FILES, data1: NODE_FILES, data2: NODE_FILES,
    tele1: [["/etc/telegraf/influxdb-ca.pem", "root", "root", "0644"]],
};

describe("real Pulumi CLI: examples/ca-signed project on the test hosts", { timeout: 1_200_000 }, () => {
    const fileStarted = Date.now();
    const stack = `e2e-${crypto.randomBytes(4).toString("hex")}`;
    let tmp = "";
    let certDir = "";
    let configFile = "";
    let cli: PulumiCli;
    let state: SandboxState;
    let createdAt = "";
    let meta1: HostState, data1: HostState, data2: HostState, tele1: HostState;
    let repoBefore: string[] = [];
    let stackCreated = false;
    let applied = false; // resources may exist on the hosts
    let secretsLines: string[] = [];
    let baseline: Record<string, FileOfOurs[]> = {};
    /** Runs the CLI in the repo root (the root Pulumi.yaml), timed; every output is kept for the global "no private key" check. */
    const pulumi = (step: string, args: string[]): Promise<CliResult> => cli.run(step, args);
    /** Flags every stack command gets. */
    const on = () => ["--stack", stack, "--non-interactive", "--color", "never"];
    const withConfig = () => [...on(), "--config-file", configFile];
    const ok = (r: CliResult, what: string) => assert.equal(r.code, 0, `${what} failed:\n${r.out.slice(-6000)}`);

    /** Hosts rebuilt under us (another process's sandboxUp) would make every later failure meaningless. */
    function sameSandbox(): void {
        const now = loadSandbox();
        assert.equal(now.createdAt, createdAt, "the test hosts were rebuilt by another process during this test (sandbox createdAt changed)");
    }

    const configsAreBaseline = () => configsDifferingFromBaseline(state, HOSTS);
    /** The text of `<name>-config`'s TomlSettings in a preview, from its URN to its `target` (the last field). */
    function resourceBlock(out: string, name: string): string {
        const at = out.indexOf(`TomlSettings::${name}-config]`);
        assert.ok(at >= 0, `${name}-config in the output`);
        const end = out.indexOf("target         :", at);
        assert.ok(end > at, `${name}-config's target in the output`);
        return out.slice(at, end);
    }

    /** `influx -ssl` from this machine, trusting only the provided CA (Go honours SSL_CERT_FILE). */
    async function influxTls(h: HostState): Promise<number> {
        return (await run(["env", `SSL_CERT_FILE=${path.join(certDir, "ca.crt")}`, "influx", "-ssl", "-host", h.address, "-execute", "SHOW DATABASES"], { allowFailure: true })).code;
    }
    /** influxd-ctl on the meta host, as the guide runs it there. */
    async function ctl(tls: boolean): Promise<number> {
        const argv = tls
            ? ["env", "SSL_CERT_FILE=/etc/ssl/influxdb-ca.pem", "influxd-ctl", "-bind", `${meta1.address}:8091`, "-bind-tls", "show"]
            : ["influxd-ctl", "-bind", `${meta1.address}:8091`, "show"];
        return (await onHost(meta1.name, argv, { allowFailure: true })).code;
    }
    const repoEntries = () => [ROOT, path.join(ROOT, "examples/ca-signed")].flatMap((d) => fs.readdirSync(d).map((e) => path.join(d, e))).sort();

    before(async () => {
        // Fail, do not skip: test/all.sh builds the CLI (scripts/build-pulumi.sh) before the tests.
        assert.ok(fs.existsSync(PULUMI), `${PULUMI} is missing: run scripts/build-pulumi.sh (test/all.sh does it before the tests)`);
        for (const p of ["pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]) {
            assert.ok(fs.existsSync(path.join(BIN, p)), `${path.join(BIN, p)} is missing: run scripts/build-pulumi.sh`);
        }
        // exact: the program configures every host in state.json, so not a bigger (npm start) sandbox.
        await sandboxUp({ hosts: selectHosts(HOSTS), exact: true });
        state = loadSandbox();
        createdAt = state.createdAt;
        [meta1, data1, data2, tele1] = HOSTS.map((n) => findHost(state, n));
        for (const n of HOSTS) await resetHost(n, state);
        assert.deepEqual(configsAreBaseline(), []);
        baseline = await baselineOfOurFiles("[e2e]");
        repoBefore = repoEntries();

        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-e2e-"));
        certDir = path.join(tmp, "certs");
        execFileSync("bash", [path.join(ROOT, "examples/ca-signed/make-certs.sh"), certDir,
            ...[meta1, data1, data2, tele1].map((h) => `${h.name}=${h.address}`)], { stdio: "ignore" });
        // Secret material that must never show up in CLI output or (unencrypted) in the state.
        secretsLines = [state.clientKeyPath, ...HOSTS.map((n) => path.join(certDir, `${n}.key`))]
            .map((f) => fs.readFileSync(f, "utf8").split("\n")[2]!)
            .filter((l) => l.length > 40);
        assert.ok(secretsLines.length >= 4);

        cli = new PulumiCli({ pulumi: PULUMI, path: [BIN], home: path.join(tmp, "home"), passphrase: `e2e-${crypto.randomBytes(8).toString("hex")}`, cwd: PROJECT_DIR, tag: "[e2e]" });
        fs.mkdirSync(path.join(tmp, "state"));
        ok(await pulumi("version", ["version"]), "pulumi version");
        ok(await pulumi("login", ["login", `file://${path.join(tmp, "state")}`]), "pulumi login");

        const salt = await cli.initStack(stack, path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(tmp, "project"));
        stackCreated = true;
        // The stack config: examples/ca-signed/Pulumi.sandbox.yaml's keys, with this sandbox and these certificates.
        const sandboxYaml = fs.readFileSync(SANDBOX_CONFIG, "utf8");
        assert.doesNotMatch(sandboxYaml, /fileInstaller/, "the project runs the default file installer (the transaction)");
        configFile = path.join(tmp, `Pulumi.${stack}.yaml`);
        fs.writeFileSync(configFile, setConfig(setConfig(sandboxYaml, "sandboxState", path.join(state.dir, "state.json")), "certDir", certDir) + `${salt}\n`);
        const cfg = await pulumi("config", ["config", ...withConfig()]);
        ok(cfg, "pulumi config");
        assert.match(cfg.out, /layout\s+per-node/);
    });

    after(async () => {
        try {
            if (stackCreated && applied) await pulumi("destroy (cleanup)", ["destroy", "--yes", ...withConfig()]);
            if (stackCreated) await pulumi("stack rm", ["stack", "rm", "--yes", "--force", ...on()]);
        } finally {
            for (const n of HOSTS) await resetHost(n).catch((e) => console.log(`[e2e] resetHost(${n}): ${e}`));
            fs.rmSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), { force: true });
            if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
            console.log("[e2e] durations (real Pulumi CLI v3.274.1, wall time):");
            if (cli) console.log(cli.report(Date.now() - fileStarted));
        }
    });

    it("preview --diff shows each key of each file on each host, and masks secrets", async () => {
        const r = await pulumi("preview --diff", ["preview", "--diff", ...withConfig()]);
        console.log(`[e2e] ---- pulumi preview --diff (what a reviewer sees) ----\n${r.out}[e2e] ---- end of preview ----`);
        ok(r, "preview");
        sameSandbox();
        const out = r.out;
        assert.match(out, new RegExp(`\\+ ${TOTAL} to create`));
        // Every config change, key by key, under `settings` of each TomlSettings resource.
        for (const name of ["meta1", "data1", "data2", "tele1"]) {
            assert.match(out, new RegExp(`\\+ pulumi-nodejs:dynamic/influxdb-tls:TomlSettings: \\(create\\)\\n.*TomlSettings::${name}-config\\]`), `${name}-config is created`);
        }
        const settings = (name: string) => {
            const at = out.indexOf(`TomlSettings::${name}-config]`);
            assert.ok(at >= 0, `${name}-config in the preview`);
            const block = out.slice(at, out.indexOf("target", out.indexOf("settings", at)));
            return block.slice(block.indexOf("settings"));
        };
        for (const [name, table] of [["meta1", "meta"], ["data1", "http"], ["data2", "http"]] as const) {
            const s = settings(name);
            assert.match(s, new RegExp(`${table}: \\{`), `${name}: [${table}]`);
            assert.match(s, /https-enabled\s*: true/, `${name}: https-enabled = true`);
            assert.match(s, /https-certificate: "\/etc\/ssl\/influxdb\.crt"/);
            assert.match(s, /https-private-key: "\/etc\/ssl\/influxdb\.key"/);
        }
        for (const name of ["data1", "data2"]) assert.match(settings(name), /meta: \{\s*meta-tls-enabled: true\s*\}/);
        const tele = settings("tele1");
        assert.match(tele, /outputs\.influxdb#0: \{/);
        assert.match(tele, /tls_ca: "\/etc\/telegraf\/influxdb-ca\.pem"/);
        // The test hosts' addresses follow PITLS_SANDBOX_NET (127.0.<net>.x).
        const url = (h: HostState) => `"https://${h.address.replace(/\./g, "\\.")}:8086"`;
        assert.match(tele, new RegExp(`${url(data1)}[\\s\\S]*${url(data2)}`));
        assert.ok(!/insecure/.test(out), "no insecure flag anywhere: clients trust the provided CA");
        // No separate file resource: the files are inputs of each config's TomlSettings.
        assert.doesNotMatch(out, /RemoteFile|remote:index:Command/, "no file resource of its own");
        for (const p of ["/etc/influxdb/influxdb-meta.conf", "/etc/influxdb/influxdb.conf", "/etc/telegraf/telegraf.conf"]) {
            assert.ok(out.includes(`path           : "${p}"`), `${p} in the preview`);
        }
        // Per config: the files it writes — paths, owners and modes in the clear …
        for (const [name, want] of Object.entries(FILES)) {
            const r = resourceBlock(out, name);
            const files = [...r.matchAll(/\[\d+\]: \{\s*group: "([^"]*)"\s*mode : "([^"]*)"\s*owner: "([^"]*)"\s*path : "([^"]*)"\s*\}/g)]
                .map((m) => [m[4], m[3], m[1], m[2]]);
            assert.deepEqual(files, want, `${name}-config: files (path, owner, group, mode)`);
            // … the contents masked.
            assert.match(r, /\n\s*fileContents\s*: \[secret\]\n/, `${name}-config: fileContents is [secret]`);
        }
        // SSH connections and file contents masked everywhere.
        assert.equal(out.match(/connection\s*: \[secret\]/g)?.length, DYNAMIC, "every dynamic resource's connection is [secret]");
        assert.equal(out.match(/fileContents\s*: \[secret\]/g)?.length, DYNAMIC, "every config's fileContents is [secret]");
        assert.ok(!out.includes("PRIVATE KEY"), "no private key text in the preview");
        for (const l of secretsLines) assert.ok(!out.includes(l), "no private key material in the preview");
    });

    it("up enables HTTPS: influx -ssl and influxd-ctl -bind-tls verify against the CA; plain HTTP gets 400", async () => {
        applied = true;
        const r = await pulumi("up --skip-preview", ["up", "--yes", "--skip-preview", ...withConfig()]);
        ok(r, "up");
        sameSandbox();
        assert.match(r.out, new RegExp(`\\+ ${TOTAL} created`));
        for (const h of [data1, data2]) {
            assert.equal(await influxTls(h), 0, `influx -ssl -host ${h.address} (SSL_CERT_FILE = the provided CA)`);
            assert.equal(await plainPing(h), 400, `${h.name}: plain HTTP /ping → 400`);
        }
        assert.equal(await ctl(true), 0, "influxd-ctl -bind-tls show, SSL_CERT_FILE=/etc/ssl/influxdb-ca.pem");
        assert.notEqual(await ctl(false), 0, "influxd-ctl over plain HTTP no longer works");
        const tele = fs.readFileSync(path.join(hostLayout(tele1.dir).etcTelegraf, "telegraf.conf"), "utf8");
        assert.match(tele, /^\s*tls_ca = "\/etc\/telegraf\/influxdb-ca\.pem"/m);
        assert.equal((await onHost(tele1.name, ["telegraf", "--config", "/etc/telegraf/telegraf.conf", "--once"], { allowFailure: true })).code, 0,
            "telegraf --once writes to the data nodes over verified HTTPS");

        const o = await pulumi("stack output", ["stack", "output", "--json", ...on()]);
        ok(o, "stack output");
        const outs = JSON.parse(o.out) as Record<string, unknown>;
        assert.deepEqual(outs.metaUrls, [`https://${meta1.address}:8091`]);
        assert.deepEqual(outs.dataUrls, [`https://${data1.address}:8086`, `https://${data2.address}:8086`]);
        assert.equal(outs.verified, true);
        const fp = execFileSync("openssl", ["x509", "-noout", "-fingerprint", "-sha256", "-in", path.join(certDir, "data1.crt")], { encoding: "utf8" });
        assert.equal((outs.fingerprints as string[])[1], fp.trim().split("=")[1], "data1's fingerprint is the provided certificate's");

        // The state holds secrets only encrypted (passphrase provider).
        const stateFile = path.join(tmp, "state/.pulumi/stacks", PROJECT, `${stack}.json`);
        const raw = fs.readFileSync(stateFile, "utf8");
        // A PEM header, not the words: the serialized provider code stored with every dynamic
        // resource names "PRIVATE KEY" in its messages (the preflight's key checks).
        assert.ok(!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(raw), "no plaintext private key in the state file");
        for (const l of secretsLines) assert.ok(!raw.includes(l), "no private key material in the state file");
        assert.match(raw, /"ciphertext"/);
        // The file contents (certificate, key, CA) and the files' priors are stored as secrets.
        const configs = (JSON.parse(raw).checkpoint.latest.resources as { type: string; urn: string; inputs: Record<string, any>; outputs: Record<string, any> }[])
            .filter((res) => res.type === "pulumi-nodejs:dynamic/influxdb-tls:TomlSettings");
        assert.equal(configs.length, DYNAMIC);
        for (const c of configs) {
            const name = c.urn.split("::").pop();
            assert.equal(c.inputs.fileContents?.[SECRET_SIG], SECRET_VALUE, `${name}: inputs.fileContents is a secret`);
            for (const k of ["fileContents", "filePriors"]) {
                assert.equal(c.outputs[k]?.[SECRET_SIG], SECRET_VALUE, `${name}: outputs.${k} is a secret`);
            }
            assert.deepEqual(c.outputs.files.map((f: { path: string }) => f.path), FILES[name!.replace(/-config$/, "")]!.map((f) => f[0]), `${name}: files in the clear`);
        }
    });

    it("a second up reports no changes; preview --expect-no-changes exits 0", async () => {
        const r = await pulumi("up (second)", ["up", "--yes", ...withConfig()]);
        ok(r, "second up");
        sameSandbox();
        assert.match(r.out, new RegExp(`${TOTAL} unchanged`));
        assert.ok(!/\d+ (to create|to update|to delete|to replace|created|updated|deleted|replaced)/.test(r.out), `no change:\n${r.out}`);
        const p = await pulumi("preview --expect-no-changes", ["preview", "--expect-no-changes", ...withConfig()]);
        ok(p, "preview --expect-no-changes");
        assert.match(p.out, new RegExp(`${TOTAL} unchanged`));
    });

    it("preview --diff of a changed input shows old => new per key (layout per-node → bundle, not applied)", async () => {
        const bundleConfig = path.join(tmp, `Pulumi.${stack}.bundle.yaml`);
        fs.writeFileSync(bundleConfig, setConfig(fs.readFileSync(configFile, "utf8"), "layout", "bundle"));
        const r = await pulumi("preview --diff (layout bundle)", ["preview", "--diff", ...on(), "--config-file", bundleConfig]);
        console.log(`[e2e] ---- pulumi preview --diff after \`layout: bundle\` (an input change; not applied) ----\n${r.out}[e2e] ---- end of preview ----`);
        ok(r, "preview with layout bundle");
        sameSandbox();
        for (const name of ["meta1", "data1", "data2"]) {
            const at = r.out.indexOf(`TomlSettings::${name}-config]`);
            assert.ok(at >= 0, `${name}-config changes`);
            const block = r.out.slice(at, r.out.indexOf("target", r.out.indexOf("settings", at)));
            assert.match(block, /~ https-certificate: "\/etc\/ssl\/influxdb\.crt" => "\/etc\/ssl\/influxdb\.pem"/, `${name}: certificate path, old => new`);
            assert.match(block, /~ https-private-key: "\/etc\/ssl\/influxdb\.key" => "\/etc\/ssl\/influxdb\.pem"/, `${name}: key path, old => new`);
        }
        // The files, in the same update of each config: the certificate becomes the bundle (the
        // key's owner and mode, as it holds the key), the separate key file is no longer written.
        for (const name of ["meta1", "data1", "data2"]) {
            const block = resourceBlock(r.out, name);
            assert.match(block, /~ files\s*: \[/, `${name}: files change`);
            assert.match(block, /~ \[0\]: \{\s*~ group: "root" => "influxdb"\s*~ mode : "0644" => "0600"\s*~ owner: "root" => "influxdb"\s*~ path : "\/etc\/ssl\/influxdb\.crt" => "\/etc\/ssl\/influxdb\.pem"/,
                `${name}: the certificate file becomes the bundle, 0600 influxdb:influxdb`);
            assert.doesNotMatch(block, /=> "\/etc\/ssl\/influxdb\.key"|\+ path : "\/etc\/ssl\/influxdb\.key"|^\s+path : "\/etc\/ssl\/influxdb\.key"/m, `${name}: no key file any more`);
            assert.match(block, /\n\s*fileContents\s*: \[secret\]\n/, `${name}: the contents (the bundle) masked`);
        }
        assert.match(r.out, new RegExp(`~ 3 to update\\n\\s*${TOTAL - 3} unchanged`), "the three configs update; nothing is created, replaced or deleted");
        assert.doesNotMatch(r.out, /RemoteFile|\(delete\)|\(create\)|\(replace\)/);
        assert.ok(!r.out.includes("PRIVATE KEY"), "the bundle (key + certificate) stays masked");
        for (const l of secretsLines) assert.ok(!r.out.includes(l));
        fs.rmSync(bundleConfig);
    });

    it("a manual edit on a host shows up in refresh --diff; up puts it back", async () => {
        const conf = path.join(hostLayout(data1.dir).etcInfluxdb, "influxdb.conf");
        const before = fs.readFileSync(conf, "utf8");
        assert.match(before, /^\s*https-enabled = true$/m);
        // An operator switches HTTPS off in the file (no restart: influxd keeps serving HTTPS).
        await run([...sshArgv(state, data1.name), "sed -i 's/^\\([[:space:]]*\\)https-enabled = true$/\\1https-enabled = false/' /etc/influxdb/influxdb.conf"]);
        assert.match(fs.readFileSync(conf, "utf8"), /^\s*https-enabled = false$/m);

        const r = await pulumi("refresh --diff", ["refresh", "--yes", "--diff", ...withConfig()]);
        console.log(`[e2e] ---- pulumi refresh --diff after the manual edit ----\n${r.out}[e2e] ---- end of refresh ----`);
        ok(r, "refresh");
        sameSandbox();
        const at = r.out.indexOf("TomlSettings::data1-config");
        assert.ok(at >= 0, "data1-config is reported as changed");
        const block = r.out.slice(at, r.out.indexOf("target", r.out.indexOf("settings", at)));
        assert.match(block, /~ settings\s*: \{\s*~ http: \{[^}]*~ https-enabled\s*: true => false/, "the drift, key by key");
        assert.match(r.out, new RegExp(`Resources:\\n\\s*~ 1 updated\\n\\s*${TOTAL - 1} unchanged`), "refresh updated exactly one resource");
        assert.ok(!/TomlSettings::data2-config/.test(r.out), "only data1's config drifted");
        assert.ok(!r.out.includes("PRIVATE KEY"));

        // What a reviewer sees before the repair: the one key going back.
        const u = await pulumi("up --diff (repair)", ["up", "--yes", "--diff", ...withConfig()]);
        const repairDiff = u.out.slice(0, u.out.indexOf("Updating ("));
        console.log(`[e2e] ---- preview part of pulumi up --diff (repair) ----\n${repairDiff}[e2e] ---- end ----`);
        ok(u, "up after refresh");
        sameSandbox();
        assert.match(repairDiff, /~ pulumi-nodejs:dynamic\/influxdb-tls:TomlSettings: \(update\)\n.*\n.*TomlSettings::data1-config\]/);
        assert.match(repairDiff, new RegExp(`~ 1 to update\\n\\s*${TOTAL - 1} unchanged`));
        // LIMIT (Pulumi, not this package): the CLI renders an update's keys by diffing the old
        // and new *inputs*, and a dynamic provider (@pulumi/pulumi 3.248 dynamic.DiffResult) has
        // no detailedDiff to say which output drifted. Inputs are unchanged here (true → true),
        // so the repair shows as an update of data1-config without a per-key marker; the drift
        // itself is shown key by key by refresh (above). If this assertion fails, the engine
        // now shows it: update the README ("Real-engine tests").
        const rb = repairDiff.slice(repairDiff.indexOf("TomlSettings::data1-config"));
        assert.ok(!/https-enabled\s*: false => true/.test(rb), "repair preview shows no per-key marker (documented limit)");
        assert.match(rb, /settings\s*: \{\s*http: \{[^}]*https-enabled\s*: true/);
        assert.match(u.out, new RegExp(`~ 1 updated\\n\\s*${TOTAL - 1} unchanged`));
        assert.equal(fs.readFileSync(conf, "utf8"), before, "the file is as the first up left it");
        assert.equal(await influxTls(data1), 0);
        const p = await pulumi("preview (after repair)", ["preview", "--expect-no-changes", ...withConfig()]);
        ok(p, "preview --expect-no-changes after the repair");
    });

    it("destroy brings HTTP back with byte-identical configs and removes the certificate files (the transaction's priors)", async () => {
        const r = await pulumi("destroy", ["destroy", "--yes", ...withConfig()]);
        ok(r, "destroy");
        applied = false;
        sameSandbox();
        assert.match(r.out, new RegExp(`- ${TOTAL} deleted`));
        assert.deepEqual(configsAreBaseline(), [], "every config file byte-identical to the sandbox baseline");
        assert.equal(await plainPing(data1), 204);
        assert.equal(await plainPing(data2), 204);
        assert.equal(await ctl(false), 0, "influxd-ctl show over HTTP");
        // Every file the configs wrote is gone (or, had it been there before the first up, back
        // as it was), and no temp file, backup or undo journal is left.
        const left = (await Promise.all(HOSTS.map((n) => leftoversOn(n, baseline[n])))).flat();
        assert.deepEqual(left, [], "certificate, key and CA files removed; no temp file, backup or journal left");
        for (const [name, files] of Object.entries(FILES)) {
            for (const [f] of files) {
                if (baseline[name]!.some((b) => b.path === f)) continue;
                assert.equal((await onHost(name, ["test", "-e", f!], { allowFailure: true })).code, 1, `${name}:${f} removed`);
            }
        }
    });

    it("leaves nothing in the repo and no private key in any CLI output", () => {
        assert.deepEqual(repoEntries(), repoBefore, "no file added to or removed from the repo root or examples/ca-signed");
        const all = cli.outputs.join("\n");
        assert.ok(!all.includes("PRIVATE KEY"));
        for (const l of secretsLines) assert.ok(!all.includes(l));
    });
});
