import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { preflightMessage, preflightProblems, type PreflightFacts } from "../../../provider/providers/tomlSettings/preflightChecks";
import { gateFor } from "../../../provider/providers/tomlSettings/healthGate";
import type { HostFile } from "../../../provider/ssh/types";
import { sha256Hex } from "../../../provider/ssh";

/** Certificates made by openssl (the tool users make them with), no hand-written X.509. */
function openssl(dir: string, name: string, args: { days?: number; san?: string; startDaysAgo?: number } = {}): { cert: string; key: string } {
    const key = path.join(dir, `${name}.key`);
    const cert = path.join(dir, `${name}.crt`);
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert,
        "-subj", `/CN=${name}`, "-days", String(args.days ?? 30), ...(args.san ? ["-addext", `subjectAltName=${args.san}`] : [])], { stdio: "ignore" });
    return { cert: fs.readFileSync(cert, "utf8"), key: fs.readFileSync(key, "utf8") };
}

function file(content: string, mode: string): HostFile {
    const b = Buffer.from(content);
    return { exists: true, content: b, sha256: sha256Hex(b), mode, owner: "influxdb", group: "influxdb" };
}
const ABSENT: HostFile = { exists: false, content: Buffer.alloc(0), sha256: "" };

const spec = { certificatePath: "/etc/ssl/influxdb.crt", privateKeyPath: "/etc/ssl/influxdb.key", hostnames: ["data1.example", "10.0.0.5"], minValidityDays: 7, serviceUser: "influxdb" };
const readable = { "/etc/ssl/influxdb.crt": true as const, "/etc/ssl/influxdb.key": true as const, "/etc/ssl/influxdb.pem": true as const };

