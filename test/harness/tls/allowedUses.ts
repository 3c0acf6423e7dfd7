/**
 * terraform-provider-tls's `allowed_uses` values (snake_case) → OpenSSL extension names.
 * Unknown values are refused, as the provider's schema validation does: a camelCase
 * "serverAuth" (as the generated .d.ts comments suggest) is a plan-time error for real.
 */
const KEY_USAGE: Record<string, string> = {
    digital_signature: "digitalSignature",
    content_commitment: "nonRepudiation",
    key_encipherment: "keyEncipherment",
    data_encipherment: "dataEncipherment",
    key_agreement: "keyAgreement",
    cert_signing: "keyCertSign",
    crl_signing: "cRLSign",
    encipher_only: "encipherOnly",
    decipher_only: "decipherOnly",
};

const EXT_KEY_USAGE: Record<string, string> = {
    any_extended: "anyExtendedKeyUsage",
    server_auth: "serverAuth",
    client_auth: "clientAuth",
    code_signing: "codeSigning",
    email_protection: "emailProtection",
    ipsec_end_system: "ipsecEndSystem",
    ipsec_tunnel: "ipsecTunnel",
    ipsec_user: "ipsecUser",
    timestamping: "timeStamping",
    ocsp_signing: "OCSPSigning",
    microsoft_server_gated_crypto: "msSGC",
    netscape_server_gated_crypto: "nsSGC",
    microsoft_commercial_code_signing: "msCodeCom",
    microsoft_kernel_code_signing: "1.3.6.1.4.1.311.61.1.1",
};

export function mapAllowedUses(uses: unknown, resource: string): { keyUsage: string[]; extKeyUsage: string[] } {
    if (!Array.isArray(uses)) {
        throw new Error(`${resource}: allowedUses is required (a list of snake_case uses such as "server_auth")`);
    }
    const keyUsage: string[] = [];
    const extKeyUsage: string[] = [];
    for (const u of uses) {
        if (typeof u === "string" && KEY_USAGE[u]) keyUsage.push(KEY_USAGE[u]);
        else if (typeof u === "string" && EXT_KEY_USAGE[u]) extKeyUsage.push(EXT_KEY_USAGE[u]);
        else {
            const known = [...Object.keys(KEY_USAGE), ...Object.keys(EXT_KEY_USAGE)].join(", ");
            throw new Error(`${resource}: allowedUses: ${JSON.stringify(u)} is not a valid use; expected one of ${known}`);
        }
    }
    return { keyUsage, extKeyUsage };
}
