/**
 * X.509 by the real `openssl` CLI (3.0): CSRs with `openssl req`, certificates with
 * `openssl ca` — the only 3.0 command that takes start and end dates to the second, which
 * validityPeriodHours needs. The extensions are written out explicitly so that OpenSSL's
 * defaults (e.g. `req -x509` adding key identifiers) do not leak in: the result carries what
 * Go's x509.CreateCertificate would put there for the tls provider's template.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { mapAllowedUses } from "./allowedUses";
import { tool, withTempDir, writeSecret } from "./tools";

/** The tls provider's `subject` block (camelCase, as the SDK sends it). */
export interface Subject {
    commonName?: string;
    country?: string;
    emailAddress?: string;
    locality?: string;
    organization?: string;
    organizationalUnit?: string;
    postalCode?: string;
    province?: string;
    serialNumber?: string;
    streetAddresses?: string[];
}

/** `-subj` in the order Go's pkix.Name.ToRDNSequence writes the fields (email as an extra name, last). */
export function subjectArg(s: Subject | undefined): string {
    const esc = (v: string) => v.replace(/[\\/+=]/g, (c) => "\\" + c);
    const parts: [string, string | undefined][] = [
        ["C", s?.country],
        ["ST", s?.province],
        ["L", s?.locality],
        ...(s?.streetAddresses ?? []).map((a): [string, string] => ["street", a]),
        ["postalCode", s?.postalCode],
        ["O", s?.organization],
        ["OU", s?.organizationalUnit],
        ["CN", s?.commonName],
        ["serialNumber", s?.serialNumber],
        ["emailAddress", s?.emailAddress],
    ];
    const set = parts.filter(([, v]) => v !== undefined && v !== "");
    if (set.length === 0) {
        throw new Error("an empty subject is not supported by the harness's openssl stand-in; set subject.commonName");
    }
    return set.map(([k, v]) => `/${k}=${esc(v!)}`).join("");
}

/** subjectAltName value from dnsNames/ipAddresses/uris; undefined when there are none. */
export function sanValue(dnsNames?: string[], ipAddresses?: string[], uris?: string[]): string | undefined {
    const entries = [
        ...(dnsNames ?? []).map((d) => `DNS:${d}`),
        ...(ipAddresses ?? []).map((ip) => `IP:${ip}`),
        ...(uris ?? []).map((u) => `URI:${u}`),
    ];
    for (const e of entries) {
        // Config syntax: a comma separates entries, `$` expands variables.
        if (/[,$\n\r]/.test(e)) throw new Error(`subject alternative name ${JSON.stringify(e)} cannot be passed to openssl`);
    }
    return entries.length > 0 ? entries.join(", ") : undefined;
}

/** Extensions as Go writes them for the tls provider's templates. */
export interface ExtensionSpec {
    isCa: boolean;
    maxPathLength?: number;
    allowedUses: unknown;
    san?: string;
    subjectKeyId: boolean;
    /** "none", "keyid" (copy the issuer's key id if it has one) */
    authorityKeyId: "none" | "keyid";
    resource: string;
}

function extensionSection(e: ExtensionSpec): string {
    const { keyUsage, extKeyUsage } = mapAllowedUses(e.allowedUses, e.resource);
    const lines = [
        // The provider always sets BasicConstraintsValid; Go marks the extension critical.
        `basicConstraints = critical, CA:${e.isCa ? "TRUE" : "FALSE"}${e.isCa && e.maxPathLength ? `, pathlen:${e.maxPathLength}` : ""}`,
    ];
    if (keyUsage.length > 0) lines.push(`keyUsage = critical, ${keyUsage.join(", ")}`);
    if (extKeyUsage.length > 0) lines.push(`extendedKeyUsage = ${extKeyUsage.join(", ")}`);
    if (e.san) lines.push(`subjectAltName = ${e.san}`);
    // Go generates a subject key id for every CA certificate, and for others when asked.
    lines.push(`subjectKeyIdentifier = ${e.subjectKeyId || e.isCa ? "hash" : "none"}`);
    lines.push(`authorityKeyIdentifier = ${e.authorityKeyId}`);
    return lines.join("\n");
}

function config(dir: string, ext: string, copySanFromCsr: boolean): string {
    const policy = ["countryName", "stateOrProvinceName", "localityName", "streetAddress", "postalCode", "organizationName",
        "organizationalUnitName", "commonName", "serialNumber", "emailAddress"].map((f) => `${f} = optional`).join("\n");
    return `[ req ]
distinguished_name = req_dn
prompt = no
string_mask = utf8only
[ req_dn ]
[ harness_ca ]
database = ${path.join(dir, "index.txt")}
new_certs_dir = ${dir}
rand_serial = yes
policy = harness_policy
unique_subject = no
email_in_dn = yes
preserve = yes
copy_extensions = ${copySanFromCsr ? "copy" : "none"}
[ harness_policy ]
${policy}
[ harness_ext ]
${ext}
`;
}

