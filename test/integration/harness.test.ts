/**
 * The test harness itself, on a real host: a hand-written program with a remote.Command
 * (run over real SSH on data1), a tls PrivateKey + SelfSignedCert (made by openssl) and a
 * TomlSettings (the real dynamic provider, loaded from its serialized `__provider`) that
 * dependsOn the command. Checks creation order, effects on the host, a no-op second up,
 * update vs replace of a Command, destroy order and a byte-identical config afterwards.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { after, before, describe, it } from "node:test";
import { remote } from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { TomlSettings } from "../../provider/resources/tomlSettings";
import { DeploymentError, runProgram, type Deployment } from "../harness";
import { findHost, loadSandbox, onHost, resetHost, sandboxUp, type HostState, type SandboxState } from "../sandbox";
import { baselineInfluxConf, influxConfPath, influxdPid } from "./helpers/hosts";

const FILE = "/tmp/harness-test-file";
const CONF = "/etc/influxdb/influxdb.conf";
const T = {
    command: "command:remote:Command",
    key: "tls:index/privateKey:PrivateKey",
    cert: "tls:index/selfSignedCert:SelfSignedCert",
    toml: "pulumi-nodejs:dynamic/influxdb-tls:TomlSettings",
};

/** The Command's connection as a user of @pulumi/command writes it: pinned host key line. */
function commandConnection(s: SandboxState, h: HostState, hostKey = h.hostKey) {
    return { host: h.address, port: h.sshPort, user: "root", privateKey: fs.readFileSync(s.clientKeyPath, "utf8"), hostKey };
}

interface Knobs {
    content?: string;
    trigger?: string;
    limit?: number;
}

/** The program under test. Same knobs → same desired state. */
function program(s: SandboxState, h: HostState, k: Knobs = {}) {
    return () => {
        const write = new remote.Command("write-file", {
            connection: commandConnection(s, h),
            create: `install -m 0644 /dev/stdin ${FILE}`,
            delete: `rm -f ${FILE}`,
            stdin: k.content ?? "hello from the harness\n",
            triggers: [k.trigger ?? "v1"],
        });
        const key = new tls.PrivateKey("key", { algorithm: "ECDSA", ecdsaCurve: "P256" });
        new tls.SelfSignedCert("cert", {
            privateKeyPem: key.privateKeyPem,
            subject: { commonName: h.name, organization: "harness" },
            dnsNames: [h.name, "localhost"],
            ipAddresses: [h.address],
            validityPeriodHours: 24,
            allowedUses: ["digital_signature", "key_encipherment", "server_auth"],
        });
        new TomlSettings(
            "conf",
            {
                connection: { ...commandConnection(s, h), connectTimeoutSeconds: 10 },
                path: CONF,
                edits: [{ table: "http", set: { "max-connection-limit": k.limit ?? 7 } }],
                service: {
                    restart: ["systemctl", "restart", "influxdb"],
                    verify: ["influx", "-host", h.address, "-execute", "SHOW DATABASES"],
                    revertVerify: ["influx", "-host", h.address, "-execute", "SHOW DATABASES"],
                },
            },
            { dependsOn: [write] },
        );
    };
}

async function fileOnHost(h: HostState): Promise<string | undefined> {
    const r = await onHost(h.name, ["cat", FILE], { allowFailure: true });
    return r.code === 0 ? r.stdout : undefined;
}

