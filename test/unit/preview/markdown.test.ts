/**
 * The compact PR comment (provider/preview/markdown.ts) for the cases a first preview does not
 * have: updates (old → new per key), a rotation (only file contents and triggers change), a
 * node removed (keys reverted), an input that is not masked, and an order that goes through
 * components (a config waiting for a component waits for all the component's configs).
 * Steps are shaped like `pulumi preview --json` of v3.274.1 (test/e2e/prPreview.test.ts runs the real CLI).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { previewMarkdown, rolloutOrder, type PreviewStep } from "../../../provider/index";

const TS = "pulumi-nodejs:dynamic/influxdb-tls:TomlSettings";
const urn = (type: string, name: string, parentType?: string) =>
    `urn:pulumi:prod::p::${parentType ? `${parentType}$` : ""}${type}::${name}`;
const comp = (kind: string, name: string, dependencies: string[] = []): PreviewStep => ({
    op: "create", urn: urn(`influxdb-tls:index:${kind}`, name),
    newState: { type: `influxdb-tls:index:${kind}`, dependencies },
});
const FILES = [{ path: "/etc/ssl/influxdb.crt", mode: "0644", owner: "root", group: "root" }, { path: "/etc/ssl/influxdb.key", mode: "0600", owner: "influxdb", group: "influxdb" }];
function config(kind: string, name: string, address: string, op: string, oldSettings: unknown, newSettings: unknown, diffReasons?: string[]): PreviewStep {
    const inputs = (settings: unknown) => ({
        connection: "[secret]", fileContents: "[secret]", files: FILES, path: "/etc/influxdb/influxdb.conf",
        settings, target: `root@${address}:22`, service: { restart: ["systemctl", "restart", "influxdb"] },
    });
    const u = urn(TS, `${name}-config`, `influxdb-tls:index:${kind}`);
    const parent = urn(`influxdb-tls:index:${kind}`, name);
    return {
        op, urn: u, diffReasons,
        oldState: oldSettings === undefined ? undefined : { type: TS, inputs: inputs(oldSettings), parent },
        newState: newSettings === undefined ? undefined : { type: TS, inputs: inputs(newSettings), parent },
    };
}

describe("compact preview comment", () => {
    it("update: each changed key old → new, unchanged keys left out, secrets marked changed", () => {
        const step = config("DataNodeTls", "data1", "10.0.0.1", "update",
            { http: { "https-enabled": false, "https-certificate": "/etc/ssl/influxdb.crt" }, meta: { "meta-tls-enabled": true } },
            { http: { "https-enabled": true, "https-certificate": "/etc/ssl/influxdb.crt" }, meta: {}, tls: { "min-version": "tls1.2" } },
            ["settings", "fileContents"]);
        const md = previewMarkdown({ steps: [comp("DataNodeTls", "data1"), step], changeSummary: { update: 1, same: 3 } });
        assert.match(md, /Resources: 1 to update, 3 unchanged/);
        assert.match(md, /`~` \*\*data1-config\*\* · root@10\.0\.0\.1:22 · `\/etc\/influxdb\/influxdb\.conf` \(update\)/);
        assert.match(md, /- `\[http\] https-enabled`: false → true/);
        assert.match(md, /- `\[meta\] meta-tls-enabled` reverted \(was true\)/);
        assert.match(md, /- `\[tls\] min-version`: \(unset\) → "tls1\.2"/);
        assert.ok(!md.includes("https-certificate"), "an unchanged key is not listed");
        assert.ok(!md.includes("files:"), "unchanged files are not listed");
        assert.match(md, /- connection: \[secret\] · fileContents: \[secret\] \(changed\)/);
    });

    it("rotation: no key changes, the file contents and the restart trigger are named", () => {
        const s = { http: { "https-enabled": true } };
        const step = config("DataNodeTls", "data2", "10.0.0.2", "update", s, s, ["fileContents", "restartTriggers"]);
        const md = previewMarkdown({ steps: [step] });
        assert.match(md, /fileContents: \[secret\] \(changed\)/);
        assert.match(md, /also changed: restartTriggers/);
    });

    it("delete: the keys that are reverted and the files put back", () => {
        const step = config("DataNodeTls", "data3", "10.0.0.3", "delete", { http: { "https-enabled": true } }, undefined);
        const md = previewMarkdown({ steps: [step] });
        assert.match(md, /`-` \*\*data3-config\*\* · root@10\.0\.0\.3:22/);
        assert.match(md, /`\[http\] https-enabled` reverted \(was true\)/);
        assert.match(md, /files put back: \/etc\/ssl\/influxdb\.crt 0644 root:root; \/etc\/ssl\/influxdb\.key 0600 influxdb:influxdb/);
    });

    it("an input that should be masked but is not is flagged, its value never printed", () => {
        const step = config("DataNodeTls", "data1", "10.0.0.1", "create", undefined, { http: { "https-enabled": true } });
        (step.newState!.inputs as any).connection = { host: "10.0.0.1", password: "hunter2" };
        const md = previewMarkdown({ steps: [step] });
        assert.match(md, /connection: \(not secret!\)/);
        assert.ok(!md.includes("hunter2"));
    });

    it("rollout order through components: meta nodes, then data nodes depending on the meta components, then Telegraf", () => {
        const meta = [1, 2, 3].map((i) => config("MetaNodeTls", `meta${i}`, `10.0.1.${i}`, "create", undefined, { meta: { "https-enabled": true } }));
        const metaComps = [1, 2, 3].map((i) => comp("MetaNodeTls", `meta${i}`));
        const dataComps = [10, 2, 1].map((i) => comp("DataNodeTls", `data${i}`, metaComps.map((m) => m.urn)));
        const data = [10, 2, 1].map((i) => config("DataNodeTls", `data${i}`, `10.0.0.${i}`, "create", undefined, { http: { "https-enabled": true } }));
        const tele = config("TelegrafOutputTls", "tele1", "10.0.2.1", "create", undefined, { "outputs.influxdb#0": { tls_ca: "/etc/telegraf/ca.pem" } });
        const teleComp = comp("TelegrafOutputTls", "tele1");
        tele.newState!.dependencies = dataComps.map((d) => d.urn);
        const steps = [teleComp, tele, ...dataComps, ...data, ...metaComps, ...meta];
        assert.deepEqual(rolloutOrder(steps), [["meta1-config", "meta2-config", "meta3-config"], ["data1-config", "data2-config", "data10-config"], ["tele1-config"]]);
        const md = previewMarkdown({ steps });
        assert.match(md, /1\. meta1-config, meta2-config, meta3-config\n2\. data1-config, data2-config, data10-config\n3\. tele1-config\n/);
        // Blocks follow the rollout order.
        const order = [...md.matchAll(/\*\*(\w+-config)\*\*/g)].map((m) => m[1]);
        assert.deepEqual(order, ["meta1-config", "meta2-config", "meta3-config", "data1-config", "data2-config", "data10-config", "tele1-config"]);
        assert.match(md, /`\[\[outputs\.influxdb\]\] #1 tls_ca` = "\/etc\/telegraf\/ca\.pem"/);
    });
});

