/**
 * Certificate material for the fault matrix, made with the real openssl CLI: one CA, good
 * pairs for data1 (A, and B for rotation), and the bad kinds scenario 16 needs (expired,
 * no SAN for the node, a key that does not match), plus a file that is not a certificate.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface Pair {
    readonly certificatePem: string;
    readonly privateKeyPem: string;
}

export interface FaultCerts {
    readonly caPem: string;
    readonly a: Pair;
    readonly b: Pair;
    readonly expired: Pair;
    readonly noSan: Pair;
    /** A's certificate with B's key. */
    readonly mismatched: Pair;
    /** B's key with "certificate" bytes that are not a certificate. */
    readonly garbage: Pair;
}

const stamp = (d: Date) => d.toISOString().replace(/[-:T]/g, "").replace(/\.\d+Z$/, "Z");

export function makeFaultCerts(address: string, name: string): FaultCerts {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-faults-"));
    const ossl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    try {
        ossl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=pitls fault-matrix CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            "-keyout", "ca.key", "-out", "ca.crt");
        fs.writeFileSync(path.join(dir, "index.txt"), "");
        fs.writeFileSync(path.join(dir, "ca.cnf"), [
            "[ca]", "default_ca = fm", "[fm]", `dir = ${dir}`, "database = $dir/index.txt", "new_certs_dir = $dir",
            "serial = $dir/serial", "default_md = sha256", "policy = any", "unique_subject = no", "copy_extensions = none",
            "[any]", "commonName = supplied", "[ext]", "basicConstraints = CA:FALSE", "keyUsage = digitalSignature,keyEncipherment",
            "extendedKeyUsage = serverAuth", "subjectAltName = $ENV::SAN", "",
        ].join("\n"));
        fs.writeFileSync(path.join(dir, "serial"), "1000\n");
        const leaf = (base: string, san: string, start: Date, end: Date, bits = 2048): Pair => {
            ossl("req", "-newkey", `rsa:${bits}`, "-nodes", "-subj", `/CN=${name}`, "-keyout", `${base}.key`, "-out", `${base}.csr`);
            execFileSync("openssl", ["ca", "-batch", "-notext", "-config", "ca.cnf", "-extensions", "ext", "-cert", "ca.crt", "-keyfile", "ca.key",
                "-startdate", stamp(start), "-enddate", stamp(end), "-in", `${base}.csr`, "-out", `${base}.crt`],
            { cwd: dir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, SAN: san } });
            return { certificatePem: fs.readFileSync(path.join(dir, `${base}.crt`), "utf8"), privateKeyPem: fs.readFileSync(path.join(dir, `${base}.key`), "utf8") };
        };
        const now = Date.now();
        // 30 days: the components' preflight refuses certificates valid for less than 7 (minValidityDays).
        const good = `IP:${address},DNS:${name},DNS:localhost`;
        const a = leaf("a", good, new Date(now - 3600_000), new Date(now + 30 * 86400_000));
        // B's key is RSA 4096: its PEM (≈3.2 KB) is larger than any script the providers send,
        // so the cutting proxy can find the rotation's key write by its size.
        const b = leaf("b", good, new Date(now - 3600_000), new Date(now + 30 * 86400_000), 4096);
        const expired = leaf("expired", good, new Date(now - 10 * 86400_000), new Date(now - 86400_000));
        const noSan = leaf("nosan", "DNS:somewhere-else.example", new Date(now - 3600_000), new Date(now + 30 * 86400_000));
        return {
            caPem: fs.readFileSync(path.join(dir, "ca.crt"), "utf8"),
            a, b, expired, noSan,
            mismatched: { certificatePem: a.certificatePem, privateKeyPem: b.privateKeyPem },
            garbage: {
                certificatePem: "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n",
                privateKeyPem: b.privateKeyPem,
            },
        };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
