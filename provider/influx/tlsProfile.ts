import type { TomlEdit } from "../toml/types";

/**
 * `[tls]` profiles for meta and data nodes (Enterprise 1.6+; cipher names as Go's crypto/tls,
 * which InfluxDB's pkg/tlsconfig maps). Sources: config-data-nodes.md / config-meta-nodes.md
 * `[tls]`; FIPS: docs-v2 introduction/installation/fips-compliant.md ("FIPS-compliant builds,
 * Enterprise 1.11+": TLS 1.2 only, BoringCrypto's six TLS 1.2 suites, RSA 2048/3072, curves
 * P-256/P-384/P-521; `ensure-fips` refuses to start otherwise).
 */
export type TlsProfile = "default" | "modern" | "fips";

export const TLS_PROFILES: readonly TlsProfile[] = ["default", "modern", "fips"];

/** TLS 1.2 suites with forward secrecy and AEAD (TLS 1.3 suites are not configurable in Go). */
export const MODERN_CIPHERS: readonly string[] = [
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305",
];

/** The six TLS 1.2 suites a FIPS (BoringCrypto) build allows. */
export const FIPS_CIPHERS: readonly string[] = [
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_256_GCM_SHA384",
];

/** The `[tls]` edit of a profile; none for "default" (the section is left alone). */
export function tlsProfileEdits(profile: TlsProfile): TomlEdit[] {
    switch (profile) {
        case "default": return [];
        case "modern": return [{ table: "tls", set: { "min-version": "tls1.2", ciphers: [...MODERN_CIPHERS] } }];
        case "fips": return [{ table: "tls", set: { "min-version": "tls1.2", "max-version": "tls1.2", ciphers: [...FIPS_CIPHERS] } }];
    }
}

/** A key as the FIPS rule sees it: RSA with its size, or EC with its curve (node's names: "prime256v1", "secp384r1", "secp521r1"). */
export interface KeyShape {
    type: "rsa" | "ec" | string;
    rsaBits?: number;
    curve?: string;
}

const FIPS_RSA_BITS = [2048, 3072];
const FIPS_CURVES: Record<string, string> = { prime256v1: "P-256", secp384r1: "P-384", secp521r1: "P-521", P256: "P-256", P384: "P-384", P521: "P-521" };

/** Why a key is not allowed under the FIPS profile, or undefined. */
export function fipsKeyProblem(k: KeyShape): string | undefined {
    if (k.type === "rsa") {
        return FIPS_RSA_BITS.includes(k.rsaBits ?? 0) ? undefined
            : `an RSA ${k.rsaBits ?? "?"}-bit key is not allowed by tlsProfile "fips" (RSA 2048 or 3072, or ECDSA P-256/P-384/P-521)`;
    }
    if (k.type === "ec") {
        return k.curve !== undefined && FIPS_CURVES[k.curve] ? undefined
            : `an ECDSA key on curve ${k.curve ?? "?"} is not allowed by tlsProfile "fips" (P-256, P-384 or P-521)`;
    }
    return `a ${k.type} key is not allowed by tlsProfile "fips" (RSA 2048 or 3072, or ECDSA P-256/P-384/P-521)`;
}