describe("compact preview comment with ClusterTls", () => {
    it("shows the order ClusterTls states (its rolloutOrder input), one node per line as it says", () => {
        const cluster: PreviewStep = {
            op: "create", urn: urn("influxdb-tls:index:ClusterTls", "prod"),
            newState: { type: "influxdb-tls:index:ClusterTls", inputs: { rolloutOrder: ["1. meta meta1", "2. meta meta2", "3. data data1, data2", "4. telegraf tele1"], tlsProfile: "modern" } },
        };
        const md = previewMarkdown({ steps: [cluster, config("DataNodeTls", "data1", "10.0.0.1", "create", undefined, { http: { "https-enabled": true } })] });
        assert.match(md, /\*\*Rollout order\*\* of ClusterTls prod \(destroy runs it bottom-up\):\n1\. meta meta1\n2\. meta meta2\n3\. data data1, data2\n4\. telegraf tele1\n/);
        assert.equal((md.match(/Rollout order/g) ?? []).length, 1, "no second, derived order");
    });
});

describe("examples/github-actions/pulumi-preview.yml", () => {
    const fs = require("node:fs") as typeof import("node:fs");
    const path = require("node:path") as typeof import("node:path");
    const root = path.resolve(__dirname, "../../../..");
    const yml = fs.readFileSync(path.join(root, "examples/github-actions/pulumi-preview.yml"), "utf8");

    it("posts `preview --diff` with the official action and the compact form with this package's bin; names its secrets", () => {
        assert.match(yml, /uses: pulumi\/actions@v\d+\n\s+with:\n\s+command: preview\n(?:\s+[\w-]+: .*\n)*\s+diff: true\n\s+comment-on-pr: true/);
        assert.match(yml, /pull-requests: write/);
        for (const s of ["PULUMI_ACCESS_TOKEN", "PULUMI_CONFIG_PASSPHRASE", "GITHUB_TOKEN"]) assert.match(yml, new RegExp(`secrets\\.${s}`));
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
        const [bin] = Object.keys(pkg.bin);
        assert.match(yml, new RegExp(`pulumi preview --json [^\\n]*> preview\\.json\\n\\s+npx ${bin} preview\\.json`));
        assert.ok(fs.existsSync(path.join(root, pkg.bin[bin])), `${pkg.bin[bin]} is built`);
        assert.match(fs.readFileSync(path.join(root, pkg.bin[bin]), "utf8"), /^#!\/usr\/bin\/env node\n/);
    });
});
