import * as crypto from "crypto";
import * as net from "net";
import { CERT_BLOCK, KEY_BLOCK } from "./pem";

/**
 * Checks of a certificate and its key shared by the components' argument checks (provided PEMs,
 * no SSH) and the TomlSettings preflight (the files as installed on the host). Node's own X.509
 * parser does the work. Messages never quote key material.
 */

export type ParsedCertificate = { cert: crypto.X509Certificate } | { problem: string };

/** The first CERTIFICATE block of `text`, parsed. */
export function firstCertificate(text: string): ParsedCertificate {
    const block = CERT_BLOCK.exec(text);
    if (!block) {
        return { problem: "holds no PEM CERTIFICATE block" };
    }
    try {
        return { cert: new crypto.X509Certificate(block[0]) };
    } catch (e) {
        return { problem: `the first CERTIFICATE block cannot be read (${firstLine(e)})` };
    }
}

export type ParsedKey = { key: crypto.KeyObject } | { problem: string };

/** The first PRIVATE KEY block of `text`, parsed (the problem never quotes the key). */
export function firstPrivateKey(text: string): ParsedKey {
    const block = KEY_BLOCK.exec(text);
    if (!block) {
        return { problem: "holds no PEM PRIVATE KEY block" };
    }
    try {
        return { key: crypto.createPrivateKey({ key: block[0], format: "pem" }) };
    } catch (e) {
        const encrypted = /ENCRYPTED/.test(block[0]) || /passphrase/i.test(firstLine(e));
        return { problem: "the private key cannot be read" + (encrypted ? " (it is encrypted: InfluxDB needs an unencrypted key)" : ` (${firstLine(e)})`) };
    }
}

/** Why `key` is not the certificate's key, or undefined. */
export function keyMismatch(cert: crypto.X509Certificate, key: crypto.KeyObject): string | undefined {
    return cert.checkPrivateKey(key) ? undefined : `does not match the certificate (subject ${subjectOf(cert)}): the certificate's public key ` +
        "belongs to another private key; the service would refuse to start (\"tls: private key does not match public key\")";
}

/**
 * Why clients connecting to `hostname` would refuse the certificate, or undefined. Only
 * subjectAltNames count (`subject: "never"`): Go ≥ 1.15 clients ignore the CN.
 */
export function hostnameNotCovered(cert: crypto.X509Certificate, hostname: string): string | undefined {
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

const DAY_MS = 86_400_000;

/** Why the certificate is not valid at `now` and for `minDays` more days, or undefined. */
export function validityProblem(cert: crypto.X509Certificate, now: Date, minDays = 0): string | undefined {
    const notAfter = new Date(cert.validTo);
    const notBefore = new Date(cert.validFrom);
    if (notAfter.getTime() <= now.getTime()) {
        return `expired on ${notAfter.toISOString()} (subject ${subjectOf(cert)})`;
    }
    if (notBefore.getTime() > now.getTime()) {
        return `is not valid before ${notBefore.toISOString()} (subject ${subjectOf(cert)})`;
    }
    if (notAfter.getTime() < now.getTime() + minDays * DAY_MS) {
        const left = (notAfter.getTime() - now.getTime()) / DAY_MS;
        return `expires on ${notAfter.toISOString()}, in ${left.toFixed(1)} days: less than the ${minDays} days required (minValidityDays)`;
    }
    return undefined;
}

export function subjectOf(cert: crypto.X509Certificate): string {
    return JSON.stringify(cert.subject.replace(/\n/g, ", "));
}

export function firstLine(e: unknown): string {
    return (e instanceof Error ? e.message : String(e)).split("\n")[0];
}
