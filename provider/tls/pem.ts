/**
 * PEM blocks of certificate and key files. A bundle's first CERTIFICATE block is the node's
 * certificate. (Only finding the blocks: what is in them is read by Node's crypto.)
 */

export const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
export const KEY_BLOCK = /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]+?-----END \1PRIVATE KEY-----/;

/**
 * True when the text holds the start of a private key block, complete or not: such a file is
 * key material, whatever it is called.
 */
export function hasPrivateKey(pem: string): boolean {
    return /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem);
}
