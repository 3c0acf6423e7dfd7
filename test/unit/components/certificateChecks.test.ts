/**
 * A provided certificate is checked before anything runs (issue 7 §0.5, §0.16, fault 16):
 * a key + certificate PEM given as `certificatePem`, a key that does not match, an expired
 * certificate, a hostname missing from the SANs, a CN-only certificate. Real certificates made
 * by openssl; the components run under mocks, so "nothing registered" means no SSH at all.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { conn } from "./fixtures";
import { installMocks, settle } from "./mockWorld";

const registered = installMocks();
import { DataNodeTls, MetaNodeTls } from "../../../provider";
import { providedCertificateProblems } from "../../../provider/components/certificateChecks";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-certchecks-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

let serial = 0;
/** A key and a certificate signed by itself with `openssl ca` (the one 3.0 command taking exact dates). */
function makeCert(opts: { san?: string; cn?: string; start?: Date; end?: Date }): { key: string; cert: string } {
    const n = ++serial;
    const stamp = (d: Date) => d.toISOString().replace(/[-:T]/g, "").replace(/\.\d+Z$/, "Z");
    const start = opts.start ?? new Date(Date.now() - 3600_000);
    const end = opts.end ?? new Date(Date.now() + 30 * 86400_000);
    const cnf = path.join(dir, `${n}.cnf`);
    fs.writeFileSync(path.join(dir, `${n}.index`), "");
    fs.writeFileSync(cnf, `[ req ]\ndistinguished_name = dn\nprompt = no\n[ dn ]\nCN = ${opts.cn ?? "node"}\n` +
        `[ ca ]\ndatabase = ${dir}/${n}.index\nnew_certs_dir = ${dir}\nrand_serial = yes\ndefault_md = sha256\npolicy = pol\n[ pol ]\ncommonName = supplied\n` +
        `[ ext ]\nbasicConstraints = critical, CA:FALSE\nextendedKeyUsage = serverAuth\n${opts.san ? `subjectAltName = ${opts.san}\n` : ""}`);
    const key = path.join(dir, `${n}.key`);
    execFileSync("openssl", ["req", "-new", "-newkey", "rsa:2048", "-nodes", "-config", cnf, "-keyout", key, "-out", `${dir}/${n}.csr`], { stdio: "ignore" });
    execFileSync("openssl", ["ca", "-batch", "-notext", "-config", cnf, "-name", "ca", "-selfsign", "-keyfile", key, "-in", `${dir}/${n}.csr`,
        "-startdate", stamp(start), "-enddate", stamp(end), "-extfile", cnf, "-extensions", "ext", "-out", `${dir}/${n}.crt`], { stdio: "ignore" });
    return { key: fs.readFileSync(key, "utf8"), cert: fs.readFileSync(`${dir}/${n}.crt`, "utf8") };
}

const good = makeCert({ san: "IP:127.0.10.1,DNS:data1" });
const other = makeCert({ san: "IP:127.0.10.1,DNS:data1" });
const expired = makeCert({ san: "IP:127.0.10.1", start: new Date(Date.now() - 10 * 86400_000), end: new Date(Date.now() - 86400_000) });
const cnOnly = makeCert({ cn: "127.0.10.1" });
const data2Only = makeCert({ san: "IP:127.0.10.2,DNS:data2" });

/** Constructs a data node on 127.0.10.1 with `provided`, expecting a refusal; returns the message. */
function refused(name: string, provided: Record<string, unknown>): string {
    let message = "";
    assert.throws(() => new DataNodeTls(name, { connection: conn("127.0.10.1"), certificate: { provided } }), (e: Error) => {
        assert.ok(e instanceof pulumi.ResourceError, `a ResourceError, got ${e}`);
        assert.equal((e as any).hideStack, true, "the message alone, no object dump");
        message = e.message;
        return true;
    });
    assert.equal(registered.filter((r) => r.name.startsWith(name)).length, 0, "nothing registered: no SSH at all");
    assert.doesNotMatch(message, /PRIVATE KEY-----|MII/, "no key material in the message");
    return message;
}

describe("provided certificates are checked before anything runs", () => {
    it("a combined key + certificate PEM given as certificatePem is refused, naming bundlePem", () => {
        const m = refused("combined", { certificatePem: good.key + good.cert, privateKeyPem: good.key });
        assert.match(m, /^DataNodeTls combined: certificate\.provided\.certificatePem holds a PRIVATE KEY block: .*bundlePem/);
        // Order does not matter.
        assert.match(refused("combined2", { certificatePem: good.cert + good.key, privateKeyPem: good.key }), /bundlePem/);
    });

    it("a key that does not belong to the certificate is refused, naming the node and privateKeyPem", () => {
        const m = refused("mismatch", { certificatePem: good.cert, privateKeyPem: other.key });
        assert.match(m, /^DataNodeTls mismatch: certificate\.provided\.privateKeyPem does not match the certificate/);
        assert.match(refused("mismatchb", { bundlePem: other.key + good.cert }), /certificate\.provided\.bundlePem does not match the certificate/);
    });

    it("an expired certificate is refused with its expiry", () => {
        const m = refused("expired", { certificatePem: expired.cert, privateKeyPem: expired.key });
        assert.match(m, /^DataNodeTls expired: certificate\.provided\.certificatePem expired on \d{4}-\d\d-\d\dT/);
    });

    it("a certificate without the node's hostname in its SANs is refused, listing the SANs", () => {
        const m = refused("wrongname", { certificatePem: data2Only.cert, privateKeyPem: data2Only.key });
        assert.match(m, /is not valid for "127\.0\.10\.1", the node's hostname .*DNS:data2/);
        // The name clients use is what counts: with hostname "data2" the same certificate passes that check.
        assert.deepEqual(providedCertificateProblems("X", "data2", { certificatePem: data2Only.cert, privateKeyPem: data2Only.key }), []);
        assert.match(providedCertificateProblems("X", "data1", { certificatePem: data2Only.cert, privateKeyPem: data2Only.key })[0], /not valid for "data1"/);
    });

    it("a CN-only certificate is refused even when its CN is the hostname", () => {
        const m = refused("cnonly", { certificatePem: cnOnly.cert, privateKeyPem: cnOnly.key });
        assert.match(m, /has no subjectAltName, only the common name .*Go ≥ 1\.15/);
    });

    it("every problem is named at once; a bundle without a key is refused", () => {
        const m = refused("many", { certificatePem: expired.cert, privateKeyPem: other.key });
        assert.match(m, /does not match/);
        assert.match(m, /expired on/);
        assert.match(refused("nokey", { bundlePem: good.cert }), /bundlePem holds no PRIVATE KEY block/);
        assert.match(refused("nocert", { certificatePem: "not a pem", privateKeyPem: good.key }), /certificatePem holds no PEM CERTIFICATE block/);
    });

    it("a good certificate passes, on a data node and on a meta node", async () => {
        const d = new DataNodeTls("goodd", { connection: conn("127.0.10.1"), certificate: { provided: { certificatePem: good.cert, privateKeyPem: good.key } } });
        assert.match(await settle(d.certificateSha256Fingerprint) ?? "", /^[0-9A-F:]{95}$/);
        const m = new MetaNodeTls("goodm", { connection: conn("127.0.10.1"), certificate: { provided: { bundlePem: pulumi.secret(good.key + good.cert) } } });
        assert.match(await settle(m.certificateSha256Fingerprint) ?? "", /^[0-9A-F:]{95}$/);
    });
    // Values only known later (a secret key) are checked once they resolve: test/e2e/refusals.test.ts,
    // through the real CLI (the refusal surfaces as the program's unhandled rejection).
});
