import * as crypto from "crypto";
import * as net from "net";
import { CERT_BLOCK, hasPrivateKey, KEY_BLOCK } from "./pem";

/**
 * Checks of a provided certificate done before anything runs (no SSH): what would otherwise
 * only show up after the restart, as a verify that retries until its timeout while the cause
 * sits in the service's log (`tls: private key does not match public key`, `x509: certificate
 * is valid for data1, not …`, an expired certificate). Node's own X.509 parser does the work.
 */

/** The PEM arguments of `certificate.provided`, resolved. */
export interface ProvidedPems {
    certificatePem?: string;
    privateKeyPem?: string;
    bundlePem?: string;
}

/**
 * Everything wrong with the provided certificate for a node that clients reach as `hostname`,
 * as messages naming the component (`label`), the argument and the problem. Never quotes key
 * material; `now` is for tests.
 */
export function providedCertificateProblems(label: string, hostname: string, p: ProvidedPems, now: Date = new Date()): string[] {
    const bundle = p.bundlePem !== undefined;
    const certArg = bundle ? "certificate.provided.bundlePem" : "certificate.provided.certificatePem";
    const keyArg = bundle ? "certificate.provided.bundlePem" : "certificate.provided.privateKeyPem";
    const certText = bundle ? p.bundlePem! : p.certificatePem ?? "";
    const keyText = bundle ? p.bundlePem! : p.privateKeyPem;
    const at = `${label}: ${certArg}`;
    if (!bundle && hasPrivateKey(certText)) {
        // Installed as a certificate it would be world-readable (0644) and stored in plain text.
        return [`${at} holds a PRIVATE KEY block: a combined key + certificate PEM goes in bundlePem ` +
            "(installed with the key's owner and mode 0600, stored as a secret); otherwise give the certificate alone here and the key as privateKeyPem"];
    }
    const block = CERT_BLOCK.exec(certText);
    if (!block) {
        return [`${at} holds no PEM CERTIFICATE block`];
    }
    let cert: crypto.X509Certificate;
    try {
        cert = new crypto.X509Certificate(block[0]);
    } catch (e) {
        return [`${at}: the first CERTIFICATE block cannot be read (${firstLine(e)})`];
    }
    const problems: string[] = [];
    const keyBlock = keyText === undefined ? null : KEY_BLOCK.exec(keyText);
    if (keyText !== undefined && !keyBlock) {
        problems.push(bundle ? `${at} holds no PRIVATE KEY block: a bundle must hold the key and the certificate`
            : `${label}: ${keyArg} holds no PEM PRIVATE KEY block`);
    } else if (keyBlock) {
        problems.push(...keyProblems(label, keyArg, keyBlock[0], cert));
    }
    const notAfter = new Date(cert.validTo);
    const notBefore = new Date(cert.validFrom);
    if (notAfter.getTime() <= now.getTime()) {
        problems.push(`${at} expired on ${notAfter.toISOString()} (subject ${subjectOf(cert)})`);
    } else if (notBefore.getTime() > now.getTime()) {
        problems.push(`${at} is not valid before ${notBefore.toISOString()} (subject ${subjectOf(cert)})`);
    }
    const nameProblem = hostnameProblem(cert, hostname);
    if (nameProblem) {
        problems.push(`${at} ${nameProblem}`);
    }
    return problems;
}

function keyProblems(label: string, keyArg: string, pem: string, cert: crypto.X509Certificate): string[] {
    let key: crypto.KeyObject;
    try {
        key = crypto.createPrivateKey({ key: pem, format: "pem" });
    } catch (e) {
        const encrypted = /ENCRYPTED/.test(pem) || /passphrase/i.test(firstLine(e));
        return [`${label}: ${keyArg}: the private key cannot be read` +
            (encrypted ? " (it is encrypted: InfluxDB needs an unencrypted key)" : ` (${firstLine(e)})`)];
    }
    return cert.checkPrivateKey(key) ? [] : [`${label}: ${keyArg} does not match the certificate ` +
        `(subject ${subjectOf(cert)}): the certificate's public key belongs to another private key; the service would refuse to start ` +
        "(\"tls: private key does not match public key\")"];
}

/**
 * Why clients connecting to `hostname` would refuse the certificate, or undefined. Only
 * subjectAltNames count (`subject: "never"`): Go ≥ 1.15 clients ignore the CN.
 */
function hostnameProblem(cert: crypto.X509Certificate, hostname: string): string | undefined {
    const sans = cert.subjectAltName;
    const host = hostname.replace(/^\[(.*)\]$/, "$1");
    const ok = net.isIP(host) !== 0 ? cert.checkIP(host) !== undefined : cert.checkHost(host, { subject: "never" }) !== undefined;
    if (ok) {
        return undefined;
    }
    if (!sans) {
        return `has no subjectAltName, only the common name (subject ${subjectOf(cert)}): clients built with Go ≥ 1.15 ` +
            `ignore the common name ("x509: certificate relies on legacy Common Name field"); it must name ${JSON.stringify(hostname)}, the node's hostname`;
    }
    return `is not valid for ${JSON.stringify(hostname)}, the node's hostname (set \`hostname\` to the name clients use): ` +
        `its subjectAltNames are ${sans}`;
}

function subjectOf(cert: crypto.X509Certificate): string {
    return JSON.stringify(cert.subject.replace(/\n/g, ", "));
}

function firstLine(e: unknown): string {
    return (e instanceof Error ? e.message : String(e)).split("\n")[0];
}

/** The provided PEMs when every one given (and the hostname) is a plain string, else undefined (checked once resolved). */
export function plainProvided(p: { certificatePem?: unknown; privateKeyPem?: unknown; bundlePem?: unknown }, hostname: unknown):
    { pems: ProvidedPems; hostname: string } | undefined {
    const given = [p.certificatePem, p.privateKeyPem, p.bundlePem].filter((v) => v !== undefined);
    if (typeof hostname !== "string" || !given.every((v) => typeof v === "string")) {
        return undefined;
    }
    return { pems: p as ProvidedPems, hostname };
}
