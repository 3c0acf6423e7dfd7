/**
 * Engine-equivalent: the packed package installed in a consumer project, the provider text
 * made by the SDK's serializer there, and the SDK's own dynamic-provider host driven over gRPC
 * in the engine's order against the real data1 (sshd + influxd 1.6.7). What differs from
 * `pulumi up` is only the engine itself (state file, secrets encryption, step ordering of
 * several resources) — every byte the provider sees goes the engine's way.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { consumerProject, type Consumer } from "../engine/consumer";
import { DynamicProviderHost, HostRpcError, type Props } from "../engine/host";
import { INIT_FAIL_TYPE, initFailSpec } from "../engine/initFailResource";
import { packageRequires, serializeInConsumer, type ResourceSpec, type Serialized } from "../engine/serialize";
import { sha256Hex } from "../../provider/ssh";
import { findHost, resetHost, type HostState, type SandboxState } from "../sandbox";
import { baselineInfluxConf, connectionTo, dataNodeService, influxConfPath, influxHttps, makeCertOnHost, plainPing, sandbox } from "./helpers/hosts";

const TOML_TYPE = "pulumi-nodejs:dynamic/influxdb-tls:TomlSettings";
const CONF = "/etc/influxdb/influxdb.conf";

describe("engine-equivalent: SDK dynamic-provider host over gRPC, packed package, real data1", { timeout: 240_000 }, () => {
    let consumer: Consumer;
    let state: SandboxState;
    let data1: HostState;
    let host: DynamicProviderHost;
    let privateKey: string;
    let v1: Serialized, v2: Serialized, bad: Serialized, stuck: Serialized;
    const sizes: Record<string, number> = {};
    const errors: string[] = []; // every error text the host sent back, checked for key material at the end

    function tomlSpec(name: string, certPaths: { cert: string; key: string }, extra: Record<string, unknown> = {}, verifyTimeoutSeconds = 30, service: Record<string, unknown> = {}): ResourceSpec {
        return {
            module: "pulumi-influxdb-tls", exportName: "TomlSettings", name,
            args: {
                connection: connectionTo(state, "data1"),
                path: CONF,
                edits: [{ table: "http", set: { "https-enabled": true, "https-certificate": certPaths.cert, "https-private-key": certPaths.key, ...extra } }],
                service: { ...dataNodeService(data1), verifyTimeoutSeconds, ...service },
            },
        };
    }

    async function rejected(p: Promise<unknown>): Promise<HostRpcError> {
        try {
            await p;
        } catch (e) {
            assert.ok(e instanceof HostRpcError, String(e));
            errors.push(e.details);
            return e;
        }
        assert.fail("expected the RPC to fail");
    }

    before(async () => {
        const log = (l: string) => console.log(`consumer: ${l}`);
        consumer = consumerProject({ log });
        console.log(`consumer project ${consumer.dir} (${consumer.reused ? "reused" : "packed + installed"}) in ${consumer.setupMs} ms`);
        state = await sandbox();
        data1 = findHost(state, "data1");
        privateKey = fs.readFileSync(state.clientKeyPath, "utf8");
        await resetHost("data1");
        const cert = await makeCertOnHost(data1);
        const specs = [
            tomlSpec("conf", cert),
            tomlSpec("conf-v2", cert, { "max-connection-limit": 50 }),
            tomlSpec("conf-bad", { cert: "/etc/ssl/missing.crt", key: "/etc/ssl/missing.key" }, {}, 5),
            // The apply fails (missing key) and so does the revert's check (nothing on port 9).
            tomlSpec("conf-stuck", { cert: "/etc/ssl/missing.crt", key: "/etc/ssl/missing.key" }, {}, 2,
                { revertVerify: ["influx", "-host", data1.address, "-port", "9", "-execute", "SHOW DATABASES"] }),
        ];
        // Other dynamic resources the package ships, for the size report only.
        const remoteFileShipped = fs.existsSync(path.join(consumer.dir, "node_modules/pulumi-influxdb-tls/bin/resources/remoteFile.js"));
        if (remoteFileShipped) {
            specs.push({ module: "pulumi-influxdb-tls", exportName: "RemoteFile", name: "file",
                args: { connection: connectionTo(state, "data1"), path: "/tmp/x", content: "x", mode: "0644", owner: "root", group: "root" } });
        }
        const t = Date.now();
        const out = serializeInConsumer(consumer, specs);
        console.log(`serialized ${out.length} resources in the consumer in ${Date.now() - t} ms`);
        [v1, v2, bad, stuck] = out;
        sizes.TomlSettings = v1.providerBytes;
        if (remoteFileShipped) sizes.RemoteFile = out[4].providerBytes;
        host = await DynamicProviderHost.start(consumer);
    });

    after(async () => {
        const pid = host?.pid;
        await host?.stop();
        if (pid) {
            assert.throws(() => process.kill(pid, 0), /ESRCH/, "host process gone");
        }
        await resetHost("data1");
        console.log(`serialized __provider bytes per resource: ${JSON.stringify(sizes)}`);
        console.log(`RPC wall times (ms): ${host?.timings.map((t) => `${t.method}=${t.ms}`).join(" ")}`);
    });

    it("the engine's __provider: deep requires into the packed package, nothing of ours inlined, no key material", () => {
        assert.equal(v1.type, TOML_TYPE);
        assert.deepEqual(v1.secretInputs, ["connection"]);
        const reqs = packageRequires(v1.provider);
        assert.ok(reqs.length > 0, "requires pulumi-influxdb-tls/bin/…");
        const consumerRequire = createRequire(path.join(consumer.dir, "package.json"));
        for (const r of reqs) {
            assert.match(r, /^pulumi-influxdb-tls\/bin\/.+\.js$/);
            consumerRequire.resolve(r); // the exports map must allow it, or the host cannot load it
        }
        // Inlined copies would bring our modules' functions and their dependencies along.
        assert.doesNotMatch(v1.provider, /require\("(ssh2|smol-toml)"\)|function withSession|function applyTomlSettings/);
        assert.ok(!v1.provider.includes(privateKey.trim().split("\n")[1]), "no key material");
        assert.doesNotMatch(v1.provider, /PRIVATE KEY/);
        // Same class, same package: the text is deterministic (no spurious provider-only diffs).
        assert.equal(v2.provider, v1.provider);
        console.log(`TomlSettings __provider: ${v1.providerBytes} bytes, requires ${reqs.join(", ")}`);
    });

    it("Configure: the host accepts no secrets and does not support preview", async () => {
        // acceptSecrets=false: the engine sends plaintext and re-marks outputs secret by input name.
        // supportsPreview=false: the engine never calls Create/Update during preview.
        assert.deepEqual(await host.configure({}), { acceptSecrets: false, supportsPreview: false });
    });

    const urn = () => host.urn(TOML_TYPE, "conf");
    let inputs: Props;
    let id: string;
    let outs: Props;
    let createdProvider: string;

    it("Check → Create: HTTPS on data1 (influx -ssl works, plain HTTP gets 400)", async () => {
        assert.equal(await plainPing(data1), 204, "precondition: HTTP");
        const checked = await host.check(urn(), {}, v1.inputs);
        assert.deepEqual(checked.failures, []);
        assert.equal(checked.inputs.__provider, v1.provider);
        inputs = checked.inputs;
        // No Diff here: the engine diffs only resources it has state for; a new one goes Check → Create.
        const created = await host.create(urn(), inputs);
        id = created.id;
        outs = created.properties;
        createdProvider = outs.__provider as string;
        assert.equal(id, `${data1.address}:22:${CONF}`);
        assert.equal(outs.written, true);
        assert.equal(outs.restarted, true);
        assert.equal(createdProvider, v1.provider, "state stores the create's provider text");
        // The host does no secrets: the connection (key included) comes back in plaintext; only
        // the engine's rule "an output named like a secret input is secret" keeps it encrypted.
        assert.equal((outs.connection as Props).privateKey, privateKey);
        assert.equal(await influxHttps(data1), 0);
        assert.equal(await plainPing(data1), 400);
    });

    it("Read (refresh): no drift, and the following Diff reports no changes", async () => {
        const read = await host.read(urn(), id, outs, inputs);
        assert.equal(read.id, id);
        assert.deepEqual(read.properties.settings, outs.settings);
        assert.equal(read.properties.fileSha256, outs.fileSha256);
        assert.equal(read.inputs, undefined, "read returns no inputs: the engine keeps the old ones");
        const d = await host.diff(urn(), id, read.properties, inputs, inputs);
        assert.deepEqual(d, { changes: false, replaces: [], deleteBeforeReplace: false });
        outs = read.properties;
    });

    it("Check + Diff + Update with a changed setting", async () => {
        const checked = await host.check(urn(), inputs, v2.inputs);
        assert.deepEqual(checked.failures, []);
        const d = await host.diff(urn(), id, outs, checked.inputs, inputs);
        assert.deepEqual(d, { changes: true, replaces: [], deleteBeforeReplace: false });
        const updated = await host.update(urn(), id, outs, checked.inputs, inputs);
        outs = updated.properties;
        inputs = checked.inputs;
        assert.equal((outs.settings as Record<string, Props>).http["max-connection-limit"], 50);
        assert.match(fs.readFileSync(influxConfPath(data1), "utf8"), /max-connection-limit = 50/);
        assert.equal(await influxHttps(data1), 0);
    });

    it("a changed __provider text alone is no change (the engine keeps the stored outputs)", async () => {
        const rebuilt = `${v1.provider}\n// a rebuilt package\n`;
        const checked = await host.check(urn(), inputs, { ...v2.inputs, __provider: rebuilt });
        assert.equal(checked.inputs.__provider, rebuilt);
        const d = await host.diff(urn(), id, outs, checked.inputs, inputs);
        assert.deepEqual(d, { changes: false, replaces: [], deleteBeforeReplace: false });
        // A "same" step records the new inputs but keeps the old outputs, __provider included.
    });

    it("Delete runs the __provider stored at create: config byte-identical, HTTP back", async () => {
        assert.equal(outs.__provider, createdProvider, "byte-identical to the create's text");
        await host.delete(urn(), id, outs, inputs);
        assert.ok(fs.readFileSync(influxConfPath(data1)).equals(baselineInfluxConf(data1)), "byte-identical to the original");
        assert.equal(await plainPing(data1), 204);
    });

    it("a failing TomlSettings create: plain error naming host and file, no init failure, host untouched", async () => {
        const before = fs.readFileSync(influxConfPath(data1));
        const checked = await host.check(host.urn(TOML_TYPE, "conf-bad"), {}, bad.inputs);
        assert.deepEqual(checked.failures, []);
        const e = await rejected(host.create(host.urn(TOML_TYPE, "conf-bad"), checked.inputs));
        assert.equal(e.code, 2, "grpc UNKNOWN");
        assert.equal(e.initFailure, undefined, "rolled back: nothing for the engine to record");
        assert.ok(e.details.startsWith(`TomlSettings create of ${CONF} on root@${data1.address}:22: `), e.details);
        assert.match(e.details, /Rolled back/);
        assert.ok(fs.readFileSync(influxConfPath(data1)).equals(before), "file unchanged");
        assert.equal(await plainPing(data1), 204, "influxd on HTTP again");
    });

    it("a TomlSettings create whose rollback fails too: ErrorResourceInitFailed with the true prior state and __provider; Update converges, Delete restores every byte", async () => {
        const u = host.urn(TOML_TYPE, "conf-stuck");
        const checked = await host.check(u, {}, stuck.inputs);
        assert.deepEqual(checked.failures, []);
        const e = await rejected(host.create(u, checked.inputs));
        assert.match(e.details, /ROLLBACK FAILED/);
        assert.ok(e.initFailure, "ErrorResourceInitFailed in grpc-status-details-bin");
        assert.equal(e.initFailure.id, `${data1.address}:22:${CONF}`);
        // The engine prints (and stores as initErrors) the reasons, not the message.
        assert.deepEqual(e.initFailure.reasons, [e.details]);
        const p = e.initFailure.properties;
        assert.equal(p.__provider, stuck.provider, "recorded with __provider, so it can be updated and deleted");
        assert.equal(p.healthy, false);
        assert.equal(p.originalSha256, sha256Hex(baselineInfluxConf(data1)));
        // The host passes the connection back in plaintext; the engine re-marks it secret by
        // its input name (annotateSecrets, applied to partial-failure outputs too).
        assert.equal((p.connection as Props).privateKey, privateKey);
        assert.ok(fs.readFileSync(influxConfPath(data1)).equals(baselineInfluxConf(data1)), "file back to the original");

        // The engine's next step for a resource with init errors: Update with the recorded outputs.
        const fixed = await host.check(u, checked.inputs, v1.inputs);
        const updated = await host.update(u, e.initFailure.id, p, fixed.inputs, checked.inputs);
        assert.equal(updated.properties.healthy, true);
        assert.equal(await influxHttps(data1), 0);
        await host.delete(u, e.initFailure.id, updated.properties, fixed.inputs);
        assert.ok(fs.readFileSync(influxConfPath(data1)).equals(baselineInfluxConf(data1)), "byte-identical after delete");
        assert.equal(await plainPing(data1), 204);
    });

    it("the host's init-failure path: ErrorResourceInitFailed decoded; Delete with its properties works, without __provider it cannot", async () => {
        const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pitls-initfail-")), "deleted");
        const [half] = serializeInConsumer(consumer, [initFailSpec(consumer, "half", marker)]);
        assert.equal(half.type, INIT_FAIL_TYPE);
        const u = host.urn(INIT_FAIL_TYPE, "half");
        const checked = await host.check(u, {}, half.inputs);
        const e = await rejected(host.create(u, checked.inputs));
        assert.match(e.details, /InitFail half: created but never became healthy/);
        assert.ok(e.initFailure, "ErrorResourceInitFailed in grpc-status-details-bin");
        assert.equal(e.initFailure.id, "half-half");
        assert.deepEqual(e.initFailure.reasons, ["service did not start", "verify timed out"]);
        assert.equal(e.initFailure.properties.state, "partial");
        assert.equal(e.initFailure.properties.__provider, half.provider);

        await host.delete(u, e.initFailure.id, e.initFailure.properties);
        assert.equal(fs.readFileSync(marker, "utf8"), "deleted half-half partial");

        // The trap: partial state recorded without __provider cannot be deleted.
        const { __provider: _dropped, ...withoutProvider } = e.initFailure.properties;
        const trap = await rejected(host.delete(u, e.initFailure.id, withoutProvider));
        assert.match(trap.details, /code must be a string, not undefined/);
        fs.rmSync(path.dirname(marker), { recursive: true, force: true });
    });

    it("no error text or host log carries key material", () => {
        const keyLine = privateKey.trim().split("\n")[1];
        for (const text of [...errors, host.stderr]) {
            assert.ok(!text.includes(keyLine), "no private key bytes");
            assert.doesNotMatch(text, /PRIVATE KEY/);
        }
    });
});
