/**
 * Issue 10's acceptance through the real Pulumi CLI (v3.274.1, build/bin) on 3 meta + 4 data + 1
 * Telegraf test hosts: the root project (Pulumi.yaml → examples/cluster-tls: the main job, what
 * `npm start` runs) with `provided` certificates from make-certs.sh (the tls plugin cannot be built here), maxUnavailable 2 only
 * (maxUnavailable 1 and 2 both run through the harness: clusterRollout.harness.test.ts). A
 * prober polls every node's /ping every 50 ms during `up`, the rotation (make-certs.sh signs new
 * node certificates with the same CA, then `up`) and `destroy`, and must never see more than 2
 * data nodes or 1 meta node down at once. Also: every rotation step passed its health gate (the
 * TomlSettings' healthGateResult in the stack's state), the meta tier's mixed-protocol window is
 * printed, every node's certificate verifies against the CA after `up`, every node serves the new
 * certificate and restarted exactly once after the rotation, and `destroy` leaves every config
 * byte-identical with plain HTTP answering. Fails (never skips) without the built CLI.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { PulumiCli } from "./pulumiCli";
import { sandboxDown, type SandboxState } from "../sandbox";
import { assertAvailability, clusterSandbox, startProbeProcess, notRestartedOnce, servedFingerprints, serviceStarts, servicePids } from "../integration/helpers/cluster";
import { configsDifferingFromBaseline } from "../integration/helpers/hosts";

const ROOT = path.resolve(__dirname, "../../..");
const BIN = path.join(ROOT, "build/bin");
/** The root project: the main job (Pulumi.yaml → examples/cluster-tls), as `npm start` runs it. */
const DIR = ROOT;
const NS = "pulumi-influxdb-tls";
const MAX_UNAVAILABLE = 2;