describe("preflight checks (pure)", () => {
    let good: { cert: string; key: string };
    let other: { cert: string; key: string };
    let noSan: { cert: string; key: string };
    let short: { cert: string; key: string };
    before(() => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-preflight-"));
        good = openssl(dir, "good", { san: "DNS:data1.example,IP:10.0.0.5" });
        other = openssl(dir, "other", { san: "DNS:data1.example,IP:10.0.0.5" });
        noSan = openssl(dir, "nosan");
        short = openssl(dir, "short", { san: "DNS:data1.example,IP:10.0.0.5", days: 3 });
        fs.rmSync(dir, { recursive: true });
    });
    const facts = (over: Partial<PreflightFacts>): PreflightFacts => ({ cert: file(good.cert, "644"), key: file(good.key, "600"), now: new Date(), readable, ...over });
    const checks = (f: PreflightFacts, s = spec) => preflightProblems(s, f).map((p) => `${p.file} | ${p.check}`);

    it("a good pair passes; 0400 key and 0444 certificate too", () => {
        assert.deepEqual(preflightProblems(spec, facts({})), []);
        assert.deepEqual(preflightProblems(spec, facts({ cert: file(good.cert, "444"), key: file(good.key, "400") })), []);
    });

    it("a key that does not match: names the key file, the check and the certificate, never the key", () => {
        const p = preflightProblems(spec, facts({ key: file(other.key, "600") }));
        assert.deepEqual(p.map((x) => `${x.file} | ${x.check}`), ["/etc/ssl/influxdb.key | key matches certificate"]);
        assert.match(p[0].detail, /does not match the certificate \/etc\/ssl\/influxdb\.crt/);
        const message = preflightMessage("root@h:22", p);
        assert.match(message, /^preflight on root@h:22 refused .*not restarted/);
        for (const line of other.key.split("\n").filter((l) => l.length > 20 && !l.startsWith("-----"))) {
            assert.ok(!message.includes(line), "no key material in the message");
        }
    });

    it("a hostname not in the SANs (the CN does not count), each name checked", () => {
        assert.deepEqual(checks(facts({ cert: file(noSan.cert, "644"), key: file(noSan.key, "600") }), { ...spec, hostnames: ["nosan"] }),
            ["/etc/ssl/influxdb.crt | hostname in subjectAltName"]);
        assert.deepEqual(checks(facts({}), { ...spec, hostnames: ["data1.example", "data2.example", "10.0.0.6"] }),
            ["/etc/ssl/influxdb.crt | hostname in subjectAltName", "/etc/ssl/influxdb.crt | hostname in subjectAltName"]);
    });

    it("validity: expired, not yet valid, and valid for less than minValidityDays", () => {
        const day = 86_400_000;
        assert.deepEqual(checks(facts({ now: new Date(Date.now() + 40 * day) })), ["/etc/ssl/influxdb.crt | valid now and for 7 days"]);
        assert.deepEqual(checks(facts({ now: new Date(Date.now() - 2 * day) })), ["/etc/ssl/influxdb.crt | valid now and for 7 days"]);
        const p = preflightProblems(spec, facts({ cert: file(short.cert, "644"), key: file(short.key, "600") }));
        assert.match(p[0].detail, /in 3\.0 days: less than the 7 days required \(minValidityDays\)/);
        assert.deepEqual(preflightProblems({ ...spec, minValidityDays: 2 }, facts({ cert: file(short.cert, "644"), key: file(short.key, "600") })), []);
    });

    it("modes: key at most 0600, certificate at most 0644; a combined .pem and a certificate file holding a key are keys", () => {
        assert.deepEqual(checks(facts({ key: file(good.key, "640"), cert: file(good.cert, "664") })),
            ["/etc/ssl/influxdb.crt | file mode", "/etc/ssl/influxdb.key | file mode"]);
        const bundle = file(good.cert + good.key, "644");
        const pem = { ...spec, certificatePath: "/etc/ssl/influxdb.pem", privateKeyPath: "/etc/ssl/influxdb.pem" };
        const p = preflightProblems(pem, { ...facts({}), cert: bundle, key: bundle });
        assert.deepEqual(p.map((x) => `${x.file} | ${x.check}`), ["/etc/ssl/influxdb.pem | file mode"]);
        assert.match(p[0].detail, /mode 0644 is wider than 0600 \(the certificate file holds a private key/);
        assert.deepEqual(preflightProblems(pem, { ...facts({}), cert: file(good.key + good.cert, "600"), key: file(good.key + good.cert, "600") }), []);
        assert.deepEqual(checks(facts({ cert: file(good.cert + good.key, "644") })), ["/etc/ssl/influxdb.crt | file mode"]);
        assert.deepEqual(checks(facts({ key: file(good.key, "4600") })), ["/etc/ssl/influxdb.key | file mode"], "setuid bits count too");
    });

    it("missing files, unreadable PEM, and what the service user cannot read", () => {
        assert.deepEqual(checks(facts({ key: ABSENT })), ["/etc/ssl/influxdb.key | file exists"]);
        assert.deepEqual(checks(facts({ cert: file("not a certificate", "644"), key: file("nor a key", "600") })),
            ["/etc/ssl/influxdb.crt | certificate", "/etc/ssl/influxdb.key | private key"]);
        const p = preflightProblems(spec, facts({ readable: { ...readable, "/etc/ssl/influxdb.key": "influxdb cannot read it" } }));
        assert.deepEqual(p.map((x) => `${x.file} | ${x.check} | ${x.detail}`), ["/etc/ssl/influxdb.key | readable by influxdb | influxdb cannot read it"]);
    });
});

describe("health gate: when it runs", () => {
    const gate = { command: ["influxd-ctl", "show"], expectNodes: ["m:8091"], when: "protocolUnchanged" as const, protocolKeys: [{ table: "http", key: "https-enabled" }] };
    const service = { restart: ["systemctl", "restart", "influxdb"], healthGate: gate };
    const http = "[http]\n  https-enabled = false\n";
    const https = "[http]\n  https-enabled = true\n  https-certificate = \"/etc/ssl/b.crt\"\n";
    const rotated = "[http]\n  https-enabled = true\n  https-certificate = \"/etc/ssl/c.crt\"\n";

    it("protocolUnchanged: skipped when a protocol key changes (switch, or a key added), run when only other keys change (rotation)", () => {
        assert.deepEqual(gateFor(service, http, https), { skipped: true });
        assert.deepEqual(gateFor(service, "[http]\n", https), { skipped: true });
        assert.deepEqual(gateFor(service, https, rotated), { gate, skipped: false });
    });

    it("always: run on a switch too; no gate: nothing", () => {
        assert.deepEqual(gateFor({ ...service, healthGate: { ...gate, when: "always" } }, http, https), { gate: { ...gate, when: "always" }, skipped: false });
        assert.deepEqual(gateFor({ restart: ["x"] }, http, https), { skipped: false });
    });
});