describe("harness: a program's full create → verify → destroy on data1", { timeout: 300_000 }, () => {
    let s: SandboxState;
    let data1: HostState;
    let d: Deployment;
    const started = Date.now();

    before(async () => {
        await sandboxUp();
        s = loadSandbox();
        data1 = findHost(s, "data1");
        await resetHost("data1");
        await onHost("data1", ["rm", "-f", FILE]);
    });
    after(async () => {
        await onHost("data1", ["rm", "-f", FILE]).catch(() => undefined);
        await resetHost("data1");
        console.log(`harness.test: ${Date.now() - started} ms`);
    });

    it("up creates every resource, each after what it depends on", async () => {
        d = await runProgram(program(s, data1));
        const order = d.resources.map((r) => r.name);
        assert.ok(order.indexOf("key") < order.indexOf("cert"), `key before cert: ${order}`);
        assert.ok(order.indexOf("write-file") < order.indexOf("conf"), `command before conf: ${order}`);
        const conf = d.get("conf", T.toml);
        assert.ok(conf.dependencies.includes(d.get("write-file").urn), "dependsOn reaches the engine");
        assert.ok(d.get("cert").dependencies.includes(d.get("key").urn));
        assert.deepEqual(d.last.steps.map((x) => x.op), ["create", "create", "create", "create"]);
        assert.equal(typeof conf.inputs.__provider, "string", "the serialized provider is in the inputs");
    });

    it("the command wrote the file from stdin, 0644, over one SSH connection", async () => {
        assert.equal(await fileOnHost(data1), "hello from the harness\n");
        const mode = await onHost("data1", ["stat", "-c", "%a %U", FILE]);
        assert.equal(mode.stdout.trim(), "644 root");
        const step = d.last.steps.find((x) => x.name === "write-file")!;
        assert.equal(step.sshConnections, 1);
        assert.equal(step.detail, `install -m 0644 /dev/stdin ${FILE}`);
        const cmd = d.get("write-file");
        assert.equal(cmd.outputs.stdout, "");
        assert.ok(cmd.secretInputs.includes("connection") && cmd.secretOutputs.includes("connection"));
    });

    it("the certificate (openssl) carries the SANs and usages asked for, and matches the key", () => {
        const key = d.get("key");
        const cert = d.get("cert");
        assert.ok(key.secretOutputs.includes("privateKeyPem"), "privateKeyPem is a secret output");
        assert.match(String(key.outputs.privateKeyPem), /^-----BEGIN EC PRIVATE KEY-----/);
        const pem = String(cert.outputs.certPem);
        const text = execFileSync("openssl", ["x509", "-noout", "-text"], { input: pem, encoding: "utf8" });
        assert.ok(text.includes(`DNS:data1, DNS:localhost, IP Address:${data1.address}`), "SANs (the address follows PITLS_SANDBOX_NET)");
        assert.match(text, /CA:FALSE/);
        assert.match(text, /Digital Signature, Key Encipherment/);
        assert.match(text, /TLS Web Server Authentication/);
        assert.match(text, /Subject: O = harness, CN = data1/);
        const certPub = execFileSync("openssl", ["x509", "-noout", "-pubkey"], { input: pem, encoding: "utf8" });
        assert.equal(certPub, key.outputs.publicKeyPem);
        const hours = (Date.parse(String(cert.outputs.validityEndTime)) - Date.parse(String(cert.outputs.validityStartTime))) / 3600_000;
        assert.equal(hours, 24);
        assert.equal(cert.outputs.readyForRenewal, false);
    });

    it("TomlSettings edited the config and restarted influxd, over one SSH connection", () => {
        const conf = fs.readFileSync(influxConfPath(data1), "utf8");
        assert.match(conf, /^\s*max-connection-limit = 7$/m);
        const step = d.last.steps.find((x) => x.name === "conf")!;
        assert.equal(step.sshConnections, 1);
        assert.equal(d.get("conf").outputs.restarted, true);
        for (const x of d.last.steps.filter((x) => x.type.startsWith("tls:"))) assert.equal(x.sshConnections, 0);
    });

    it("a second up with nothing changed runs nothing: no SSH, no write, no restart", async () => {
        const pid = influxdPid(data1);
        const mtime = fs.statSync(influxConfPath(data1)).mtimeMs;
        const log = await d.update(program(s, data1));
        assert.deepEqual(log.steps.map((x) => x.op), ["same", "same", "same", "same"]);
        assert.equal(log.sshConnections, 0);
        assert.equal(influxdPid(data1), pid);
        assert.equal(fs.statSync(influxConfPath(data1)).mtimeMs, mtime);
    });

    it("new stdin is an update (create runs again); the config is left alone", async () => {
        const log = await d.update(program(s, data1, { content: "second version\n" }));
        const ops = Object.fromEntries(log.steps.map((x) => [x.name, x.op]));
        assert.deepEqual(ops, { "write-file": "update", key: "same", cert: "same", conf: "same" });
        assert.equal(await fileOnHost(data1), "second version\n");
    });

    it("a trigger change replaces: new create, then the old delete — which removes the new file (the documented pitfall)", async () => {
        const log = await d.update(program(s, data1, { content: "second version\n", trigger: "v2" }));
        const mine = log.steps.filter((x) => x.name === "write-file").map((x) => x.op);
        assert.deepEqual(mine, ["create-replacement", "delete-replaced"]);
        assert.equal(await fileOnHost(data1), undefined, "create-before-delete: the old delete ran last");
        assert.equal(d.byType(T.command).length, 1);
    });

    it("a changed setting updates TomlSettings in place through the serialized provider: one connection, one restart", async () => {
        const pid = influxdPid(data1);
        const log = await d.update(program(s, data1, { content: "second version\n", trigger: "v2", limit: 8 }));
        const ops = Object.fromEntries(log.steps.map((x) => [x.name, x.op]));
        assert.deepEqual(ops, { "write-file": "same", key: "same", cert: "same", conf: "update" });
        assert.equal(log.steps.find((x) => x.name === "conf")!.sshConnections, 1);
        assert.match(fs.readFileSync(influxConfPath(data1), "utf8"), /^\s*max-connection-limit = 8$/m);
        assert.equal(d.get("conf").outputs.restarted, true);
        assert.notEqual(influxdPid(data1), pid);
    });

    it("destroy deletes dependents first and puts the config back byte for byte", async () => {
        const log = await d.destroy();
        const order = log.steps.map((x) => x.name);
        assert.ok(order.indexOf("conf") < order.indexOf("write-file"), `conf reverted before the command's delete: ${order}`);
        assert.ok(order.indexOf("cert") < order.indexOf("key"), `cert before key: ${order}`);
        assert.equal(log.steps.find((x) => x.name === "write-file")!.detail, `rm -f ${FILE}`);
        assert.equal(log.steps.find((x) => x.name === "conf")!.sshConnections, 1);
        assert.ok(fs.readFileSync(influxConfPath(data1)).equals(baselineInfluxConf(data1)), "config byte-identical to the baseline");
        assert.equal(d.resources.length, 0);
    });
});

