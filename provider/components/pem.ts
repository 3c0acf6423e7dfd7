import * as crypto from "crypto";
import { CERT_BLOCK } from "../tls";

/**
 * The facts about a certificate the node components output, read with Node's own X.509 parser
 * (no hand-written ASN.1). A bundle's first CERTIFICATE block is the node's certificate.
 */

export { CERT_BLOCK, KEY_BLOCK, hasPrivateKey } from "../tls";

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
