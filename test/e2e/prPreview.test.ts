/**
 * What a pull-request comment shows (examples/github-actions), rendered by the real Pulumi CLI
 * (build/bin/pulumi v3.274.1) for the root project (examples/ca-signed, CA-signed certificates,
 * the default file installer) — preview only, nothing reaches a host:
 *
 *   the test hosts (1 meta, 2 data, 1 Telegraf)   `pulumi preview --diff`: every key per file per
 *                                                 host, `[secret]` for every connection and file
 *                                                 content; its length
 *   3 meta + 16 data + 1 Telegraf (hosts that do   `--diff` is close to GitHub's 65,536-character
 *   not exist: a state.json naming them)           comment limit (about 3,000 characters a node);
 *                                                 the compact form (pulumi-influxdb-tls-preview on
 *                                                 `preview --json`) is a fraction of it and still
 *                                                 names every key per host, the rollout order and
 *                                                 `[secret]`s
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { CliStack, ROOT } from "./cliStack";

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

/** The block of one TomlSettings in `preview --diff`: from its URN to the next resource line. */
function diffBlock(out: string, name: string): string {
    const start = out.indexOf(`TomlSettings::${name}]`);
    assert.ok(start >= 0, `${name} is not in the preview`);
    const end = out.slice(start).search(/\n {4}\+ /);
    return out.slice(start, end < 0 ? undefined : start + end);
}

/** The block of one config in the compact markdown. */
function mdBlock(md: string, name: string): string {
    const start = md.indexOf(`**${name}**`);
    assert.ok(start >= 0, `${name} is not in the comment`);
    const end = md.indexOf("\n\n", start);
    return md.slice(start, end < 0 ? undefined : end);
}

function checkDiff(out: string, nodes: Node[]): void {
    for (const n of nodes) {
        const b = diffBlock(out, `${n.name}-config`);
        for (const re of DIFF_KEYS[n.role]) assert.match(b, re, `${n.name}: a key missing in\n${b}`);
        assert.match(b, /connection\s*: \[secret\]/, `${n.name}: connection not masked`);
        assert.match(b, /fileContents\s*: \[secret\]/, `${n.name}: file contents not masked`);
        assert.match(b, new RegExp(`target\\s*: "root@${n.address.replace(/\./g, "\\.")}:22"`));
    }
    assert.ok(!out.includes("PRIVATE KEY") && !out.includes("BEGIN CERTIFICATE"), "no PEM in the preview");
}

function checkMarkdown(md: string, nodes: Node[]): void {
    for (const n of nodes) {
        const b = mdBlock(md, `${n.name}-config`);
        assert.match(b, new RegExp(`root@${n.address.replace(/\./g, "\\.")}:22`));
        for (const k of KEYS[n.role]) assert.ok(b.includes(`\`${k}\``), `${n.name}: ${k} missing in\n${b}`);
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
        const yaml = fs.readFileSync(s.configFile, "utf8")
            .replace(/(pulumi-influxdb-tls:sandboxState:).*/, `$1 ${bigState}`)
            .replace(/(pulumi-influxdb-tls:certDir:).*/, `$1 ${bigCerts}`);
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
        // Measured 61,504 with the default installer (under the limit, but ~3,000 characters a node: a few
        // more nodes, or a second file installer's resources, and it no longer fits).
        assert.ok(diff.out.length > 20 * 2_500, `--diff has ${diff.out.length} characters`);
        assert.ok(md.length < GITHUB_COMMENT_LIMIT / 4 && md.length < diff.out.length / 4, `compact form has ${md.length} characters`);
        checkMarkdown(md, big);
        assert.match(md, /Resources: 41 to create/);
        const w = waves(md);
        assert.deepEqual(w.map((x) => x.length), [3, 16, 1]);
        assert.deepEqual(w[0], ["meta1-config", "meta2-config", "meta3-config"]);
        assert.match(md, /Full `pulumi preview --diff`: https:\/\/github\.com\/o\/r\/actions\/runs\/1/);
    });
});