/** Digest Go picks for the key (SHA-384 for P-384, SHA-512 for P-521; none for Ed25519). */
function digestFor(keyPem: string): string {
    const k = crypto.createPrivateKey(keyPem);
    if (k.asymmetricKeyType === "ed25519") return "default";
    if (k.asymmetricKeyType === "ec") {
        const curve = k.asymmetricKeyDetails?.namedCurve;
        return curve === "secp384r1" ? "sha384" : curve === "secp521r1" ? "sha512" : "sha256";
    }
    return "sha256";
}

/** "RSA" | "ECDSA" | "ED25519", as the provider's keyAlgorithm outputs. */
export function keyAlgorithm(keyPem: string): string {
    const t = crypto.createPrivateKey(keyPem).asymmetricKeyType;
    return t === "rsa" ? "RSA" : t === "ec" ? "ECDSA" : t === "ed25519" ? "ED25519" : String(t).toUpperCase();
}

export async function makeCsr(keyPem: string, subject: Subject | undefined, san: string | undefined): Promise<string> {
    return withTempDir(async (dir) => {
        const cnf = path.join(dir, "openssl.cnf");
        fs.writeFileSync(cnf, config(dir, "", false) + (san ? `[ csr_ext ]\nsubjectAltName = ${san}\n` : ""));
        const key = writeSecret(dir, "key.pem", keyPem);
        const args = ["req", "-new", "-config", cnf, "-utf8", "-key", key, "-subj", subjectArg(subject), "-out", path.join(dir, "req.csr")];
        if (san) args.push("-reqexts", "csr_ext");
        if (digestFor(keyPem) !== "default") args.push(`-${digestFor(keyPem)}`);
        await tool("openssl", args);
        return fs.readFileSync(path.join(dir, "req.csr"), "utf8");
    });
}

function stamp(d: Date): string {
    return d.toISOString().replace(/[-:T]/g, "").replace(/\.\d+Z$/, "Z"); // YYYYMMDDHHMMSSZ
}

/**
 * Sign `csrPem` for `validityHours` from now: self-signed with `keyPem` (issuer = subject),
 * or by the CA (`ca`). With `subject`, the CSR's subject is replaced (self-signed certs).
 */
export async function signCertificate(opts: {
    csrPem: string;
    keyPem: string;
    ca?: { certPem: string };
    validityHours: number;
    ext: ExtensionSpec;
    copySanFromCsr: boolean;
}): Promise<string> {
    return withTempDir(async (dir) => {
        fs.writeFileSync(path.join(dir, "index.txt"), "");
        const cnf = path.join(dir, "openssl.cnf");
        fs.writeFileSync(cnf, config(dir, extensionSection(opts.ext), opts.copySanFromCsr));
        const csr = path.join(dir, "req.csr");
        fs.writeFileSync(csr, opts.csrPem);
        const key = writeSecret(dir, "key.pem", opts.keyPem);
        const now = new Date(Math.floor(Date.now() / 1000) * 1000);
        const end = new Date(now.getTime() + opts.validityHours * 3600_000);
        const out = path.join(dir, "cert.pem");
        const args = ["ca", "-batch", "-notext", "-utf8", "-config", cnf, "-name", "harness_ca", "-in", csr, "-keyfile", key,
            "-startdate", stamp(now), "-enddate", stamp(end), "-md", digestFor(opts.keyPem),
            "-extfile", cnf, "-extensions", "harness_ext", "-out", out];
        if (opts.ca) {
            args.push("-cert", path.join(dir, "ca.pem"));
            fs.writeFileSync(path.join(dir, "ca.pem"), opts.ca.certPem);
        } else {
            args.push("-selfsign");
        }
        await tool("openssl", args);
        return fs.readFileSync(out, "utf8");
    });
}

/** validity times (RFC 3339, seconds), the serial as a decimal string (the provider's id). */
export function certFacts(certPem: string): { start: string; end: string; serial: string } {
    const c = new crypto.X509Certificate(certPem);
    const rfc3339 = (s: string) => new Date(s).toISOString().replace(/\.\d+Z$/, "Z");
    return { start: rfc3339(c.validFrom), end: rfc3339(c.validTo), serial: BigInt("0x" + c.serialNumber).toString(10) };
}
