/**
 * What the real engine records when a TomlSettings create fails and cannot put the node back
 * (issue 7 §0 item 2): the real Pulumi CLI (build/bin/pulumi) runs a one-resource JavaScript
 * program in a temp project whose node_modules is the engine tests' consumer project (the
 * packed package, as a user installs it) against data1:
 *
 *   up (broken)   the key file is missing and the revert's check fails too → the engine
 *                 records an init failure: initErrors, healthy: false, the undo of the real
 *                 original, `connection` (SSH key inside) encrypted, no key text in the state
 *   up (fixed)    an update (init errors) converges: HTTPS verified, no initErrors
 *   destroy       influxdb.conf byte-identical to the original, HTTP again
 *
 * Fails (never skips) when build/bin/pulumi is missing.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { isolatedCliEnv } from "./cliEnv";
import { consumerProject } from "../engine/consumer";
import { findHost, resetHost, type HostState, type SandboxState } from "../sandbox";
import { baselineInfluxConf, influxConfPath, influxHttps, makeCertOnHost, plainPing, sandbox } from "../integration/helpers/hosts";
import { SECRET_SIG, SECRET_VALUE } from "../sdk";

const ROOT = path.resolve(__dirname, "../../..");
const BIN = path.join(ROOT, "build/bin");
const TYPE = "pulumi-nodejs:dynamic/influxdb-tls:TomlSettings";

const PROGRAM = `"use strict";
const fs = require("fs");
const { TomlSettings } = require("pulumi-influxdb-tls");
const p = JSON.parse(fs.readFileSync(process.env.PITLS_INITFAIL_PARAMS, "utf8"));
const r = new TomlSettings("conf", {
    connection: { host: p.host, hostKey: p.hostKey, privateKey: fs.readFileSync(p.keyPath, "utf8") },
    path: "/etc/influxdb/influxdb.conf",
    edits: [{ table: "http", set: { "https-enabled": true, "https-certificate": p.cert, "https-private-key": p.key } }],
    service: {
        restart: ["systemctl", "restart", "influxdb"],
        verify: ["influx", "-ssl", "-unsafeSsl", "-host", p.host, "-execute", "SHOW DATABASES"],
        revertVerify: ["influx", "-host", p.host, "-port", String(p.revertPort), "-execute", "SHOW DATABASES"],
        verifyTimeoutSeconds: p.timeout,
        status: ["systemctl", "is-active", "influxdb"],
    },
});
exports.healthy = r.healthy;
`;

interface Resource {
    type: string;
    outputs: Record<string, unknown>;
    initErrors?: string[];
}

describe("real Pulumi CLI: a create that cannot roll back is recorded as an init failure", { timeout: 600_000 }, () => {
    let tmp = "";
    let env: NodeJS.ProcessEnv = {};
    let state: SandboxState;
    let data1: HostState;
    let params = "";
    let stackMade = false;
    const stack = `initfail-${crypto.randomBytes(4).toString("hex")}`;

    function pulumi(args: string[]): Promise<{ code: number; out: string }> {
        return new Promise((resolve, reject) => {
            const started = Date.now();
            const child = spawn(path.join(BIN, "pulumi"), [...args, "--non-interactive", "--color", "never"], { cwd: path.join(tmp, "project"), env, stdio: ["ignore", "pipe", "pipe"], timeout: 240_000 });
            const chunks: Buffer[] = [];
            child.stdout.on("data", (b: Buffer) => chunks.push(b));
            child.stderr.on("data", (b: Buffer) => chunks.push(b));
            child.on("error", reject);
            child.on("close", (code) => {
                console.log(`[cli] pulumi ${args.join(" ")} → ${code} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
                resolve({ code: code ?? 128, out: Buffer.concat(chunks).toString("utf8") });
            });
        });
    }

    function setParams(p: Record<string, unknown>): void {
        fs.writeFileSync(params, JSON.stringify({ host: data1.address, hostKey: data1.hostKey, keyPath: state.clientKeyPath, timeout: 2, revertPort: 8086, ...p }));
    }

    async function exported(showSecrets = false): Promise<{ text: string; conf: Resource }> {
        const r = await pulumi(["stack", "export", "--stack", stack, ...(showSecrets ? ["--show-secrets"] : [])]);
        assert.equal(r.code, 0, r.out);
        const deployment = JSON.parse(r.out).deployment as { resources: Resource[] };
        const conf = deployment.resources.find((x) => x.type === TYPE);
        assert.ok(conf, "the TomlSettings resource is in the state");
        return { text: r.out, conf };
    }

    before(async () => {
        assert.ok(fs.existsSync(path.join(BIN, "pulumi")), "build/bin/pulumi is missing: run scripts/build-pulumi.sh");
        state = await sandbox();
        data1 = findHost(state, "data1");
        await resetHost("data1");
        const consumer = consumerProject();
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-initfail-"));
        const project = path.join(tmp, "project");
        fs.mkdirSync(project);
        fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: pitls-initfail\nruntime: nodejs\nmain: index.js\n");
        fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "pitls-initfail", private: true }));
        fs.writeFileSync(path.join(project, "index.js"), PROGRAM);
        fs.symlinkSync(path.join(consumer.dir, "node_modules"), path.join(project, "node_modules"));
        params = path.join(tmp, "params.json");
        fs.mkdirSync(path.join(tmp, "state"));
        env = isolatedCliEnv(BIN, tmp, "initfail", {
            PITLS_INITFAIL_PARAMS: params,
        });
        assert.equal((await pulumi(["login", `file://${path.join(tmp, "state")}`])).code, 0);
        const init = await pulumi(["stack", "init", stack, "--secrets-provider", "passphrase"]);
        assert.equal(init.code, 0, init.out);
        stackMade = true;
    });

    after(async () => {
        if (stackMade) {
            await pulumi(["destroy", "--yes", "--stack", stack]);
            await pulumi(["stack", "rm", "--yes", "--force", "--stack", stack]);
        }
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
        await resetHost("data1");
    });

    it("up with a missing key and a failing revert check: exit non-zero, init failure recorded truthfully, secrets encrypted", async () => {
        setParams({ cert: "/etc/ssl/missing.crt", key: "/etc/ssl/missing.key", revertPort: 9 });
        const r = await pulumi(["up", "--yes", "--skip-preview", "--stack", stack]);
        assert.notEqual(r.code, 0, r.out);
        // The engine prints an init failure's reasons: the provider puts the whole story there.
        assert.match(r.out, /TomlSettings create of \/etc\/influxdb\/influxdb\.conf on root@[\d.]+:22: verification `influx -ssl/);
        assert.match(r.out, /ROLLBACK FAILED/);
        assert.match(r.out, /Node state: \/etc\/influxdb\/influxdb\.conf has its previous content again/);
        const { text, conf } = await exported();
        assert.ok(conf.initErrors && conf.initErrors.length === 1, `initErrors recorded: ${JSON.stringify(conf.initErrors)}`);
        assert.match(conf.initErrors[0], /ROLLBACK FAILED/);
        assert.equal(conf.outputs.healthy, false);
        // originalSha256 is a secret output (a hash of a file that may hold secrets): encrypted in
        // state, and the true original's hash once decrypted.
        const original = conf.outputs.originalSha256 as Record<string, unknown>;
        assert.equal(original[SECRET_SIG], SECRET_VALUE, "originalSha256 is a secret in state");
        const shown = (await exported(true)).conf;
        assert.equal(JSON.parse(String((shown.outputs.originalSha256 as Record<string, unknown>).plaintext)), crypto.createHash("sha256").update(baselineInfluxConf(data1)).digest("hex"));
        const undo = conf.outputs.undo as { keys: { key: string; prior: string }[] } | Record<string, unknown>;
        // wp3 may make undo a secret output; either way it is stored.
        assert.ok(undo, "undo stored");
        const connection = conf.outputs.connection as Record<string, unknown>;
        assert.equal(connection[SECRET_SIG], SECRET_VALUE, "connection is a secret in state");
        assert.ok(typeof connection.ciphertext === "string", "encrypted");
        assert.equal(typeof conf.outputs.__provider, "string", "__provider recorded: the resource can be updated and deleted");
        const keyLine = fs.readFileSync(state.clientKeyPath, "utf8").split("\n")[2]!;
        assert.ok(keyLine.length > 40 && !text.includes(keyLine), "no SSH key text in the exported state");
        assert.ok(fs.readFileSync(influxConfPath(data1)).equals(baselineInfluxConf(data1)), "config back to the original");
    });

    it("up with the inputs fixed converges (update of a resource with init errors); destroy restores every byte", async () => {
        const cert = await makeCertOnHost(data1);
        setParams({ cert: cert.cert, key: cert.key, timeout: 20 });
        const r = await pulumi(["up", "--yes", "--skip-preview", "--stack", stack]);
        assert.equal(r.code, 0, r.out);
        assert.match(r.out, /1 updated/);
        const { conf } = await exported();
        assert.equal((conf.initErrors ?? []).length, 0);
        assert.equal(conf.outputs.healthy, true);
        assert.equal(await influxHttps(data1), 0);
        const d = await pulumi(["destroy", "--yes", "--stack", stack]);
        assert.equal(d.code, 0, d.out);
        assert.ok(fs.readFileSync(influxConfPath(data1)).equals(baselineInfluxConf(data1)), "byte-identical after destroy");
        assert.equal(await plainPing(data1), 204);
    });
});