describe("harness: remote.Command semantics and failures", { timeout: 120_000 }, () => {
    let s: SandboxState;
    let data1: HostState;

    before(async () => {
        await sandboxUp();
        s = loadSandbox();
        data1 = findHost(s, "data1");
    });
    after(async () => {
        await onHost("data1", ["rm", "-f", FILE, `${FILE}.2`]).catch(() => undefined);
    });

    it("stdout loses one trailing newline; environment goes to sshd, which (no AcceptEnv) drops it", async () => {
        const d = await runProgram(() => {
            new remote.Command("env", { connection: commandConnection(s, data1), create: 'echo "FOO=${FOO:-unset} shell=$0"', environment: { FOO: "bar" } });
        });
        assert.equal(d.get("env").outputs.stdout, "FOO=unset shell=bash");
        await d.destroy();
    });

    // The engine after a failure (without --continue-on-error): operations in flight finish,
    // no new one starts. With --parallel 1 the independent resource has not started yet.
    const modes: [string, { parallel?: boolean; continueOnError?: boolean }, boolean][] = [
        ["one at a time (--parallel 1): the independent one never starts", {}, false],
        ["in parallel: the independent one, already in flight, finishes", { parallel: true }, true],
        ["continueOnError (--continue-on-error): the independent one still starts", { continueOnError: true }, true],
    ];
    for (const [mode, options, independentRuns] of modes) {
        it(`a failing command fails the run with its output; dependents never run; ${mode}; the rest can be destroyed`, async () => {
            let err: DeploymentError | undefined;
            await runProgram(() => {
                const bad = new remote.Command("bad", { connection: commandConnection(s, data1), create: "echo oops >&2; exit 3" });
                new remote.Command("after-bad", { connection: commandConnection(s, data1), create: `touch ${FILE}.2` }, { dependsOn: [bad] });
                new remote.Command("independent", { connection: commandConnection(s, data1), create: `echo hi > ${FILE}`, delete: `rm -f ${FILE}` });
            }, options).catch((e) => (err = e));
            assert.ok(err instanceof DeploymentError, String(err));
            assert.match(err.message, /Process exited with status 3: running "echo oops >&2; exit 3":\noops/);
            assert.equal(err.errors.length, 1, `only the failure is an error: ${err.message}`);
            assert.deepEqual(err.deployment.resources.map((r) => r.name), independentRuns ? ["independent"] : [], "a failed create records nothing");
            assert.equal(await fileOnHost(data1), independentRuns ? "hi\n" : undefined);
            assert.equal((await onHost("data1", ["test", "-e", `${FILE}.2`], { allowFailure: true })).code, 1, "the dependent never ran");
            await err.deployment.destroy();
            assert.equal(await fileOnHost(data1), undefined);
        });
    }

    it("a resource the failed run never reached keeps its recorded state; destroy still removes it", async () => {
        const program = (text: string, withBad: boolean) => () => {
            if (withBad) new remote.Command("bad", { connection: commandConnection(s, data1), create: "exit 3" });
            new remote.Command("independent", { connection: commandConnection(s, data1), create: `echo ${text} > ${FILE}`, delete: `rm -f ${FILE}` });
        };
        const d = await runProgram(program("one", false));
        await assert.rejects(d.update(program("two", true)), DeploymentError);
        assert.equal(await fileOnHost(data1), "one\n", "not updated");
        assert.deepEqual(d.resources.map((r) => r.name), ["independent"]);
        assert.match(String(d.get("independent").inputs.create), /echo one/, "its state is the old one");
        await d.destroy();
        assert.equal(await fileOnHost(data1), undefined);
    });

    it("host keys: missing, fingerprint-form and wrong pins are refused before any command runs", async () => {
        const data2 = findHost(s, "data2");
        const cases: [string, string | undefined, RegExp][] = [
            ["missing", undefined, /has no hostKey/],
            ["fingerprint", data1.hostKeyFingerprint, /cannot parse a "SHA256:…" fingerprint/],
            ["wrong", data2.hostKey, /host key mismatch/i],
        ];
        for (const [name, hostKey, expected] of cases) {
            await assert.rejects(
                runProgram(() => {
                    const conn = { ...commandConnection(s, data1), hostKey };
                    if (hostKey === undefined) delete (conn as { hostKey?: string }).hostKey;
                    new remote.Command(name, { connection: conn, create: `touch ${FILE}.2` });
                }),
                expected,
            );
        }
        assert.equal((await onHost("data1", ["test", "-e", `${FILE}.2`], { allowFailure: true })).code, 1);
    });

    it("the tls provider's P224 default and camelCase allowedUses are refused", async () => {
        await assert.rejects(runProgram(() => void new tls.PrivateKey("p224", { algorithm: "ECDSA" })), /P224/);
        await assert.rejects(
            runProgram(() => {
                const key = new tls.PrivateKey("k", { algorithm: "RSA" });
                new tls.SelfSignedCert("c", { privateKeyPem: key.privateKeyPem, subject: { commonName: "x" }, validityPeriodHours: 1, allowedUses: ["serverAuth"] });
            }),
            /"serverAuth" is not a valid use/,
        );
    });
});

