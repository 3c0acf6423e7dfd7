/**
 * Issue 7 §3: no secret anywhere it must not be, through the real Pulumi CLI (v3.274.1) on the
 * examples/ca-signed project (its own Pulumi.yaml; the default file installer: each node's certificate, key
 * and CA files are inputs of its config's TomlSettings — `fileContents`, a secret — and their
 * versions from before the first up are kept in its `filePriors` output, a secret) and the
 * test hosts. data2 starts with an operator's own certificate and key at the paths the
 * package manages, so a private key is also in `filePriors` (and must be put back by destroy).
 * Operations:
 *
 *   failed create   `up` with data1's /etc/ssl full (a 16 KiB tmpfs, filled): data1's
 *                   transaction fails at its first file write and changes nothing; meta1
 *                   and data2 get applied
 *   create          `up` again after the tmpfs is gone: everything applied
 *   update          `layout: bundle` (key + certificate in one .pem per node, config keys change)
 *   rotation        new keys from make-certs.sh, `up`
 *   destroy
 *
 * Secrets: every private key ever given (per-node keys, bundles, the wildcard and CA keys,
 * before and after rotation), the SSH client key and the stack passphrase: whole PEM, every
 * base64 body line, SHA-256 hex. Places: `pulumi stack export` after each operation, every
 * file of the file backend (checkpoints, history, backups) and of PULUMI_HOME, the CLI's
 * stdout+stderr of every command, every process's command line sampled every 25 ms during
 * every operation (and `ps -eo args` in each host's namespace), every file under each test
 * host's directory after destroy (configs, /etc/ssl, logs incl. sshd's and the services'),
 * and leftovers on the hosts (`.pitls.*` temp files, `*.pitls-prev` backups, undo journals,
 * our certificate files; data2's own pair back as it was). Every state also has `fileContents`
 * (inputs and outputs) and `filePriors` of every TomlSettings stored as secrets.
 * The figure is the number of hits: zero.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { makeCertOnHost } from "../integration/helpers/hosts";
import { hostLayout, onHost } from "../sandbox";
import { CliStack, HOSTS, ROOT, baselineOfOurFiles, configsNotAtBaseline, ok, setConfig, type CliResult } from "./cliStack";
import { ProcessSampler, SecretScan, keyNeedles } from "./secretScan";
import { SECRET_SIG, SECRET_VALUE } from "../sdk";

const TAG = "[secrets]";
const TOML_SETTINGS = "pulumi-nodejs:dynamic/influxdb-tls:TomlSettings";

describe("issue 7 §3: secrets never in state, CLI output, process lists, host files or logs", { timeout: 420_000 }, () => {
    const s = new CliStack({ prefix: "secrets", tag: TAG });
    const scan = new SecretScan();
    let sampler: ProcessSampler;
    let applied = false;
    const opsRun: string[] = [];

    /** Every private key in the certificate directory now (call again after rotation). */
    function collectKeys(label: string): void {
        for (const f of fs.readdirSync(s.certDir).filter((f) => /\.(key|pem)$/.test(f))) {
            scan.add(keyNeedles(`${label} ${f}`, fs.readFileSync(path.join(s.certDir, f), "utf8")));
        }
    }
    /** Runs a CLI command with the process sampler on; its output is scanned. */
    async function op(step: string, args: string[]): Promise<CliResult> {
        sampler.start(step);
        try {
            const r = await s.pulumi(step, args);
            opsRun.push(step);
            return r;
        } finally {
            await sampler.stop();
        }
    }
    /**
     * `stack export` (its text is scanned with every CLI output), and in the state file: every
     * TomlSettings' file contents (inputs and outputs) and file priors stored as secrets.
     * Returns the names of the TomlSettings in the state.
     */
    async function exportState(step: string): Promise<string[]> {
        const r = await s.pulumi(`stack export (${step})`, ["stack", "export", ...s.on()]);
        ok(r, "stack export");
        assert.match(r.out, /"ciphertext"/, "secrets are in the export, encrypted");
        const resources = (JSON.parse(fs.readFileSync(s.stateFile(), "utf8")).checkpoint.latest?.resources ?? []) as
            { type: string; urn: string; inputs: Record<string, any>; outputs: Record<string, any> }[];
        const configs = resources.filter((res) => res.type === TOML_SETTINGS);
        for (const c of configs) {
            const name = c.urn.split("::").pop();
            assert.equal(c.inputs.fileContents?.[SECRET_SIG], SECRET_VALUE, `${step}: ${name}: inputs.fileContents is a secret`);
            assert.equal(c.outputs.fileContents?.[SECRET_SIG], SECRET_VALUE, `${step}: ${name}: outputs.fileContents is a secret`);
            assert.equal(c.outputs.filePriors?.[SECRET_SIG], SECRET_VALUE, `${step}: ${name}: outputs.filePriors is a secret`);
        }
        const names = configs.map((c) => c.urn.split("::").pop()!).sort();
        console.log(`${TAG} ${step}: TomlSettings in the state: ${names.join(", ")}; fileContents and filePriors of each encrypted`);
        return names;
    }
    const up = (step: string) => op(step, ["up", "--yes", "--skip-preview", ...s.withConfig()]);

    /** data2's own certificate and key (made before the first up), where the package writes its files. */
    const OWN_KEY = "/etc/ssl/influxdb.key";

    before(async () => {
        await s.init();
        // An operator's own pair at the managed paths on data2: the transaction keeps it in
        // filePriors (a secret) and destroy puts it back, byte for byte.
        await makeCertOnHost(s.host("data2"), "/etc/ssl/influxdb");
        s.baseline = await baselineOfOurFiles(TAG);
        const own = (await onHost("data2", ["cat", OWN_KEY])).stdout;
        assert.match(own, /PRIVATE KEY/);
        scan.add(keyNeedles("data2's own key (a prior)", own));
        sampler = new ProcessSampler(scan, HOSTS);
        collectKeys("original");
        scan.add(keyNeedles("SSH client key", fs.readFileSync(s.state.clientKeyPath, "utf8")));
        scan.add([{ what: "stack passphrase", text: s.passphrase }]);
        console.log(`${TAG} ${scan.needles.length} needles so far (keys, their body lines and hashes, the passphrase)`);
    });
    // Whether the test's tmpfs is still over data1's /etc/ssl. Unmounting /etc/ssl once more
    // would remove the host's own bind mount, and data1 would then write the machine's /etc/ssl.
    let fullMounted = false;
    after(async () => {
        if (fullMounted) await onHost("data1", ["umount", "/etc/ssl"]);
        await s.cleanup(applied);
    });

    it("a failed create (data1's /etc/ssl full while its files are written) names host and file, changes nothing there, and leaks nothing", async () => {
        applied = true;
        await onHost("data1", ["mount", "-t", "tmpfs", "-o", "size=16k,mode=0755", "pitls-full", "/etc/ssl"]);
        fullMounted = true;
        await onHost("data1", ["dd", "if=/dev/zero", "of=/etc/ssl/filler", "bs=1k", "count=64"], { allowFailure: true });
        const r = await up("failed create");
        const onTmpfs = (await onHost("data1", ["ls", "-A", "/etc/ssl"])).stdout.split("\n").filter((l) => l !== "");
        await onHost("data1", ["umount", "/etc/ssl"]);
        fullMounted = false;
        assert.notEqual(r.code, 0, "the up fails");
        // The transaction's error: the resource, its config and host, then the file write that failed.
        const err = /TomlSettings create of \/etc\/influxdb\/influxdb\.conf on root@127\.0\.\d+\.1:22: command on root@127\.0\.\d+\.1:22 exited with code \d+: write '?\/etc\/ssl\/influxdb(\.crt|\.key|-ca\.pem)'?/;
        assert.match(r.out, err, "the error names host and file");
        // The diagnostics at the end hold the whole message (the progress lines only its first line).
        const end = r.out.lastIndexOf("service was not restarted.");
        const at = r.out.lastIndexOf("TomlSettings create of", end);
        console.log(`${TAG} the error, as the CLI printed it:\n${r.out.slice(at, end + 26)}`);
        assert.match(r.out, /No space left on device/);
        assert.match(r.out, /Nothing was changed: \/etc\/influxdb\/influxdb\.conf on root@127\.0\.\d+\.1:22 \(and [^)]*\/etc\/ssl\/influxdb\.crt[^)]*\) has its previous content/,
            "the error says the node was left as it was");
        assert.deepEqual(onTmpfs, ["filler"], "no temp file, backup or half-written file in data1's full /etc/ssl");
        assert.ok(configsNotAtBaseline(s.state).every((f) => !f.startsWith("data1:")), "data1's config untouched");
        const recorded = await exportState("failed create");
        assert.ok(recorded.includes("meta1-config"), "meta1 applied");
        assert.ok(!recorded.includes("data1-config"), "data1's create not recorded: nothing changed there");
        assert.ok(!recorded.includes("tele1-config"), "Telegraf not reached");
    });

    it("create, update (layout bundle) and rotation (new keys) apply everything", async () => {
        ok(await up("create"), "up after the failed create");
        assert.deepEqual(await exportState("create"), ["data1-config", "data2-config", "meta1-config", "tele1-config"]);

        s.writeConfig(setConfig(fs.readFileSync(s.configFile, "utf8"), "layout", "bundle"));
        ok(await up("update (layout bundle)"), "up with layout bundle");
        await exportState("update");

        execFileSync("bash", [path.join(ROOT, "examples/ca-signed/make-certs.sh"), s.certDir,
            ...HOSTS.map((n) => `${n}=${s.host(n).address}`)], { stdio: "ignore" });
        collectKeys("rotated");
        const r = await up("rotation (new keys)");
        ok(r, "up after rotation");
        assert.match(r.out, /updated/);
        await exportState("rotation");
    });

    it("destroy; then zero hits in state, backend files, CLI output, process lists, host files and logs", async () => {
        ok(await op("destroy", ["destroy", "--yes", "--skip-preview", ...s.withConfig()]), "destroy");
        applied = false;
        s.sameSandbox();
        assert.deepEqual(configsNotAtBaseline(s.state), []);
        assert.deepEqual(await s.leftovers(), [], "no temp file, backup, journal or key file left on any host; data2's own pair back as it was");

        const backendFiles = scan.tree("backend", s.stateDir);
        const homeFiles = scan.tree("PULUMI_HOME", path.join(s.tmp, "home"));
        for (const f of fs.readdirSync(s.tmp).filter((f) => f.endsWith(".yaml"))) scan.text(`stack config ${f}`, fs.readFileSync(path.join(s.tmp, f), "utf8"));
        let hostFiles = 0;
        // data2's own key is back where its operator put it: the one place it belongs.
        const ownKey = path.join(hostLayout(s.host("data2").dir).etcSsl, path.basename(OWN_KEY));
        for (const h of HOSTS) hostFiles += scan.tree(`host ${h}`, s.host(h).dir, (p) => p === ownKey);
        for (const o of s.outputs) scan.text(`output of ${o.step}`, o.out);

        const byPlace = new Map<string, string[]>();
        for (const h of scan.hits) byPlace.set(h.place, [...(byPlace.get(h.place) ?? []), h.what]);
        console.log(`${TAG} operations: ${opsRun.join(", ")}`);
        console.log(`${TAG} needles: ${scan.needles.length} (every private key PEM, its base64 body lines and SHA-256, the SSH client key, the passphrase)`);
        console.log(`${TAG} places scanned: ${scan.places} — ${backendFiles} backend files, ${homeFiles} PULUMI_HOME files, ${hostFiles} files under the 4 hosts' directories (configs, /etc/ssl, logs), ` +
            `${s.outputs.length} CLI outputs (4 of them \`stack export\`), ${scan.distinctCommandLines} distinct process command lines ` +
            `(${sampler.sweeps} /proc sweeps, ${sampler.psRuns} \`ps -eo args\` runs in the hosts' namespaces)`);
        console.log(`${TAG} hits: ${scan.hits.length}`);
        for (const [place, what] of byPlace) console.log(`${TAG}   ${place}: ${[...new Set(what)].slice(0, 6).join(", ")}${what.length > 6 ? ", …" : ""}`);
        assert.equal(scan.hits.length, 0, `secrets found in plaintext:\n${[...byPlace].map(([p, w]) => `${p}: ${[...new Set(w)].join(", ")}`).join("\n")}`);
    });
});
