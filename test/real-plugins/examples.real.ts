/**
 * `npm run test:real-plugins`: every example with its defaults — certificates from
 * @pulumi/tls, files installed by @pulumi/command's remote.Command — through the whole real
 * engine: the Pulumi CLI v3.274.1 (build/bin, scripts/build-pulumi.sh), the real Node.js
 * language host and the real `command` and `tls` provider plugins, all built from source
 * (README: "Real plugins"), against the test hosts. Per example, on a fresh stack:
 *
 *   up              HTTPS verified the way the example documents (CA or insecure flags);
 *                   the served certificates are the stack's fingerprints
 *   second up       0 changes; preview --expect-no-changes
 *   rotation        new keys (rotationTrigger; ca-signed: new files from make-certs.sh):
 *                   each meta and data node restarted exactly once, verified again
 *   destroy         every config byte-identical to the baseline, no file left, HTTP again
 *
 * Not part of `npm test` (CI has no plugin sources). The plugins are taken from
 * $PITLS_REAL_PLUGINS_DIR (default /work/real-plugins/out/bin); when one is missing the run
 * FAILS, naming it — it never skips.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as https from "node:https";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { findHost, hostLayout, loadSandbox, onHost, resetHost, run, sandboxUp, selectHosts, type HostState, type SandboxState } from "../sandbox";
import { configsDifferingFromBaseline, plainPing } from "../integration/helpers/hosts";
import { PulumiCli, type CliResult } from "../e2e/pulumiCli";

/** bin-test/test/real-plugins → the repo root. */
const ROOT = path.resolve(__dirname, "../../..");
const CLI_BIN = path.join(ROOT, "build/bin");
const PLUGINS = path.resolve(process.env.PITLS_REAL_PLUGINS_DIR ?? "/work/real-plugins/out/bin");
const HOSTS = ["meta1", "data1", "data2", "tele1"];
const NODES = ["meta1", "data1", "data2"];
const UNIT: Record<string, string> = { meta1: "influxdb-meta", data1: "influxdb", data2: "influxdb", tele1: "telegraf" };

interface Example {
    name: "self-signed" | "internal-ca" | "ca-signed";
    /** Files the nodes get (and must lose on destroy); Telegraf's CA file when clients trust a CA. */
    nodeFiles: string[];
    teleFiles: string[];
    /** How clients check the certificate: insecure flags, or a CA (the stack's, or make-certs.sh's). */
    trust: "insecure" | "ca";
}

const EXAMPLES: Example[] = [
    { name: "self-signed", nodeFiles: ["/etc/ssl/influxdb-selfsigned.crt", "/etc/ssl/influxdb-selfsigned.key"], teleFiles: [], trust: "insecure" },
    { name: "internal-ca", nodeFiles: ["/etc/ssl/influxdb.crt", "/etc/ssl/influxdb.key", "/etc/ssl/influxdb-ca.pem"], teleFiles: ["/etc/telegraf/influxdb-ca.pem"], trust: "ca" },
    { name: "ca-signed", nodeFiles: ["/etc/ssl/influxdb.crt", "/etc/ssl/influxdb.key", "/etc/ssl/influxdb-ca.pem"], teleFiles: ["/etc/telegraf/influxdb-ca.pem"], trust: "ca" },
];

/** Per example and step: resources and wall time, for the summary. */
const summary: { example: string; step: string; ms: number; result: string }[] = [];

/** What is missing for this run, each with where it comes from. */
function missingBinaries(): string[] {
    const missing: string[] = [];
    for (const p of ["pulumi", "pulumi-resource-pulumi-nodejs"]) {
        if (!fs.existsSync(path.join(CLI_BIN, p))) missing.push(`${path.join(CLI_BIN, p)} (run: bash scripts/build-pulumi.sh)`);
    }
    for (const p of ["pulumi-resource-command", "pulumi-resource-tls", "pulumi-language-nodejs"]) {
        if (!fs.existsSync(path.join(PLUGINS, p))) {
            missing.push(`${path.join(PLUGINS, p)} (built from source: README "Real plugins"; or set PITLS_REAL_PLUGINS_DIR)`);
        }
    }
    return missing;
}

/** How many times the systemctl stand-in started the host's unit so far. */
function starts(h: HostState): number {
    const log = path.join(hostLayout(h.dir).log, `${UNIT[h.name]}.log`);
    if (!fs.existsSync(log)) return 0;
    return fs.readFileSync(log, "utf8").split("\n").filter((l) => l.includes(`systemctl shim: starting ${UNIT[h.name]}:`)).length;
}

