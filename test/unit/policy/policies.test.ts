/**
 * The policy pack (policy/) against what the examples really register (run under the
 * repository's mocks by exampleResources.ts, one child process per example), passing as
 * registered and failing once an input is changed the way a careless stack would.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import {
    CERTIFICATE_VALIDITY, NO_INSECURE_TLS, PRIVATE_KEY_MODE, SSH_HOST_KEY_PINNED, TLS_PROFILE, policies,
} from "../../../policy/policies";
import { CLUSTER_TLS, TOML_SETTINGS } from "../../../policy/resources";
import type { ExampleResource } from "./exampleResources";

/** Started at once, side by side (each is a node process running an example under mocks: seconds of CPU). */
function registered(example: string, ...config: string[]): Promise<ExampleResource[]> {
    return new Promise((resolve, reject) => {
        execFile(process.execPath, [path.join(__dirname, "exampleResources.js"), example, ...config], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
            if (err) reject(new Error(`${example} ${config.join(" ")}: ${err.message}\n${stderr}`));
            else resolve(JSON.parse(stdout));
        });
    });
}
const runs = {
    caSigned: registered("ca-signed"),
    selfSigned: registered("self-signed"),
    internalCa: registered("internal-ca"),
    viaSsh: registered("ca-signed", "fileInstaller=ssh"),
    viaCommand: registered("ca-signed", "fileInstaller=command"),
    cluster: registered("cluster-tls", "version=1.11.8", "tlsProfile=modern"),
};

type PolicyConfig = Record<string, Record<string, unknown>>;

interface Violation { policy: string; resource: string; message: string }

function args(r: ExampleResource, config: Record<string, unknown>): ResourceValidationArgs {
    return {
        type: r.type, props: r.props, urn: r.urn, name: r.name,
        opts: { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 } } as any,
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => config as T,
        notApplicable: (reason?: string) => { throw new Error(`notApplicable: ${reason}`); },
    };
}

async function check(resources: ExampleResource[], config: PolicyConfig = {}, only?: ResourceValidationPolicy[]): Promise<Violation[]> {
    const out: Violation[] = [];
    for (const policy of only ?? policies) {
        const validations = [policy.validateResource ?? []].flat();
        for (const r of resources) {
            for (const v of validations) {
                await v(args(r, config[policy.name] ?? {}), (message: string) => out.push({ policy: policy.name, resource: r.name, message }));
            }
        }
    }
    return out;
}

/** A deep copy with `edit` applied to the first resource of `type` named `name`. */
function edited(resources: ExampleResource[], name: string, edit: (props: Record<string, any>) => void): ExampleResource[] {
    const copy: ExampleResource[] = JSON.parse(JSON.stringify(resources));
    const r = copy.find((x) => x.name === name);
    assert.ok(r, `no resource ${name}`);
    edit(r.props);
    return copy;
}

const of = (vs: Violation[], policy: string) => vs.filter((v) => v.policy === policy);

// The mock answers @pulumi/tls with a certificate openssl made valid for 3 days (test/unit/components/mockWorld.ts),
// so the examples whose certificates come from @pulumi/tls hold a certificate that expires in 3 days.
const MOCK_CERT_OK = { [CERTIFICATE_VALIDITY]: { minValidityDays: 2 } };

