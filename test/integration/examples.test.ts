/**
 * The examples, run for real on the test hosts through the mock-driven harness: every file
 * install and config edit happens over real SSH; data nodes are the real influxd (data1
 * 1.6.7, data2 1.13.2), meta1 runs the meta stand-in with the influxd-ctl stand-in, tele1
 * the real Telegraf 1.37.2 (test/sandbox/README.md). Each example goes up, is checked from outside, is applied again
 * with no change, and is destroyed back to byte-identical configs on HTTP.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { runProgram } from "../harness";
import { findHost, hostLayout, onHost, resetHost, run, type HostState, type SandboxState } from "../sandbox";
import { configsDifferingFromBaseline, influxHttps, plainPing, sandbox } from "./helpers/hosts";

/** The compiled example programs (bin-test/examples) and their sources (for make-certs.sh). */
const EXAMPLES = path.join(__dirname, "../../examples");
const EXAMPLE_SOURCES = path.join(__dirname, "../../../examples");
const HOSTS = ["meta1", "data1", "data2", "tele1"];

/** A fresh copy of an example program (require caches modules; each run must execute it again). */
function exampleProgram(name: string, project: string, config: Record<string, string>) {
    return () => {
        for (const [k, v] of Object.entries(config)) pulumi.runtime.setConfig(`${project}:${k}`, v);
        const file = require.resolve(path.join(EXAMPLES, name, "index"));
        for (const key of Object.keys(require.cache)) {
            if (key.includes(`${path.sep}examples${path.sep}`)) delete require.cache[key];
        }
        require(file);
    };
}

/** Every config file on every host, as the sandbox's baseline has it. */
function configsAreBaseline(state: SandboxState): string[] {
    return configsDifferingFromBaseline(state, HOSTS);
}

async function ctl(meta: HostState, args: string[], env: string[] = []): Promise<number> {
    return (await onHost(meta.name, ["env", ...env, "influxd-ctl", "-bind", `${meta.address}:8091`, ...args, "show"], { allowFailure: true })).code;
}

/** Telegraf's `mem` points in its database on one data node (the real inputs.mem; 0 when none or no database). */
async function telegrafPoints(data: HostState, extra: string[]): Promise<number> {
    const r = await run(["influx", "-ssl", ...extra, "-host", data.address, "-database", "telegraf", "-format", "csv",
        "-execute", "SELECT count(total) FROM mem"], { allowFailure: true });
    const m = /,(\d+)\s*$/.exec(r.stdout.trim());
    return m ? Number(m[1]) : 0;
}

/**
 * Telegraf's points on the data nodes together: the real outputs.influxdb writes each batch
 * to one of its urls (in random order), so a point may be on either. The example's verify
 * command, `telegraf --once`, wrote at least one batch through the real TLS settings.
 */
async function waitForPoints(nodes: HostState[], extra: string[], atLeast: number): Promise<number> {
    const total = async () => (await Promise.all(nodes.map((n) => telegrafPoints(n, extra)))).reduce((a, b) => a + b, 0);
    for (let i = 0; i < 20; i++) {
        const n = await total();
        if (n >= atLeast) return n;
        await new Promise((r) => setTimeout(r, 500));
    }
    return total();
}

/** `telegraf --once` with the file as applied, run on tele1 as its verify command does: exit code and stderr. */
async function telegrafOnce(tele: HostState): Promise<{ code: number; stderr: string }> {
    const r = await onHost(tele.name, ["telegraf", "--config", "/etc/telegraf/telegraf.conf", "--once"], { allowFailure: true });
    return { code: r.code, stderr: r.stderr };
}