describe("ClusterTls (the root project) through the real CLI on 3 meta + 4 data + 1 Telegraf hosts (provided certificates, maxUnavailable 2)", { timeout: 900_000 }, () => {
    let dir = "";
    let state: SandboxState;
    let cli: PulumiCli;
    let configFile = "";
    let certDir = "";
    let ca = "";
    let stackCreated = false;
    let upFingerprints: Record<string, string> = {};
    const stack = `cluster-${crypto.randomBytes(3).toString("hex")}`;
    const flags = () => ["--stack", stack, "--non-interactive", "--color", "never", "--cwd", DIR];
    const makeCerts = () => execFileSync("bash", [path.join(ROOT, "examples/ca-signed/make-certs.sh"), certDir,
        ...state.hosts.map((h) => `${h.name}=${h.address}`)], { stdio: "ignore" });
    const gateResults = async (): Promise<Record<string, string>> => {
        const exported = JSON.parse((await cli.ok("stack export", ["stack", "export", ...flags()])).out) as
            { deployment: { resources?: { type: string; urn: string; outputs?: Record<string, unknown> }[] } };
        return Object.fromEntries((exported.deployment.resources ?? [])
            .filter((r) => r.type === "pulumi-nodejs:dynamic/influxdb-tls:TomlSettings" && r.outputs?.healthGateResult !== undefined)
            .map((r) => [r.urn.split("::").pop()!, String(r.outputs!.healthGateResult)]));
    };
    const up = async (label: string) => {
        const probe = startProbeProcess(state);
        const r = await cli.ok(label, ["up", "--yes", "--skip-preview", ...flags(), "--config-file", configFile], { timeoutMs: 900_000 });
        const report = await probe.stop();
        assertAvailability(`${label} (CLI, maxUnavailable ${MAX_UNAVAILABLE}, ${(r.ms / 1000).toFixed(1)} s)`, report, MAX_UNAVAILABLE);
        return { r, report };
    };

    before(async () => {
        for (const p of ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]) {
            assert.ok(fs.existsSync(path.join(BIN, p)), `${path.join(BIN, p)} is missing: run scripts/build-pulumi.sh`);
        }
        ({ dir, state } = await clusterSandbox("cluster-cli"));
        certDir = path.join(dir, "certs");
        makeCerts();
        ca = fs.readFileSync(path.join(certDir, "ca.crt"), "utf8");
        // No trust-store step: ClusterTls installs the CA in every node's /etc/ssl/certs itself.
        cli = new PulumiCli({ pulumi: path.join(BIN, "pulumi"), path: [BIN], home: path.join(dir, "home"),
            passphrase: `cluster-${crypto.randomBytes(8).toString("hex")}`, cwd: DIR, tag: "[cluster-cli]" });
        fs.mkdirSync(path.join(dir, "state"));
        await cli.ok("login", ["login", `file://${path.join(dir, "state")}`]);
        const salt = await cli.initStack(stack, path.join(DIR, "Pulumi.yaml"), path.join(dir, "scratch"));
        stackCreated = true;
        configFile = path.join(dir, `Pulumi.${stack}.yaml`);
        fs.writeFileSync(configFile, [
            "config:", `  ${NS}:sandboxState: ${path.join(state.dir, "state.json")}`, `  ${NS}:certDir: ${certDir}`,
            `  ${NS}:version: 1.6.7`, `  ${NS}:maxUnavailable: ${MAX_UNAVAILABLE}`, `  ${NS}:healthTimeoutSeconds: 60`, salt, "",
        ].join("\n"));
    });

    after(async () => {
        try {
            if (stackCreated && cli) {
                await cli.run("destroy (cleanup)", ["destroy", "--yes", "--skip-preview", ...flags(), "--config-file", configFile]);
                await cli.run("stack rm", ["stack", "rm", "--yes", "--force", ...flags()]);
            }
        } finally {
            if (cli) console.log(`[cluster-cli] durations (wall time):\n${cli.report()}`);
            if (dir) await sandboxDown({ dir });
            if (dir) fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("up: within the availability bound; the rollout order in the outputs; every node's certificate verifies against the CA", async () => {
        const { report } = await up("up");
        console.log(`[cluster-cli] meta tier mixed-protocol window during the switch: ${report.mixedProtocol.meta.ms} ms`);
        console.log(`[cluster-cli] gates on up: ${JSON.stringify(await gateResults())}`);
        assert.ok(report.nodes.every((n) => n.lastProtocol === "https"));
        const outputs = JSON.parse((await cli.ok("stack output", ["stack", "output", "--json", "--show-secrets", ...flags()])).out) as
            { rolloutOrder: string[]; verified: boolean; clusterNodes: Record<string, { certificateSha256Fingerprint: string }> };
        assert.deepEqual(outputs.rolloutOrder, ["1. meta meta1", "2. meta meta2", "3. meta meta3", "4. data data1, data2", "5. data data3, data4", "6. telegraf tele1"]);
        assert.equal(outputs.verified, true);
        upFingerprints = await servedFingerprints(state, ca);
        for (const [n, fp] of Object.entries(upFingerprints)) {
            assert.equal(outputs.clusterNodes[n]!.certificateSha256Fingerprint.toUpperCase(), fp.toUpperCase(), n);
        }
    });

    it("rotation (new certificates from the same CA): every step passed its gate; new certificate served; each node restarted once", async () => {
        makeCerts();
        const starts0 = serviceStarts(state);
        const pids0 = servicePids(state);
        await up("rotation");
        const gates = await gateResults();
        console.log(`[cluster-cli] gates on rotation: ${JSON.stringify(gates)}`);
        assert.equal(Object.keys(gates).length, 7);
        assert.deepEqual(Object.entries(gates).filter(([, g]) => g !== "passed"), []);
        assert.deepEqual(notRestartedOnce([starts0, serviceStarts(state)], [pids0, servicePids(state)]), []);
        const now = await servedFingerprints(state, ca);
        assert.deepEqual(Object.keys(now).filter((n) => now[n] === upFingerprints[n]), []);
    });

    it("destroy: within the bound; every config byte-identical to before; plain HTTP answers", async () => {
        const probe = startProbeProcess(state);
        const r = await cli.ok("destroy", ["destroy", "--yes", "--skip-preview", ...flags(), "--config-file", configFile], { timeoutMs: 900_000 });
        const report = await probe.stop();
        assertAvailability(`destroy (CLI, maxUnavailable ${MAX_UNAVAILABLE}, ${(r.ms / 1000).toFixed(1)} s)`, report, MAX_UNAVAILABLE);
        assert.deepEqual(configsDifferingFromBaseline(state, state.hosts.map((h) => h.name)), []);
        assert.deepEqual(report.nodes.filter((n) => n.lastProtocol !== "http").map((n) => n.name), []);
        stackCreated = (await cli.run("stack rm", ["stack", "rm", "--yes", ...flags()])).code !== 0;
    });
});