function unitPid(h: HostState): string | undefined {
    const f = path.join(hostLayout(h.dir).run, `${UNIT[h.name]}.pid`);
    return fs.existsSync(f) ? fs.readFileSync(f, "utf8").trim() : undefined;
}

/** The certificate a node serves (SHA-256 "AB:CD:…"), and whether it verifies against `ca` (undefined: not tried). */
function served(address: string, port: number, ca?: string): Promise<{ fingerprint: string; status: number; verified?: boolean }> {
    return new Promise((resolve, reject) => {
        const req = https.get({ host: address, port, path: "/ping", ca, rejectUnauthorized: ca !== undefined, timeout: 10_000 }, (res) => {
            const cert = (res.socket as import("node:tls").TLSSocket).getPeerCertificate();
            res.resume();
            resolve({ fingerprint: cert.fingerprint256, status: res.statusCode ?? 0, verified: ca === undefined ? undefined : true });
        });
        req.on("timeout", () => req.destroy(new Error(`https://${address}:${port}: timeout`)));
        req.on("error", reject);
    });
}

/** A number from the "Resources:" summary ("    + 21 created", "    +-3 replaced", "    31 unchanged"); 0 when absent. */
const count = (out: string, what: string): number => Number(new RegExp(`^\\s*(?:\\+-|[-+~])?\\s*(\\d+) ${what}\\s*$`, "m").exec(out)?.[1] ?? 0);

