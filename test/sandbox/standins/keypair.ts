/**
 * Go's tls.LoadX509KeyPair(certFile, keyFile) for the stand-ins: what InfluxDB does with
 * https-certificate / https-private-key (an empty key path means "the key is in the
 * certificate file", i.e. a bundle .pem). Files are opened as the calling user, so a key
 * the service user cannot read fails with "open …: permission denied" (guide erratum 4).
 * Error texts are Go's.
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFileGo } from "./goerrors";

export interface KeyPair {
    /** Every CERTIFICATE block of the certificate file, leaf first. */
    readonly certPem: string;
    readonly keyPem: string;
    readonly leaf: X509Certificate;
}

interface PemBlock {
    readonly type: string;
    readonly text: string;
}

/** The PEM blocks of a file, in order; text between blocks is skipped as encoding/pem does. */
export function pemBlocks(data: string): PemBlock[] {
    const re = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n[\s\S]*?-----END \1-----/g;
    return [...data.matchAll(re)].map((m) => ({ type: m[1]!, text: `${m[0]}\n` }));
}

export function loadX509KeyPair(certFile: string, keyFile: string): KeyPair {
    const certData = readFileGo(certFile).toString("latin1");
    const keyData = keyFile === certFile ? certData : readFileGo(keyFile).toString("latin1");
    const certBlocks = pemBlocks(certData);
    const certs = certBlocks.filter((b) => b.type === "CERTIFICATE");
    if (certs.length === 0) {
        if (certBlocks.some((b) => b.type.endsWith("PRIVATE KEY"))) {
            throw new Error("tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched");
        }
        throw new Error("tls: failed to find any PEM data in certificate input");
    }
    const keyBlocks = pemBlocks(keyData);
    const keyBlock = keyBlocks.find((b) => b.type === "PRIVATE KEY" || b.type.endsWith(" PRIVATE KEY"));
    if (!keyBlock) {
        if (keyBlocks.some((b) => b.type === "CERTIFICATE")) throw new Error("tls: found a certificate rather than a key in the PEM for the private key");
        throw new Error("tls: failed to find any PEM data in key input");
    }
    let leaf: X509Certificate;
    try {
        leaf = new X509Certificate(certs[0]!.text);
    } catch {
        throw new Error("x509: malformed certificate");
    }
    let key;
    try {
        key = createPrivateKey(keyBlock.text);
    } catch {
        throw new Error("tls: failed to parse private key");
    }
    if (!leaf.checkPrivateKey(key)) throw new Error("tls: private key does not match public key");
    return { certPem: certs.map((c) => c.text).join(""), keyPem: keyBlock.text, leaf };
}