describe("harness: wiring without hosts", { timeout: 60_000 }, () => {
    class Pair extends pulumi.ComponentResource {
        constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
            super("test:harness:Pair", name, {}, opts);
            new tls.PrivateKey(`${name}-key`, { algorithm: "ED25519" }, { parent: this });
            this.registerOutputs({});
        }
    }

    it("components pass through; children carry the parent; dependsOn a component waits for its children", async () => {
        const d = await runProgram(() => {
            const pair = new Pair("pair");
            new tls.PrivateKey("after", { algorithm: "RSA" }, { dependsOn: [pair] });
        }, { parallel: true });
        const pair = d.get("pair");
        const child = d.get("pair-key");
        assert.equal(pair.custom, false);
        assert.equal(child.parent, pair.urn);
        assert.match(child.urn, /::test:harness:Pair\$tls:index\/privateKey:PrivateKey::pair-key$/);
        assert.ok(d.get("after").dependencies.includes(child.urn));
        assert.ok(d.resources.indexOf(child) < d.resources.indexOf(d.get("after")));
        assert.match(String(child.outputs.privateKeyPem), /^-----BEGIN PRIVATE KEY-----/);
        assert.match(String(child.outputs.publicKeyOpenssh), /^ssh-ed25519 AAAA\S+\n$/);
        assert.equal(d.last.steps[0].sshConnections, undefined, "parallel runs do not attribute SSH use");
        const log = await d.destroy();
        assert.deepEqual(log.steps.map((x) => x.name), ["after", "pair-key"]);
    });

    it("replacementTrigger as the engine (3.274) reads it: absent → set replaces nothing, a changed value replaces", async () => {
        const program = (trigger?: string) => () => void new tls.PrivateKey("k", { algorithm: "ED25519" },
            trigger === undefined ? {} : { replacementTrigger: trigger });
        const d = await runProgram(program());
        const ops = async (trigger?: string) => (await d.update(program(trigger))).steps.map((x) => x.op);
        assert.deepEqual(await ops("a"), ["same"], "no trigger stored: setting one is no change");
        assert.deepEqual(await ops("a"), ["same"]);
        assert.deepEqual(await ops("b"), ["create-replacement", "delete-replaced"], "a new value replaces");
        assert.deepEqual(await ops(undefined), ["same"], "dropping the trigger is no change");
        await d.destroy();
    });

    it("tls certificates: readyForRenewal replaces on every up once early renewal reaches the validity; earlyRenewalHours alone updates", async () => {
        const program = (earlyRenewalHours: number) => () => {
            const key = new tls.PrivateKey("k", { algorithm: "ED25519" });
            new tls.SelfSignedCert("c", { privateKeyPem: key.privateKeyPem, subject: { commonName: "c" }, allowedUses: ["server_auth"],
                validityPeriodHours: 24, earlyRenewalHours });
        };
        const d = await runProgram(program(8));
        assert.equal(d.get("c").outputs.readyForRenewal, false);
        const ops = async (early: number) => (await d.update(program(early))).steps.filter((x) => x.name === "c").map((x) => x.op);
        assert.deepEqual(await ops(8), ["same"]);
        assert.deepEqual(await ops(12), ["update"], "early_renewal_hours is not RequiresReplace in terraform-provider-tls");
        const cert = String(d.get("c").outputs.certPem);
        assert.deepEqual(await ops(24), ["create-replacement", "delete-replaced"], "the renewal window has begun: replaced");
        assert.notEqual(String(d.get("c").outputs.certPem), cert);
        assert.equal(d.get("c").outputs.readyForRenewal, true, "made ready for renewal (early renewal = validity)");
        assert.deepEqual(await ops(24), ["create-replacement", "delete-replaced"], "…and again on every up (the churn of issue 8)");
        await d.destroy();
    });

    it("a resource type without a stand-in fails loudly", async () => {
        class Bucket extends pulumi.CustomResource {
            constructor(name: string) {
                super("aws:s3/bucket:Bucket", name, {});
            }
        }
        await assert.rejects(
            runProgram(() => void new Bucket("b")),
            /no stand-in for resource type aws:s3\/bucket:Bucket/,
        );
    });
});
