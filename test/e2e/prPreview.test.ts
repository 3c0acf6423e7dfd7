/**
 * What a pull-request comment shows (examples/github-actions), rendered by the real Pulumi CLI
 * (build/bin/pulumi v3.274.1) — preview only, nothing reaches a host (a first up's preview never
 * connects: the bigger clusters below name addresses nobody listens on):
 *
 * examples/ca-signed (per-node components, CA-signed certificates, the default file installer):
 *   the test hosts (1 meta, 2 data, 1 Telegraf)   `pulumi preview --diff`: every key per file per
 *                                                 host, `[secret]` for every connection and file
 *                                                 content; its length
 *   3 meta + 16 data + 1 Telegraf (hosts that do   `--diff` is close to GitHub's 65,536-character
 *   not exist: a state.json naming them)           comment limit (about 3,000 characters a node);
 *                                                 the compact form (pulumi-influxdb-tls-preview on
 *                                                 `preview --json`) is a fraction of it and still
 *                                                 names every key per host, the rollout order and
 *                                                 `[secret]`s
 * the root project (the main job: ClusterTls, `provided` certificates, version 1.11.8 so the
 * internode keys are in), on hosts that do not exist (a state.json naming them):
 *   3 meta + 4 data + 1 Telegraf (npm start's)    `--diff`: every key per file per host incl.
 *   3 meta + 16 data + 1 Telegraf                 [cluster] https-* and data-use-tls, the rollout
 *                                                 order (ClusterTls's `rolloutOrder`), `[secret]`s;
 *                                                 --diff of 3+16+1 is far over GitHub's limit, the
 *                                                 compact form fits with all of it
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { CliStack, ROOT, setConfig } from "./cliStack";

const GITHUB_COMMENT_LIMIT = 65_536;
const CLI = path.join(ROOT, "bin/preview/cli.js");

interface Node { name: string; role: "meta" | "data" | "telegraf"; address: string }

/** The keys each role's config gets with CA-signed certificates (README: Components). */
const KEYS: Record<Node["role"], string[]> = {
    meta: ["[meta] https-certificate", "[meta] https-enabled", "[meta] https-private-key"],
    data: ["[http] https-certificate", "[http] https-enabled", "[http] https-private-key", "[meta] meta-tls-enabled"],
    telegraf: ["[[outputs.influxdb]] #1 tls_ca", "[[outputs.influxdb]] #1 urls"],
};
const DIFF_KEYS: Record<Node["role"], RegExp[]> = {
    meta: [/meta\s*: \{\s*https-certificate\s*: "\/etc\/ssl\/influxdb\.crt"\s*https-enabled\s*: true\s*https-private-key: "\/etc\/ssl\/influxdb\.key"/],
    data: [/http\s*: \{\s*https-certificate\s*: "\/etc\/ssl\/influxdb\.crt"\s*https-enabled\s*: true\s*https-private-key: "\/etc\/ssl\/influxdb\.key"/, /meta\s*: \{\s*meta-tls-enabled: true/],
    telegraf: [/outputs\.influxdb#0: \{\s*tls_ca: "\/etc\/telegraf\/influxdb-ca\.pem"\s*urls\s*: \[/],
};

/** ClusterTls with version >= 1.7.3 and `provided` certificates + CA: also the internode keys (README: ClusterTls). */
const CLUSTER_KEYS: Record<Node["role"], string[]> = {
    meta: ["[meta] data-use-tls", ...KEYS.meta],
    data: ["[cluster] https-certificate", "[cluster] https-enabled", "[cluster] https-private-key", ...KEYS.data],
    telegraf: KEYS.telegraf,
};
const CLUSTER_DIFF_KEYS: Record<Node["role"], RegExp[]> = {
    meta: [/meta\s*: \{\s*data-use-tls\s*: true\s*https-certificate\s*: "\/etc\/ssl\/influxdb\.crt"\s*https-enabled\s*: true\s*https-private-key\s*: "\/etc\/ssl\/influxdb\.key"/],
    data: [/cluster\s*: \{\s*https-certificate\s*: "\/etc\/ssl\/influxdb\.crt"\s*https-enabled\s*: true\s*https-private-key\s*: "\/etc\/ssl\/influxdb\.key"/, ...DIFF_KEYS.data],
    telegraf: DIFF_KEYS.telegraf,
};
/** The ClusterTls resource name in the root program (examples/cluster-tls): its configs are `influxdb-<node>-config`. */
const CLUSTER = "influxdb";

/** Nodes named like the sandbox's (meta1…, data1…, tele1) on addresses nobody listens on (the side range `net`). */
function fakeNodes(net: number, meta: number, data: number, telegraf: number): Node[] {
    const out: Node[] = [];
    for (let i = 1; i <= meta; i++) out.push({ name: `meta${i}`, role: "meta", address: `127.0.${net}.${10 + i}` });
    for (let i = 1; i <= data; i++) out.push({ name: `data${i}`, role: "data", address: `127.0.${net}.${100 + i}` });
    for (let i = 1; i <= telegraf; i++) out.push({ name: `tele${i}`, role: "telegraf", address: `127.0.${net}.${20 + i}` });
    return out;
}

/** ClusterTls's steps for maxUnavailable 1, as its `rolloutOrder` states them. */
function clusterOrder(nodes: Node[]): string[] {
    const order = [...nodes.filter((n) => n.role === "meta"), ...nodes.filter((n) => n.role === "data"), ...nodes.filter((n) => n.role === "telegraf")];
    return order.map((n, i) => `${i + 1}. ${n.role} ${n.name}`);
}

/** The `rolloutOrder` input of the ClusterTls in `preview --diff` (the reviewer's view of the order). */
function diffRolloutOrder(out: string): string[] {
    const m = /ClusterTls::influxdb\]\n\s*rolloutOrder: \[\n((?:\s*\[\d+\]: "[^"\n]*"\n)+)\s*\]/.exec(out);
    assert.ok(m, "no rolloutOrder of the ClusterTls in the preview");
    return [...m[1].matchAll(/"([^"]*)"/g)].map((x) => x[1]!);
}

/** The block of one TomlSettings in `preview --diff`: from its URN to the next resource line (any depth) or the outputs. */
function diffBlock(out: string, name: string): string {
    const start = out.indexOf(`TomlSettings::${name}]`);
    assert.ok(start >= 0, `${name} is not in the preview`);
    const end = out.slice(start).search(/\n *(?:[-+~]+ \S+: \(|--outputs:--)/);
    return out.slice(start, end < 0 ? undefined : start + end);
}

/** The block of one config in the compact markdown. */
function mdBlock(md: string, name: string): string {
    const start = md.indexOf(`**${name}**`);
    assert.ok(start >= 0, `${name} is not in the comment`);
    const end = md.indexOf("\n\n", start);
    return md.slice(start, end < 0 ? undefined : end);
}

function checkDiff(out: string, nodes: Node[], keys = DIFF_KEYS, prefix = ""): void {
    for (const n of nodes) {
        const b = diffBlock(out, `${prefix}${n.name}-config`);
        for (const re of keys[n.role]) assert.match(b, re, `${n.name}: a key missing in\n${b}`);
        assert.match(b, /connection\s*: \[secret\]/, `${n.name}: connection not masked`);
        assert.match(b, /fileContents\s*: \[secret\]/, `${n.name}: file contents not masked`);
        assert.match(b, new RegExp(`target\\s*: "root@${n.address.replace(/\./g, "\\.")}:22"`));
    }
    // The only PEM a preview may show is ClusterTls's CA certificate output (public, for clients).
    const outside = out.split("\n").filter((l) => !/^ {4}caCertificatePem: "-----BEGIN CERTIFICATE-----/.test(l)).join("\n");
    assert.ok(!out.includes("PRIVATE KEY") && !outside.includes("BEGIN CERTIFICATE"), "no PEM in the preview");
}

function checkMarkdown(md: string, nodes: Node[], keys = KEYS, prefix = ""): void {
    for (const n of nodes) {
        const b = mdBlock(md, `${prefix}${n.name}-config`);
        assert.match(b, new RegExp(`root@${n.address.replace(/\./g, "\\.")}:22`));
        for (const k of keys[n.role]) assert.ok(b.includes(`\`${k}\``), `${n.name}: ${k} missing in\n${b}`);
        assert.match(b, /connection: \[secret\] · fileContents: \[secret\]/, `${n.name}: secrets not shown as [secret]`);
        if (n.role !== "telegraf") assert.match(b, /\/etc\/ssl\/influxdb\.key 0600 influxdb:influxdb/);
    }
    assert.ok(!md.includes("PRIVATE KEY") && !md.includes("BEGIN CERTIFICATE") && !md.includes("(not secret!)"), "no PEM, nothing unmasked");
}

/** The rollout order block: numbered waves of config names. */
function waves(md: string): string[][] {
    const m = /\*\*Rollout order\*\*[^\n]*\n((?:\d+\. [^\n]*\n)+)/.exec(md);
    assert.ok(m, "no rollout order in the comment");
    return m[1].trim().split("\n").map((l) => l.replace(/^\d+\. /, "").split(", "));
}

describe("real Pulumi CLI: pull-request previews (examples/github-actions)", { timeout: 900_000 }, () => {
    let bigState = "";
    let bigCerts = "";
    const s = new CliStack({
        prefix: "prpreview", tag: "[prpreview]",
        editConfig: (yaml) => yaml,
    });
    const big: Node[] = [];
    let small: Node[] = [];

    before(async () => {
        assert.ok(fs.existsSync(CLI), `${CLI} is missing: run npm run build`);
        await s.init();
        small = [
            { name: "meta1", role: "meta", address: s.host("meta1").address },
            { name: "data1", role: "data", address: s.host("data1").address },
            { name: "data2", role: "data", address: s.host("data2").address },
            { name: "tele1", role: "telegraf", address: s.host("tele1").address },
        ];
        // 3 meta + 16 data + 1 Telegraf on addresses nobody listens on (the side range 127.0.(NET+10).x):
        // preview never connects. Host keys: a real one, from the sandbox.
        const net = Number(s.host("data1").address.split(".")[2]) + 10;
        for (let i = 1; i <= 3; i++) big.push({ name: `meta${i}`, role: "meta", address: `127.0.${net}.${10 + i}` });
        for (let i = 1; i <= 16; i++) big.push({ name: `data${i}`, role: "data", address: `127.0.${net}.${100 + i}` });
        big.push({ name: "tele1", role: "telegraf", address: `127.0.${net}.21` });
        const real = JSON.parse(fs.readFileSync(path.join(s.state.dir, "state.json"), "utf8"));
        bigState = path.join(s.tmp, "big-state.json");
        fs.writeFileSync(bigState, JSON.stringify({
            clientKeyPath: real.clientKeyPath,
            hosts: big.map((n) => ({ name: n.name, address: n.address, hostKey: real.hosts[0].hostKey, roles: [n.role] })),
        }));
        bigCerts = path.join(s.tmp, "big-certs");
        execFileSync("bash", [path.join(ROOT, "examples/ca-signed/make-certs.sh"), bigCerts, ...big.filter((n) => n.role !== "telegraf").map((n) => `${n.name}=${n.address}`)], { stdio: "ignore" });
    });
    after(() => s.cleanup(false));

    const bigConfig = () => {
        const file = path.join(s.tmp, `Pulumi.${s.stack}.big.yaml`);
        const yaml = setConfig(setConfig(fs.readFileSync(s.configFile, "utf8"), "sandboxState", bigState), "certDir", bigCerts);
        fs.writeFileSync(file, yaml);
        return [...s.on(), "--config-file", file];
    };

    it("the test hosts: --diff names every key per file per host, [secret] for connections and file contents; the compact form too", async () => {
        const diff = await s.pulumi("preview --diff", ["preview", "--diff", ...s.withConfig()]);
        assert.equal(diff.code, 0, diff.out.slice(-4000));
        checkDiff(diff.out, small);
        const json = await s.pulumi("preview --json", ["preview", "--json", ...s.withConfig()]);
        assert.equal(json.code, 0, json.out.slice(-4000));
        const jsonFile = path.join(s.tmp, "small.json");
        fs.writeFileSync(jsonFile, json.out);
        const md = execFileSync(process.execPath, [CLI, jsonFile, "--title", "pulumi preview — sandbox"], { encoding: "utf8" });
        console.log(`[prpreview] compact comment for the test hosts:\n${md}`);
        checkMarkdown(md, small);
        // Today's order: the data nodes wait for the meta node (dependsOn), then Telegraf; both data nodes together.
        assert.deepEqual(waves(md), [["meta1-config"], ["data1-config", "data2-config"], ["tele1-config"]]);
        console.log(`[prpreview] 1 meta + 2 data + 1 Telegraf: --diff ${diff.out.length} characters, compact ${md.length}`);
    });

    it("3 meta + 16 data + 1 Telegraf: the compact form fits GitHub's limit with every key per host, at a fraction of --diff", async () => {
        const diff = await s.pulumi("preview --diff (3+16+1)", ["preview", "--diff", ...bigConfig()]);
        assert.equal(diff.code, 0, diff.out.slice(-4000));
        checkDiff(diff.out, big);
        const json = await s.pulumi("preview --json (3+16+1)", ["preview", "--json", ...bigConfig()]);
        assert.equal(json.code, 0, json.out.slice(-4000));
        const jsonFile = path.join(s.tmp, "big.json");
        fs.writeFileSync(jsonFile, json.out);
        const md = execFileSync(process.execPath, [CLI, jsonFile, "--title", "pulumi preview — 3 meta + 16 data", "--url", "https://github.com/o/r/actions/runs/1"], { encoding: "utf8" });
        console.log(`[prpreview] 3 meta + 16 data + 1 Telegraf: --diff ${diff.out.length} characters, compact ${md.length} (GitHub limit ${GITHUB_COMMENT_LIMIT})`);
        console.log(`[prpreview] compact comment, first lines:\n${md.split("\n").slice(0, 30).join("\n")}`);
        // Measured 61,504 with the default installer, 67,321 since the preflight inputs (over the limit:
        // ~3,300 characters a node).
        assert.ok(diff.out.length > 20 * 2_500, `--diff has ${diff.out.length} characters`);
        assert.ok(md.length < GITHUB_COMMENT_LIMIT / 4 && md.length < diff.out.length / 4, `compact form has ${md.length} characters`);
        checkMarkdown(md, big);
        assert.match(md, /Resources: 41 to create/);
        const w = waves(md);
        assert.deepEqual(w.map((x) => x.length), [3, 16, 1]);
        assert.deepEqual(w[0], ["meta1-config", "meta2-config", "meta3-config"]);
        assert.match(md, /Full `pulumi preview --diff`: https:\/\/github\.com\/o\/r\/actions\/runs\/1/);
    });
    describe("the root project (the main job: ClusterTls, provided certificates, version 1.11.8)", () => {
        const stack = () => `${s.stack}-cluster`;
        const flags = () => ["--stack", stack(), "--non-interactive", "--color", "never", "--cwd", ROOT];
        let salt = "";
        let hostKey = "";
        let clientKeyPath = "";
        let net = 0;
        before(async () => {
            // A stack of the root project in the same (temp) backend.
            salt = await s.initStack("stack init (root project)", stack(), path.join(ROOT, "Pulumi.yaml"), path.join(s.tmp, "root-project"));
            const real = JSON.parse(fs.readFileSync(path.join(s.state.dir, "state.json"), "utf8"));
            hostKey = real.hosts[0].hostKey;
            clientKeyPath = real.clientKeyPath;
            net = Number(s.host("data1").address.split(".")[2]) + 10;
        });
        after(() => s.pulumi("stack rm (root project)", ["stack", "rm", "--yes", "--force", ...flags()]));

        /** `preview --diff` and the compact form of the root project for `nodes`: lengths logged, every check made. */
        const previewCluster = async (label: string, nodes: Node[]) => {
            const dir = path.join(s.tmp, `cluster-${label}`);
            fs.mkdirSync(dir);
            const stateFile = path.join(dir, "state.json");
            fs.writeFileSync(stateFile, JSON.stringify({ clientKeyPath, hosts: nodes.map((n) => ({ name: n.name, address: n.address, hostKey, roles: [n.role] })) }));
            const certs = path.join(dir, "certs");
            execFileSync("bash", [path.join(ROOT, "examples/ca-signed/make-certs.sh"), certs, ...nodes.filter((n) => n.role !== "telegraf").map((n) => `${n.name}=${n.address}`)], { stdio: "ignore" });
            // The root Pulumi.sandbox.yaml (what npm start writes), with these hosts and a release with internode TLS.
            const yaml = fs.readFileSync(path.join(ROOT, "Pulumi.sandbox.yaml"), "utf8")
                .replace(/(pulumi-influxdb-tls:sandboxState:).*/, `$1 ${stateFile}`)
                .replace(/(pulumi-influxdb-tls:certDir:).*/, `$1 ${certs}`)
                .replace(/(pulumi-influxdb-tls:version:).*/, "$1 1.11.8");
            assert.ok(yaml.includes(stateFile) && yaml.includes(certs) && yaml.includes("version: 1.11.8"), yaml);
            const config = path.join(dir, `Pulumi.${stack()}.yaml`);
            fs.writeFileSync(config, `${yaml}${salt}\n`);
            const diff = await s.pulumi(`preview --diff (root, ${label})`, ["preview", "--diff", ...flags(), "--config-file", config]);
            assert.equal(diff.code, 0, diff.out.slice(-4000));
            checkDiff(diff.out, nodes, CLUSTER_DIFF_KEYS, `${CLUSTER}-`);
            assert.deepEqual(diffRolloutOrder(diff.out), clusterOrder(nodes), "the order a reviewer reads in --diff");
            const json = await s.pulumi(`preview --json (root, ${label})`, ["preview", "--json", ...flags(), "--config-file", config]);
            assert.equal(json.code, 0, json.out.slice(-4000));
            const jsonFile = path.join(dir, "preview.json");
            fs.writeFileSync(jsonFile, json.out);
            const md = execFileSync(process.execPath, [CLI, jsonFile, "--title", `pulumi preview — ClusterTls ${label}`], { encoding: "utf8" });
            checkMarkdown(md, nodes, CLUSTER_KEYS, `${CLUSTER}-`);
            assert.deepEqual(waves(md).map((w) => w.join(", ")), clusterOrder(nodes).map((l) => l.replace(/^\d+\. /, "")), "the order in the comment");
            // The hosts' sections in rollout order (the order a reviewer reads them).
            const at = clusterOrder(nodes).map((l) => md.indexOf(`**${CLUSTER}-${l.split(" ").pop()}-config**`));
            assert.deepEqual(at, [...at].sort((a, b) => a - b), "sections in rollout order");
            assert.match(md, new RegExp(`Resources: ${nodes.length * 2 + 2} to create`));
            console.log(`[prpreview] ClusterTls ${label}: --diff ${diff.out.length} characters, compact ${md.length} (GitHub limit ${GITHUB_COMMENT_LIMIT})`);
            return { diff: diff.out, md };
        };

        it("3 meta + 4 data + 1 Telegraf (npm start's hosts): --diff and the compact form name every key per host incl. internode TLS, the order, [secret]s", async () => {
            const { md } = await previewCluster("3+4+1", fakeNodes(net, 3, 4, 1));
            console.log(`[prpreview] compact comment, ClusterTls 3+4+1:\n${md}`);
        });

        it("3 meta + 16 data + 1 Telegraf: --diff is over GitHub's limit; the compact form fits with every key per host, the order and [secret]s", async () => {
            const { diff, md } = await previewCluster("3+16+1", fakeNodes(net, 3, 16, 1));
            assert.ok(diff.length > GITHUB_COMMENT_LIMIT, `--diff has ${diff.length} characters`);
            assert.ok(md.length < GITHUB_COMMENT_LIMIT / 2 && md.length < diff.length / 4, `compact form has ${md.length} characters`);
        });
    });
});