describe("real plugins: every example through the real CLI, language host, command and tls plugins", { timeout: 3_600_000 }, () => {
    const started = Date.now();
    let state: SandboxState;
    let createdAt = "";
    let tmp = "";
    let cli: PulumiCli;
    const nodes: Record<string, HostState> = {};

    before(async () => {
        const missing = missingBinaries();
        assert.deepEqual(missing, [], `test:real-plugins needs these binaries, which are missing:\n  ${missing.join("\n  ")}`);
        // exact: the root program configures every host in state.json, so not a bigger (npm start) sandbox.
        await sandboxUp({ hosts: selectHosts(HOSTS), exact: true });
        state = loadSandbox();
        createdAt = state.createdAt;
        for (const n of HOSTS) nodes[n] = findHost(state, n);
        for (const n of HOSTS) await resetHost(n, state);
        assert.deepEqual(configsDifferingFromBaseline(state, HOSTS), []);
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-real-"));
        // The real plugins and language host first: the CLI takes a plugin from PATH when it has
        // none installed (it says "using pulumi-resource-tls from $PATH"), and the language host
        // first found wins over build/bin's minimal one.
        cli = new PulumiCli({ pulumi: path.join(CLI_BIN, "pulumi"), path: [PLUGINS, CLI_BIN], home: path.join(tmp, "home"),
            passphrase: `real-${crypto.randomBytes(8).toString("hex")}`, cwd: ROOT, tag: "[real]" });
        fs.mkdirSync(path.join(tmp, "state"));
        await cli.ok("version", ["version"]);
        await cli.ok("login", ["login", `file://${path.join(tmp, "state")}`]);
    });

    after(async () => {
        for (const n of HOSTS) await resetHost(n).catch((e) => console.log(`[real] resetHost(${n}): ${e}`));
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
        if (cli) console.log(`[real] durations (wall time):\n${cli.report(Date.now() - started)}`);
        console.log("[real] summary:");
        for (const s of summary) console.log(`[real]   ${s.example.padEnd(12)} ${s.step.padEnd(15)} ${(s.ms / 1000).toFixed(1).padStart(6)} s  ${s.result}`);
    });

    /** Hosts rebuilt under us (another process's sandboxUp) would make every later failure meaningless. */
    const sameSandbox = () => assert.equal(loadSandbox().createdAt, createdAt, "the test hosts were rebuilt by another process during this run");

    for (const ex of EXAMPLES) {
        describe(`examples/${ex.name}`, () => {
            const dir = path.join(ROOT, "examples", ex.name);
            const stack = `real-${ex.name}-${crypto.randomBytes(3).toString("hex")}`;
            let configFile = "";
            let baseConfig = "";
            let certDir = "";
            let caFile = "";
            let total = 0;
            let stackCreated = false;
            let applied = false;
            let fingerprints: string[] = [];
            let dirBefore: string[] = [];
            const flags = () => ["--stack", stack, "--non-interactive", "--color", "never", "--cwd", dir];
            const withConfig = () => [...flags(), "--config-file", configFile];
            const step = async (label: string, args: string[]): Promise<CliResult> => {
                const r = await cli.ok(`${ex.name} ${label}`, [...args, ...withConfig()], { timeoutMs: 900_000 });
                sameSandbox();
                const counts = ["created", "updated", "replaced", "deleted", "unchanged"].map((w) => [w, count(r.out, w)] as const).filter(([, n]) => n > 0);
                summary.push({ example: ex.name, step: label, ms: r.ms, result: counts.map(([w, n]) => `${n} ${w}`).join(", ") });
                return r;
            };
            const make = (into: string) => execFileSync("bash", [path.join(ROOT, "examples/ca-signed/make-certs.sh"), into,
                ...HOSTS.map((n) => `${n}=${nodes[n].address}`)], { stdio: "ignore" });

            /** HTTPS checked the way the example documents, from this machine and on the hosts. */
            async function verify(): Promise<void> {
                const outputs = JSON.parse((await cli.ok(`${ex.name} stack output`, ["stack", "output", "--json", ...flags()])).out) as Record<string, unknown>;
                assert.equal(outputs.verified, true, "the components verified every node");
                if (ex.name === "internal-ca") {
                    caFile = path.join(tmp, `${stack}-ca.pem`);
                    fs.writeFileSync(caFile, String(outputs.caCertificatePem));
                }
                const ca = ex.trust === "ca" ? fs.readFileSync(caFile, "utf8") : undefined;
                fingerprints = outputs.fingerprints as string[];
                const ports = [8091, 8086, 8086];
                for (const [i, n] of NODES.entries()) {
                    const s = await served(nodes[n].address, ports[i], ca);
                    assert.equal(s.status, 204, `${n}: GET /ping over HTTPS`);
                    assert.equal(s.fingerprint, fingerprints[i], `${n} serves the certificate of the stack's outputs`);
                }
                const trust = ex.trust === "ca" ? [`SSL_CERT_FILE=${caFile}`] : [];
                for (const n of ["data1", "data2"]) {
                    const influx = await run(["env", ...trust, "influx", "-ssl", ...(ex.trust === "insecure" ? ["-unsafeSsl"] : []),
                        "-host", nodes[n].address, "-execute", "SHOW DATABASES"], { allowFailure: true });
                    assert.equal(influx.code, 0, `${n}: influx -ssl${ex.trust === "insecure" ? " -unsafeSsl" : ` trusting ${caFile}`}: ${influx.stderr}`);
                    assert.equal(await plainPing(nodes[n]), 400, `${n}: plain HTTP gets 400`);
                }
                const ctl = ex.trust === "ca"
                    ? ["env", "SSL_CERT_FILE=/etc/ssl/influxdb-ca.pem", "influxd-ctl", "-bind", `${nodes.meta1.address}:8091`, "-bind-tls", "show"]
                    : ["influxd-ctl", "-bind", `${nodes.meta1.address}:8091`, "-bind-tls", "-k", "show"];
                assert.equal((await onHost("meta1", ctl, { allowFailure: true })).code, 0, ctl.join(" "));
                if (ex.trust === "insecure") {
                    assert.notEqual((await onHost("meta1", ctl.filter((a) => a !== "-k"), { allowFailure: true })).code, 0, "self-signed: not trusted without -k");
                }
                assert.equal((await onHost("tele1", ["telegraf", "--config", "/etc/telegraf/telegraf.conf", "--once"], { allowFailure: true })).code, 0,
                    "telegraf --once writes to the data nodes over HTTPS");
            }

            before(async () => {
                dirBefore = fs.readdirSync(dir).sort();
                const salt = await cli.initStack(stack, path.join(dir, "Pulumi.yaml"), path.join(tmp, stack));
                stackCreated = true;
                let yaml = fs.readFileSync(path.join(dir, "Pulumi.sandbox.yaml"), "utf8")
                    .replace(new RegExp(`(${ex.name}:sandboxState:).*`), `$1 ${path.join(state.dir, "state.json")}`);
                if (ex.name === "ca-signed") {
                    certDir = path.join(tmp, `${stack}-certs`);
                    make(certDir);
                    caFile = path.join(certDir, "ca.crt");
                    yaml = yaml.replace(/(ca-signed:certDir:).*/, `$1 ${certDir}`);
                    assert.ok(!/fileInstaller/.test(yaml), "examples/ca-signed's sandbox config picks no fileInstaller");
                    // The other examples run with the default ("transaction"); this one exercises the
                    // real command plugin: one remote.Command per certificate file.
                    yaml = yaml.replace(/^config:\n/m, "config:\n  ca-signed:fileInstaller: command\n");
                }
                baseConfig = yaml;
                configFile = path.join(tmp, `Pulumi.${stack}.yaml`);
                fs.writeFileSync(configFile, `${baseConfig}${salt}\n`);
            });

            after(async () => {
                if (stackCreated && applied) await cli.run(`${ex.name} destroy (cleanup)`, ["destroy", "--yes", ...withConfig()]);
                if (stackCreated) await cli.run(`${ex.name} stack rm`, ["stack", "rm", "--yes", "--force", ...flags()]);
                for (const n of HOSTS) await resetHost(n).catch((e) => console.log(`[real] resetHost(${n}): ${e}`));
            });

            it("up: HTTPS on every node, verified as the example documents", async () => {
                applied = true;
                const r = await step("up", ["up", "--yes", "--skip-preview"]);
                total = count(r.out, "created");
                assert.ok(total > 0, `resources created:\n${r.out.slice(-3000)}`);
                // The CLI says where each plugin came from; the language host is the real one, not build/bin's.
                const used = (p: string) => r.out.includes(`using ${p} from $PATH at ${path.join(PLUGINS, p)}`);
                // The command plugin only where files go through remote.Command (ca-signed, set to
                // fileInstaller command above); the others run the default transaction: no plugin.
                for (const p of ["pulumi-language-nodejs", ...(ex.name === "ca-signed" ? ["pulumi-resource-command"] : ["pulumi-resource-tls"])]) {
                    assert.ok(used(p), `the CLI ran ${path.join(PLUGINS, p)}:\n${r.out.slice(-3000)}`);
                }
                await verify();
            });

            it("second up: 0 changes; preview --expect-no-changes", async () => {
                const r = await step("second up", ["up", "--yes"]);
                assert.equal(count(r.out, "unchanged"), total, `all ${total} unchanged:\n${r.out.slice(-3000)}`);
                assert.ok(!/\d+ (to create|to update|to delete|to replace|created|updated|deleted|replaced)\b/.test(r.out), `no change:\n${r.out.slice(-3000)}`);
                await cli.ok(`${ex.name} preview --expect-no-changes`, ["preview", "--expect-no-changes", ...withConfig()]);
            });

            it("rotation: new keys; each meta and data node restarted exactly once; verified again", async () => {
                const before = Object.fromEntries(HOSTS.map((n) => [n, { starts: starts(nodes[n]), pid: unitPid(nodes[n]) }]));
                const oldFingerprints = fingerprints;
                if (ex.name === "ca-signed") {
                    make(certDir); // same CA (make-certs.sh keeps ca.key), new node keys and certificates
                } else {
                    const salt = fs.readFileSync(configFile, "utf8").match(/^encryptionsalt:.*$/m)![0];
                    fs.writeFileSync(configFile, `${baseConfig.replace(/^config:\n/m, `config:\n  ${ex.name}:rotationTrigger: rotation-1\n`)}${salt}\n`);
                }
                await step("rotation", ["up", "--yes", "--skip-preview"]);
                for (const n of HOSTS) {
                    const want = n === "tele1" ? 0 : 1; // the CA is the same, so Telegraf's files and config are too
                    assert.equal(starts(nodes[n]) - before[n].starts, want, `${n}: ${UNIT[n]} started ${want} time(s) by the rotation`);
                    if (want === 1) assert.notEqual(unitPid(nodes[n]), before[n].pid, `${n}: a new ${UNIT[n]} process`);
                }
                await verify();
                for (const [i, n] of NODES.entries()) assert.notEqual(fingerprints[i], oldFingerprints[i], `${n}: a new certificate`);
                const again = await step("after rotation", ["up", "--yes"]);
                assert.equal(count(again.out, "unchanged"), total, "the same trigger again is no change");
            });

            it("destroy: configs byte-identical, no file left, HTTP again", async () => {
                const r = await step("destroy", ["destroy", "--yes"]);
                applied = false;
                assert.equal(count(r.out, "deleted"), total, `all ${total} deleted`);
                assert.deepEqual(configsDifferingFromBaseline(state, HOSTS), [], "every config byte-identical to the baseline");
                for (const n of NODES) {
                    for (const f of ex.nodeFiles) assert.equal((await onHost(n, ["test", "-e", f], { allowFailure: true })).code, 1, `${n}:${f} removed`);
                }
                for (const f of ex.teleFiles) assert.equal((await onHost("tele1", ["test", "-e", f], { allowFailure: true })).code, 1, `tele1:${f} removed`);
                assert.equal(await plainPing(nodes.data1), 204);
                assert.equal(await plainPing(nodes.data2), 204);
                assert.equal((await onHost("meta1", ["influxd-ctl", "-bind", `${nodes.meta1.address}:8091`, "show"], { allowFailure: true })).code, 0, "meta node on HTTP");
                assert.deepEqual(fs.readdirSync(dir).sort(), dirBefore, `nothing written into examples/${ex.name}`);
                const all = cli.outputs.join("\n");
                assert.ok(!all.includes("PRIVATE KEY"), "no private key in any CLI output");
            });
        });
    }
});
