/**
 * What the real Pulumi CLI (build/bin/pulumi, v3.274.1) prints and stores, on data1 of the
 * test hosts (issue 7 §0.4, §0.16, §0.17):
 *
 *   bad input (the guide's `http-certificate` typo)  → the message alone: no object dump, no
 *                                                      stack, no ANSI escapes (output to a file)
 *   a secret key that does not match the certificate → refused once it resolves, at preview,
 *                                                      before any SSH, the message alone — with the
 *                                                      default file installer and with "ssh", whose
 *                                                      separate RemoteFile resources (the CA file does
 *                                                      not depend on the key) must not reach the plan
 *   a secret set through extraEdits                  → up, refresh, destroy: never in plain text
 *                                                      in the state file or the CLI output
 *
 * A small JavaScript program in a temp dir (node_modules linked to this repo's) loads the
 * built package (bin/) by path; backend, PULUMI_HOME and certificates live in the temp dir.
 * It uses the default file installer (the certificate files move in the config's TomlSettings
 * transaction, their contents and priors secret), unless PITLS_INSTALLER names another.
 * Fails (never skips) when build/bin/pulumi is missing.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { isolatedCliEnv } from "./cliEnv";
import { findHost, hostLayout, loadSandbox, resetHost, sandboxUp, selectHosts, type HostState } from "../sandbox";
import { SECRET_SIG, SECRET_VALUE } from "../sdk";

const ROOT = path.resolve(__dirname, "../../..");
const BIN = path.join(ROOT, "build/bin");
const PULUMI = path.join(BIN, "pulumi");

const PROGRAM = `
const fs = require("fs");
const path = require("path");
const pulumi = require("@pulumi/pulumi");
const { DataNodeTls } = require(process.env.PITLS_PACKAGE);
const state = JSON.parse(fs.readFileSync(process.env.PITLS_SANDBOX_STATE, "utf8"));
const h = state.hosts.find((x) => x.name === "data1");
const read = (f) => fs.readFileSync(path.join(process.env.PITLS_CERT_DIR, f), "utf8");
const args = {
    connection: { host: h.address, hostKey: h.hostKey, privateKey: pulumi.secret(fs.readFileSync(state.clientKeyPath, "utf8")) },
    certificate: { provided: { certificatePem: read("data1.crt"), privateKeyPem: pulumi.secret(read("data1.key")), caCertificatePem: read("ca.crt") } },
    fileInstaller: process.env.PITLS_INSTALLER || undefined,
    verifyTimeoutSeconds: 20,
};
switch (process.env.PITLS_SCENARIO) {
    case "typo":
        args.extraEdits = [{ table: "http", set: { "http-certificate": "/etc/ssl/influxdb.crt" } }];
        break;
    case "mismatch":
        args.certificate.provided.privateKeyPem = pulumi.secret(read("data2.key"));
        break;
    case "secret":
        args.extraEdits = pulumi.secret([{ table: "http", set: { "shared-secret": process.env.PITLS_SECRET } }]);
        break;
}
const node = new DataNodeTls("data1", args);
exports.url = node.url;
exports.settings = node.settings;
`;

interface CliResult { code: number; out: string }

describe("real Pulumi CLI: refusals print the message alone; secrets in extraEdits stay encrypted", { timeout: 600_000 }, () => {
    const stack = `refusals-${crypto.randomBytes(4).toString("hex")}`;
    const secret = `pitls-shared-${crypto.randomBytes(12).toString("hex")}`;
    let tmp = "";
    let project = "";
    let env: NodeJS.ProcessEnv = {};
    let data1: HostState;
    let applied = false;
    const outputs: string[] = [];

    function pulumi(args: string[], scenario: string, installer = ""): Promise<CliResult> {
        return new Promise((resolve, reject) => {
            // Output goes to a pipe (as to a file): no terminal, so nothing should be coloured.
            const child = spawn(PULUMI, args, { cwd: project, env: { ...env, PITLS_SCENARIO: scenario, PITLS_INSTALLER: installer }, stdio: ["ignore", "pipe", "pipe"], timeout: 300_000 });
            const chunks: Buffer[] = [];
            child.stdout.on("data", (b: Buffer) => chunks.push(b));
            child.stderr.on("data", (b: Buffer) => chunks.push(b));
            child.on("error", reject);
            child.on("close", (code) => {
                const out = Buffer.concat(chunks).toString("utf8");
                outputs.push(out);
                console.log(`[refusals] pulumi ${args[0]} (${scenario}${installer ? `, fileInstaller ${installer}` : ""}) → exit ${code}`);
                resolve({ code: code ?? 128, out });
            });
        });
    }
    const on = () => ["--stack", stack, "--non-interactive"];
    const ok = (r: CliResult, what: string) => assert.equal(r.code, 0, `${what} failed:\n${r.out.slice(-6000)}`);
    const stateText = () => fs.readdirSync(path.join(tmp, "state"), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile()).map((e) => fs.readFileSync(path.join(e.parentPath ?? (e as any).path, e.name), "utf8")).join("\n");

    /** The message is there and nothing else of the error: no stack, no inspected object, no colours. */
    function assertMessageAlone(out: string, message: RegExp): void {
        console.log(`[refusals] ---- CLI output ----\n${out}[refusals] ---- end ----`);
        assert.match(out, message);
        assert.doesNotMatch(out, /\x1b\[/, "no ANSI escape codes when the output is not a terminal");
        assert.doesNotMatch(out, /^\s+at .*\(.*:\d+:\d+\)$/m, "no stack frames");
        assert.doesNotMatch(out, /ResourceError|__pulumi|\[Symbol|registrationPromise|\[Function|error serializing property/, "no dump of the component object");
        assert.doesNotMatch(out, /unhandled exception/, "reported as a refusal, not as a crash");
        assert.ok(out.split("\n").length < 40, `a short report, got ${out.split("\n").length} lines`);
    }

    before(async () => {
        assert.ok(fs.existsSync(PULUMI), `${PULUMI} is missing: run scripts/build-pulumi.sh (test/all.sh does it before the tests)`);
        assert.ok(fs.existsSync(path.join(ROOT, "bin/index.js")), "bin/ is missing: npm run build");
        await sandboxUp({ hosts: selectHosts(["data1", "data2"]) });
        const state = loadSandbox();
        data1 = findHost(state, "data1");
        await resetHost("data1", state);
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-refusals-"));
        const certDir = path.join(tmp, "certs");
        execFileSync("bash", [path.join(ROOT, "examples/ca-signed/make-certs.sh"), certDir,
            `data1=${data1.address}`, `data2=${findHost(state, "data2").address}`], { stdio: "ignore" });
        project = path.join(tmp, "project");
        fs.mkdirSync(project);
        fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: pitls-refusals\nruntime: nodejs\nmain: index.js\n");
        fs.writeFileSync(path.join(project, "index.js"), PROGRAM);
        fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(project, "node_modules"));
        env = isolatedCliEnv(BIN, tmp, "refusals", {
            PITLS_PACKAGE: path.join(ROOT, "bin/index.js"),
            PITLS_SANDBOX_STATE: path.join(state.dir, "state.json"),
            PITLS_CERT_DIR: certDir,
            PITLS_SECRET: secret,
        });
        fs.mkdirSync(path.join(tmp, "state"));
        ok(await pulumi(["login", `file://${path.join(tmp, "state")}`], "-"), "login");
        ok(await pulumi(["stack", "init", stack, "--secrets-provider", "passphrase", "--non-interactive"], "-"), "stack init");
    });

    after(async () => {
        try {
            if (applied) await pulumi(["destroy", "--yes", ...on()], "secret");
            await pulumi(["stack", "rm", "--yes", "--force", ...on()], "-");
        } finally {
            await resetHost("data1").catch((e) => console.log(`[refusals] resetHost(data1): ${e}`));
            if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
        }
    });

    it("a validation error (the http-certificate typo) is printed alone, no object dump, no ANSI codes", async () => {
        const r = await pulumi(["preview", ...on()], "typo");
        assert.notEqual(r.code, 0);
        assertMessageAlone(r.out, /DataNodeTls data1: extraEdits: \[http\] "http-certificate" .*use "https-certificate"/);
    });

    // The default installer, and "ssh": there each file is a resource of its own, and the CA
    // file's does not depend on the key, so it could reach the plan before the refusal.
    for (const installer of ["", "ssh"]) {
        const label = installer ? `fileInstaller "${installer}"` : "the default file installer";
        it(`a secret private key that does not match the certificate is refused at preview, the message alone (${label})`, async () => {
            const before = fs.readFileSync(path.join(hostLayout(data1.dir).etcInfluxdb, "influxdb.conf"));
            const r = await pulumi(["preview", ...on()], "mismatch", installer);
            assert.notEqual(r.code, 0);
            assertMessageAlone(r.out, /DataNodeTls data1: certificate\.provided\.privateKeyPem does not match the certificate/);
            assert.ok(fs.readFileSync(path.join(hostLayout(data1.dir).etcInfluxdb, "influxdb.conf")).equals(before), "nothing changed on the host");
            assert.doesNotMatch(r.out, /RemoteFile|TomlSettings/, "no resource of this node gets as far as the plan (the CA file included)");
        });
    }

    it("a secret set through extraEdits never appears in plain text: state after up and refresh, CLI output", async () => {
        applied = true;
        const up = await pulumi(["up", "--yes", "--skip-preview", ...on()], "secret");
        ok(up, "up");
        const conf = fs.readFileSync(path.join(hostLayout(data1.dir).etcInfluxdb, "influxdb.conf"), "utf8");
        assert.ok(conf.includes(`shared-secret = "${secret}"`), "the secret was applied on the host");
        const check = () => {
            const text = stateText();
            assert.ok(text.length > 1000, "state file found");
            assert.ok(!text.includes(secret), "the secret must not be in the state in plain text");
            const deployment = JSON.parse(fs.readFileSync(findStateFile(path.join(tmp, "state"), stack), "utf8"));
            const config = deployment.checkpoint.latest.resources.find((r: any) => String(r.urn).endsWith("::data1-config"));
            assert.ok(config, "data1-config in state");
            for (const k of ["settings", "undo", "fileSha256", "originalSha256", "fileContents", "filePriors"]) {
                assert.equal(config.outputs[k]?.[SECRET_SIG], SECRET_VALUE, `outputs.${k} must be a secret`);
            }
            for (const k of ["settings", "fileContents"]) {
                assert.equal(config.inputs[k]?.[SECRET_SIG], SECRET_VALUE, `inputs.${k} must be a secret`);
            }
        };
        check();
        ok(await pulumi(["refresh", "--yes", ...on()], "secret"), "refresh");
        check();
        const out = await pulumi(["stack", "output", "--json", ...on()], "secret");
        assert.match(out.out, /"settings": "\[secret\]"/);
        for (const o of outputs) assert.ok(!o.includes(secret), "the secret must not be in any CLI output");
        ok(await pulumi(["destroy", "--yes", ...on()], "secret"), "destroy");
        applied = false;
        assert.ok(!fs.readFileSync(path.join(hostLayout(data1.dir).etcInfluxdb, "influxdb.conf"), "utf8").includes(secret), "destroy removed the secret");
    });
});

/** The stack's checkpoint file in a file backend. */
function findStateFile(dir: string, stack: string): string {
    for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
        if (e.isFile() && e.name === `${stack}.json`) return path.join(e.parentPath ?? (e as any).path, e.name);
    }
    throw new Error(`no state file for ${stack} under ${dir}`);
}
