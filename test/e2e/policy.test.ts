/**
 * The policy pack (policy/, built by `npm run build` into policy/bin) through the real Pulumi
 * CLI (build/bin/pulumi v3.274.1): `pulumi preview --policy-pack policy` on a fresh stack of the
 * examples/ca-signed project (its own Pulumi.yaml; CA-signed certificates valid 30 days). The CLI runs a
 * Node.js pack through the language host's RunPlugin (tools/pulumi/cmd/pulumi-language-nodejs/
 * runplugin.go). Preview only: nothing reaches the hosts.
 *
 *   default policy config          passes: "✅ influxdb-tls-policy", exit 0
 *   minValidityDays 45, tlsProfile  every certificate named with host, file and expiry
 *   required (advisory)             (mandatory: exit non-zero), the missing [tls] min-version
 *                                   per meta/data node (advisory), no key material anywhere
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { CliStack, ROOT } from "./cliStack";

describe("real Pulumi CLI: pulumi preview --policy-pack policy", { timeout: 600_000 }, () => {
    const s = new CliStack({ prefix: "policy", tag: "[policy]" });
    const pack = path.join(ROOT, "policy");
    before(async () => {
        assert.ok(fs.existsSync(path.join(pack, "bin/index.js")), "policy/bin/index.js is missing: run npm run build");
        await s.init();
    });
    after(() => s.cleanup(false));

    it("the stack as configured passes every policy", async () => {
        const r = await s.pulumi("preview --policy-pack", ["preview", "--policy-pack", pack, ...s.withConfig()]);
        assert.equal(r.code, 0, r.out.slice(-4000));
        assert.match(r.out, /Policies:\s*\n\s*✅ influxdb-tls-policy@v0\.1\.0 \(local: [^)]*policy\)/);
        assert.match(r.out, /\+ 9 to create/);
    });

    it("a policy config the stack does not meet: each violation with resource, host, file; mandatory fails the preview", async () => {
        const config = path.join(s.tmp, "policy-config.json");
        fs.writeFileSync(config, JSON.stringify({
            "influxdb-tls-certificate-validity": { minValidityDays: 45 },
            "influxdb-tls-tls-profile": { enforcementLevel: "advisory", requireOnEveryNode: true },
        }));
        const r = await s.pulumi("preview --policy-pack (violations)", ["preview", "--policy-pack", pack, "--policy-pack-config", config, ...s.withConfig()]);
        console.log(r.out.slice(r.out.indexOf("Policies:"), r.out.indexOf("Policies:") + 1500));
        assert.notEqual(r.code, 0, "a mandatory violation must fail the preview");
        assert.match(r.out, /❌ influxdb-tls-policy@v0\.1\.0 \(local: [^)]*policy\)/);
        const meta = s.host("meta1");
        assert.match(r.out, new RegExp(`\\[mandatory\\]  influxdb-tls-certificate-validity  \\(pulumi-nodejs:dynamic/influxdb-tls:TomlSettings: meta1-config\\)`));
        assert.match(r.out, new RegExp(`meta1-config \\(root@${meta.address.replace(/\./g, "\\.")}:22 /etc/influxdb/influxdb-meta\\.conf\\): certificate "CN=meta1" in /etc/ssl/influxdb\\.crt expires [^ ]+ \\(in (29|30)\\.\\d days\\); policy requires at least 45 days of validity\\.`));
        // 3 node certificates + the CA file on each of the 4 hosts.
        assert.equal((r.out.match(/\[mandatory\]  influxdb-tls-certificate-validity/g) ?? []).length, 7);
        assert.equal((r.out.match(/\[advisory\]  influxdb-tls-tls-profile/g) ?? []).length, 3);
        assert.match(r.out, /data2-config \([^)]*\): no \[tls\] min-version is set/);
        assert.ok(!r.out.includes("PRIVATE KEY"), "no key material in the output");
    });
});