describe("examples on the test hosts (harness)", { timeout: 900_000 }, () => {
    let state: SandboxState;
    let meta1: HostState, data1: HostState, data2: HostState, tele1: HostState;

    before(async () => {
        state = await sandbox();
        [meta1, data1, data2, tele1] = HOSTS.map((n) => findHost(state, n));
        for (const n of HOSTS) await resetHost(n);
        assert.deepEqual(configsAreBaseline(state), []);
    });
    after(async () => {
        for (const n of HOSTS) await resetHost(n);
    });

    it("self-signed: meta HTTPS (-k), data HTTPS (-unsafeSsl), Telegraf writes with insecure_skip_verify; destroy → HTTP", async () => {
        const stateFile = path.join(state.dir, "state.json");
        // validityDays 30, as the example's Pulumi.sandbox.yaml: the default early renewal used to
        // equal it, and the real tls provider replaced every certificate on every up (issue 8).
        const program = exampleProgram("self-signed", "self-signed", { sandboxState: stateFile, validityDays: "30" });
        const started = Date.now();
        const d = await runProgram(program, { project: "self-signed" });
        console.log(`self-signed up: ${Date.now() - started} ms, ${d.last.sshConnections} SSH connections for ${HOSTS.length} hosts`);
        for (const s of d.last.steps.filter((x) => x.sshConnections)) console.log(`  ${s.op} ${s.name}: ${s.sshConnections} connection(s), ${s.ms} ms`);
        assert.equal(await ctl(meta1, ["-bind-tls", "-k"]), 0, "influxd-ctl -bind-tls -k show");
        // The guide's own command, with influxd-ctl's default bind (localhost:8091): the localhost SAN makes it verify by name.
        assert.equal((await onHost(meta1.name, ["influxd-ctl", "-bind-tls", "-k", "show"], { allowFailure: true })).code, 0);
        assert.notEqual(await ctl(meta1, ["-bind-tls"]), 0, "self-signed is not trusted without -k");
        assert.notEqual(await ctl(meta1, []), 0, "plain HTTP no longer works");
        assert.equal(await influxHttps(data1), 0);
        assert.equal(await influxHttps(data2), 0);
        assert.equal(await plainPing(data1), 400);
        assert.ok(await waitForPoints([data1, data2], ["-unsafeSsl"], 1) >= 1, "Telegraf's points arrive over HTTPS");
        const teleConf = fs.readFileSync(path.join(hostLayout(tele1.dir).etcTelegraf, "telegraf.conf"), "utf8");
        assert.match(teleConf, /^\s*insecure_skip_verify = true/m);
        const once = await telegrafOnce(tele1);
        assert.equal(once.code, 0, `telegraf --once over unverified HTTPS: ${once.stderr}`);

        const again = await d.update(program);
        assert.deepEqual([...new Set(again.steps.map((s) => s.op))], ["same"], "a second up changes nothing");
        assert.equal(again.sshConnections, 0, "and opens no SSH connection");

        const started2 = Date.now();
        await d.destroy();
        console.log(`self-signed destroy: ${Date.now() - started2} ms`);
        assert.deepEqual(configsAreBaseline(state), [], "every config byte-identical");
        assert.equal(await ctl(meta1, []), 0, "meta back on HTTP");
        assert.equal(await plainPing(data1), 204);
        assert.equal(await plainPing(data2), 204);
        for (const f of ["/etc/ssl/influxdb-selfsigned.crt", "/etc/ssl/influxdb-selfsigned.key"]) {
            for (const h of [meta1, data1, data2]) {
                assert.equal((await onHost(h.name, ["test", "-e", f], { allowFailure: true })).code, 1, `${h.name}:${f} removed`);
            }
        }
    });

    it("internal-ca: everything verified against the CA, no insecure flag; destroy → HTTP", async () => {
        const stateFile = path.join(state.dir, "state.json");
        const program = exampleProgram("internal-ca", "internal-ca", { sandboxState: stateFile, validityDays: "30" });
        const d = await runProgram(program, { project: "internal-ca" });
        const caPem = String(d.get("influxdb-ca-cert").outputs.certPem);
        const caFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pitls-ca-")), "ca.pem");
        fs.writeFileSync(caFile, caPem);
        assert.equal(await ctl(meta1, ["-bind-tls"], [`SSL_CERT_FILE=/etc/ssl/influxdb-ca.pem`]), 0, "meta verified against the CA, no -k");
        assert.equal((await run(["env", `SSL_CERT_FILE=${caFile}`, "influx", "-ssl", "-host", data2.address, "-execute", "SHOW DATABASES"], { allowFailure: true })).code, 0);
        assert.ok(await waitForPoints([data1, data2], ["-unsafeSsl"], 1) >= 1, "Telegraf writes, verifying with tls_ca");
        const once = await telegrafOnce(tele1);
        assert.equal(once.code, 0, `telegraf --once verified against tls_ca: ${once.stderr}`);
        const conf = fs.readFileSync(path.join(hostLayout(tele1.dir).etcTelegraf, "telegraf.conf"), "utf8");
        assert.match(conf, /tls_ca = "\/etc\/telegraf\/influxdb-ca\.pem"/);
        assert.ok(!/^\s*insecure_skip_verify = true/m.test(conf));
        const all = HOSTS.map((n) => {
            const l = hostLayout(findHost(state, n).dir);
            return [path.join(l.etcInfluxdb, "influxdb.conf"), path.join(l.etcInfluxdb, "influxdb-meta.conf"), path.join(l.etcTelegraf, "telegraf.conf")]
                .filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f, "utf8")).join("\n");
        }).join("\n");
        assert.ok(!/^\s*(https-insecure-tls|meta-insecure-tls|insecure_skip_verify) = true/m.test(all), "no insecure flag in any config");
        const again = await d.update(program);
        assert.deepEqual([...new Set(again.steps.map((s) => s.op))], ["same"], "a second up changes nothing");
        assert.equal(again.sshConnections, 0, "and opens no SSH connection");
        await d.destroy();
        assert.deepEqual(configsAreBaseline(state), []);
        assert.equal(await ctl(meta1, []), 0);
    });

    it("ca-signed (per-node files from make-certs.sh): verified against the given CA; destroy → HTTP", async () => {
        const certDir = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-ca-signed-"));
        execFileSync("bash", [path.join(EXAMPLE_SOURCES, "ca-signed/make-certs.sh"), certDir,
            `meta1=${meta1.address}`, `data1=${data1.address}`, `data2=${data2.address}`, `tele1=${tele1.address}`], { stdio: "ignore" });
        const program = exampleProgram("ca-signed", "ca-signed", { sandboxState: path.join(state.dir, "state.json"), certDir, layout: "per-node" });
        const d = await runProgram(program, { project: "ca-signed" });
        assert.equal(await ctl(meta1, ["-bind-tls"], [`SSL_CERT_FILE=/etc/ssl/influxdb-ca.pem`]), 0);
        assert.equal((await run(["env", `SSL_CERT_FILE=${path.join(certDir, "ca.crt")}`, "influx", "-ssl", "-host", data1.address, "-execute", "SHOW DATABASES"], { allowFailure: true })).code, 0);
        await d.destroy();
        assert.deepEqual(configsAreBaseline(state), []);
    });
});
