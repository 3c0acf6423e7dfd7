import * as crypto from "crypto";

/**
 * PEM blocks, and the facts about a certificate the node components output, read with Node's
 * own X.509 parser (no hand-written ASN.1). A bundle's first CERTIFICATE block is the node's
 * certificate.
 */

export const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
export const KEY_BLOCK = /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]+?-----END \1PRIVATE KEY-----/;

export interface CertificateFacts {
    /** SHA-256 fingerprint, "AB:CD:…" as `openssl x509 -fingerprint -sha256` prints it. */
    sha256Fingerprint: string;
    /** Expiry, RFC 3339. */
    notAfter: string;
}

export function certificateFacts(pem: string): CertificateFacts {
    const block = CERT_BLOCK.exec(pem);
    if (!block) {
        throw new Error("no PEM CERTIFICATE block found");
    }
    const x = new crypto.X509Certificate(block[0]);
    return { sha256Fingerprint: x.fingerprint256, notAfter: new Date(x.validTo).toISOString() };
}

/**
 * True when the text holds the start of a private key block, complete or not: a certificate
 * argument holding one is refused (certificateChecks), since it would be installed
 * world-readable and stored in plain text.
 */
export function hasPrivateKey(pem: string): boolean {
    return /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem);
}
