/**
 * Issue 7 §3: no secret anywhere it must not be, through the real Pulumi CLI (v3.274.1) on the
 * root project (examples/ca-signed, `fileInstaller: ssh`) and the test hosts. Operations:
 *
 *   failed create   `up` with data1's /etc/ssl full (a 16 KiB tmpfs, filled): the key file's
 *                   write fails with the key bytes in flight; meta1 and data2 get applied
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
 * and leftovers on the hosts (`.pitls.*` temp files, undo journals, our certificate files).
 * The figure is the number of hits: zero.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { onHost } from "../sandbox";
import { CliStack, HOSTS, ROOT, configsNotAtBaseline, leftoversOn, ok, type CliResult } from "./cliStack";
import { ProcessSampler, SecretScan, keyNeedles } from "./secretScan";

const TAG = "[secrets]";

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
    async function exportState(step: string): Promise<void> {
        const r = await s.pulumi(`stack export (${step})`, ["stack", "export", ...s.on()]);
        ok(r, "stack export");
        assert.match(r.out, /"ciphertext"/, "secrets are in the export, encrypted (its text is scanned with every CLI output)");
    }
    const up = (step: string) => op(step, ["up", "--yes", "--skip-preview", ...s.withConfig()]);

    before(async () => {
        await s.init();
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

    it("a failed create (data1's /etc/ssl full while its key is written) names host and file, and leaks nothing", async () => {
        applied = true;
        await onHost("data1", ["mount", "-t", "tmpfs", "-o", "size=16k,mode=0755", "pitls-full", "/etc/ssl"]);
        fullMounted = true;
        await onHost("data1", ["dd", "if=/dev/zero", "of=/etc/ssl/filler", "bs=1k", "count=64"], { allowFailure: true });
        const r = await up("failed create");
        await onHost("data1", ["umount", "/etc/ssl"]);
        fullMounted = false;
        assert.notEqual(r.code, 0, "the up fails");
        assert.match(r.out, /RemoteFile create of \/etc\/ssl\/influxdb\.(crt|key) on root@127\.0\.\d+\.1:22/, "the error names file and host");
        assert.match(r.out, /No space left on device/);
        await exportState("failed create");
    });

    it("create, update (layout bundle) and rotation (new keys) apply everything", async () => {
        ok(await up("create"), "up after the failed create");
        await exportState("create");

        s.writeConfig(fs.readFileSync(s.configFile, "utf8").replace(/(pulumi-influxdb-tls:layout:).*/, "$1 bundle"));
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
        const left = (await Promise.all(HOSTS.map(leftoversOn))).flat();
        assert.deepEqual(left, [], "no temp file, journal or key file left on any host");

        const backendFiles = scan.tree("backend", s.stateDir);
        const homeFiles = scan.tree("PULUMI_HOME", path.join(s.tmp, "home"));
        for (const f of fs.readdirSync(s.tmp).filter((f) => f.endsWith(".yaml"))) scan.text(`stack config ${f}`, fs.readFileSync(path.join(s.tmp, f), "utf8"));
        let hostFiles = 0;
        for (const h of HOSTS) hostFiles += scan.tree(`host ${h}`, s.host(h).dir);
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