describe("policy pack on what the examples register", () => {
    let caSigned: ExampleResource[], selfSigned: ExampleResource[], internalCa: ExampleResource[];
    let viaSsh: ExampleResource[], viaCommand: ExampleResource[], cluster: ExampleResource[];
    before(async () => {
        [caSigned, selfSigned, internalCa, viaSsh, viaCommand, cluster] = await Promise.all([runs.caSigned, runs.selfSigned, runs.internalCa, runs.viaSsh, runs.viaCommand, runs.cluster]);
    });

    it("ca-signed (per-node, CA trusted, transaction installer): no violation", async () => {
        assert.ok(caSigned.filter((r) => r.type === TOML_SETTINGS).length === 4);
        assert.deepEqual(await check(caSigned), []);
    });

    it("internal-ca: no violation (policy config accepting the mock's 3-day certificates)", async () => {
        assert.deepEqual(await check(internalCa, MOCK_CERT_OK), []);
    });

    it("self-signed: every insecure key and insecure verify named, per resource; allowed when the stack opts in", async () => {
        const vs = await check(selfSigned, MOCK_CERT_OK);
        for (const v of vs) console.log(`  ${v.policy} ${v.message}`);
        assert.deepEqual([...new Set(vs.map((v) => v.policy))], [NO_INSECURE_TLS]);
        const messages = vs.map((v) => v.message).join("\n");
        assert.match(messages, /meta1-config \(root@127\.0\.10\.11:22 \/etc\/influxdb\/influxdb-meta\.conf\): \[meta\] https-insecure-tls = true turns certificate verification off/);
        assert.match(messages, /data1-config \(root@127\.0\.10\.1:22 \/etc\/influxdb\/influxdb\.conf\): \[meta\] meta-insecure-tls = true/);
        assert.match(messages, /tele1-config \(root@127\.0\.10\.21:22 \/etc\/telegraf\/telegraf\.conf\): \[\[outputs\.influxdb\]\] #1 insecure_skip_verify = true/);
        assert.match(messages, /meta1-config [^\n]*service\.verify runs "influxd-ctl" with -k/);
        assert.match(messages, /data2-config [^\n]*service\.verify runs "influx" with -unsafeSsl/);
        assert.match(messages, /"allowInsecureTls": true/);
        // 4 keys (meta, 2 data, Telegraf) + 3 verifies (meta, 2 data).
        assert.equal(vs.length, 7);
        assert.deepEqual(await check(selfSigned, { ...MOCK_CERT_OK, [NO_INSECURE_TLS]: { allowInsecureTls: true } }), []);
    });

    it("insecure TLS: data-insecure-tls on a meta node, [cluster] https-insecure-tls, curl -sk in a health gate", async () => {
        const bad = edited(caSigned, "meta1-config", (p) => {
            p.settings.meta["data-insecure-tls"] = true;
            p.service.healthGate = { command: ["env", "X=1", "curl", "-sk", "https://127.0.10.1:8086/ping"], expectNodes: [], when: "always" };
        });
        const bad2 = edited(bad, "data1-config", (p) => { p.settings.cluster = { "https-enabled": true, "https-insecure-tls": true }; });
        const messages = of(await check(bad2), NO_INSECURE_TLS).map((v) => v.message);
        assert.equal(messages.length, 3, messages.join("\n"));
        assert.match(messages.join("\n"), /\[meta\] data-insecure-tls = true/);
        assert.match(messages.join("\n"), /service\.healthGate\.command runs "env" with -sk/);
        assert.match(messages.join("\n"), /data1-config [^\n]*\[cluster\] https-insecure-tls = true/);
        // `-k` of a program that is not a TLS client is not a verify flag.
        const journal = edited(caSigned, "data2-config", (p) => { p.service.logs = ["journalctl", "-k", "-n", "5"]; });
        assert.deepEqual(await check(journal, {}, policies.filter((p) => p.name === NO_INSECURE_TLS)), []);
    });

    it("private key mode: 0640 key (by content and by https-private-key path) refused for all three installers", async () => {
        const bad = edited(caSigned, "data1-config", (p) => { p.files[1].mode = "0640"; });
        const vs = of(await check(bad), PRIVATE_KEY_MODE);
        assert.equal(vs.length, 1);
        assert.match(vs[0].message, /^data1-config \(root@127\.0\.10\.1:22 \/etc\/influxdb\/influxdb\.conf\): private key file \/etc\/ssl\/influxdb\.key gets mode 0640; it must be 0600 or stricter/);
        assert.ok(!vs[0].message.includes("PRIVATE KEY"), "no key material in the message");
        // A key named by the setting even where the content is not known yet (preview of a generated key).
        const unknown = edited(caSigned, "data2-config", (p) => { p.files[1].mode = "0644"; p.fileContents[1] = undefined; });
        assert.match(of(await check(unknown), PRIVATE_KEY_MODE)[0].message, /\/etc\/ssl\/influxdb\.key gets mode 0644/);
        // During a preview, contents another resource makes (a @pulumi/tls key) are unknown and
        // @pulumi/policy throws on reading one: the key file is still checked by its path and mode.
        const { unknownCheckingProxy, unknownArrayValue } = require("@pulumi/policy/proxy");
        const previewing = edited(caSigned, "data1-config", (p) => { p.files[1].mode = "0640"; p.fileContents = unknownArrayValue; });
        const r = previewing.find((x) => x.name === "data1-config")!;
        r.props = unknownCheckingProxy(r.props);
        assert.throws(() => r.props.fileContents, /can't be known during preview/);
        const pv = of(await check([r]), PRIVATE_KEY_MODE);
        assert.equal(pv.length, 1);
        assert.match(pv[0].message, /\/etc\/ssl\/influxdb\.key gets mode 0640/);
        assert.deepEqual(of(await check([r]), CERTIFICATE_VALIDITY), [], "unknown certificates are not judged at preview");
        // 0400 is stricter than 0600: fine.
        assert.deepEqual(of(await check(edited(caSigned, "data1-config", (p) => { p.files[1].mode = "0400"; })), PRIVATE_KEY_MODE), []);

        assert.deepEqual(await check(viaSsh), []);
        const keyFile = viaSsh.find((r) => r.type.endsWith(":RemoteFile") && r.props.path === "/etc/ssl/influxdb.key")!;
        assert.match(of(await check(edited(viaSsh, keyFile.name, (p) => { p.mode = "0644"; })), PRIVATE_KEY_MODE)[0].message, /private key file \/etc\/ssl\/influxdb\.key gets mode 0644/);

        assert.deepEqual(await check(viaCommand), []);
        const cmd = viaCommand.find((r) => r.type === "command:remote:Command" && /influxdb\.key/.test(r.props.create))!;
        const loose = edited(viaCommand, cmd.name, (p) => { p.create = String(p.create).replace(/(pitls-write \S+) 0600/, "$1 0660"); });
        assert.match(of(await check(loose), PRIVATE_KEY_MODE)[0].message, /private key file \/etc\/ssl\/influxdb\.key gets mode 0660/);
    });

    it("certificate validity: provided PEM expiring within minValidityDays, and @pulumi/tls validity periods", async () => {
        // make-certs.sh signs for 30 days.
        const vs = of(await check(caSigned, { [CERTIFICATE_VALIDITY]: { minValidityDays: 45 } }), CERTIFICATE_VALIDITY);
        assert.ok(vs.length >= 4, vs.map((v) => v.message).join("\n"));
        assert.match(vs[0].message, /certificate "CN=[^"]+" in \/etc\/ssl\/influxdb[^ ]* expires 20\d\d-[^ ]+ \(in 29\.\d|in 30\.\d days\); policy requires at least 45 days of validity/);
        // The mock's 3-day certificate fails the default 14 days, in the file the component installs.
        const mock = of(await check(internalCa), CERTIFICATE_VALIDITY);
        assert.ok(mock.some((v) => /data1-config [^\n]*certificate "CN=mock" in \/etc\/ssl\/influxdb\.crt expires [^ ]+ \(in [23]\.\d days\)/.test(v.message)), mock.map((v) => v.message).join("\n"));
        // A certificate @pulumi/tls would make valid for 7 days.
        const cert = selfSigned.find((r) => r.type.endsWith("SelfSignedCert"))!;
        const short = edited(selfSigned, cert.name, (p) => { p.validityPeriodHours = 7 * 24; });
        const shortVs = of(await check(short, { [CERTIFICATE_VALIDITY]: { minValidityDays: 14 } }), CERTIFICATE_VALIDITY).filter((v) => v.resource === cert.name);
        assert.equal(shortVs.length, 1);
        assert.match(shortVs[0].message, /made valid for 168 hours \(7\.0 days\); policy requires at least 14 days/);
        assert.deepEqual(of(await check(selfSigned, { [CERTIFICATE_VALIDITY]: { minValidityDays: 365 } }), CERTIFICATE_VALIDITY).filter((v) => v.resource === cert.name), []);
    });

    it("SSH host keys: insecureIgnoreHostKey, a bastion without hostKey, and a command connection without hostKey", async () => {
        const bad = edited(caSigned, "data1-config", (p) => { delete p.connection.hostKey; p.connection.insecureIgnoreHostKey = true; });
        const bastion = edited(bad, "meta1-config", (p) => { p.connection.proxy = { host: "bastion.example", user: "jump" }; });
        const vs = of(await check(bastion), SSH_HOST_KEY_PINNED).map((v) => v.message);
        assert.equal(vs.length, 2, vs.join("\n"));
        assert.match(vs.join("\n"), /data1-config: connection to 127\.0\.10\.1 sets insecureIgnoreHostKey/);
        assert.match(vs.join("\n"), /meta1-config: connection\.proxy to bastion\.example pins no host key/);
        const cmd = viaCommand.find((r) => r.type === "command:remote:Command")!;
        const vc = of(await check(edited(viaCommand, cmd.name, (p) => { delete p.connection.hostKey; })), SSH_HOST_KEY_PINNED);
        assert.match(vc[0].message, /pins no host key \(@pulumi\/command accepts any host key without it\)/);
    });

    it("examples/cluster-tls (1.11.8, tlsProfile modern): no violation, also with requireOnEveryNode; \"default\" refused", async () => {
        const ct = cluster.find((r) => r.type === CLUSTER_TLS)!;
        assert.equal(ct.props.tlsProfile, "modern");
        assert.deepEqual(await check(cluster, { ...MOCK_CERT_OK, [TLS_PROFILE]: { requireOnEveryNode: true } }), []);
        const weak = edited(cluster, ct.name, (p) => { p.tlsProfile = "default"; });
        const vs = await check(weak, MOCK_CERT_OK);
        assert.equal(vs.length, 1);
        assert.match(vs[0].message, /^influxdb: tlsProfile is "default"; policy requires "modern" or stronger/);
    });

    it("tlsProfile: ClusterTls below \"modern\", [tls] min-version below 1.2, and requireOnEveryNode", async () => {
        // ClusterTls (issue 10) is a component: the policy sees the args it passes on as props.
        const cluster = (tlsProfile?: string): ExampleResource => ({
            type: CLUSTER_TLS, name: "cluster", urn: `urn:pulumi:sandbox::p::${CLUSTER_TLS}::cluster`,
            props: tlsProfile === undefined ? { version: "1.11.8" } : { version: "1.11.8", tlsProfile },
        });
        const only = policies.filter((p) => p.name === TLS_PROFILE);
        assert.match((await check([cluster("default")], {}, only))[0].message, /cluster: tlsProfile is "default"; policy requires "modern" or stronger \("modern" or "fips"\)/);
        assert.match((await check([cluster()], {}, only))[0].message, /tlsProfile is "default"/);
        assert.deepEqual(await check([cluster("modern"), cluster("fips")], {}, only), []);
        assert.match((await check([cluster("modern")], { [TLS_PROFILE]: { minimumProfile: "fips" } }, only))[0].message, /tlsProfile is "modern"; policy requires "fips"/);

        const weak = edited(caSigned, "data1-config", (p) => { p.settings.tls = { "min-version": "tls1.0" }; });
        assert.match(of(await check(weak), TLS_PROFILE)[0].message, /data1-config [^\n]*\[tls\] min-version = "tls1\.0" allows TLS below 1\.2/);
        const modern = edited(caSigned, "data1-config", (p) => { p.settings.tls = { "min-version": "tls1.2", ciphers: ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"] }; });
        assert.deepEqual(of(await check(modern), TLS_PROFILE), []);
        // Required on every node: meta and both data nodes of ca-signed are named (data1 has it), not Telegraf.
        const required = of(await check(modern, { [TLS_PROFILE]: { requireOnEveryNode: true } }), TLS_PROFILE);
        assert.deepEqual(required.map((v) => v.resource).sort(), ["data2-config", "meta1-config"]);
        assert.match(required[0].message, /no \[tls\] min-version is set/);
    });
});
