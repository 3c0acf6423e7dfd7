import type * as pulumi from "@pulumi/pulumi";
import type { CertificateAuthority } from "./certificateAuthority";
import { NODE_RENEWAL, renewalProblems } from "./renewal";

/** Key algorithm for generated keys. */
export interface KeyArgs {
    /** "RSA" (the guide's choice) or "ECDSA". Defaults to "RSA". */
    readonly algorithm?: "RSA" | "ECDSA";
    /** RSA key size in bits. Defaults to 2048 (as the guide). */
    readonly rsaBits?: number;
    /** ECDSA curve. Defaults to "P256". (The tls provider's own default, P224, is refused by Go's TLS stack and never used.) */
    readonly ecdsaCurve?: "P256" | "P384";
    /**
     * Set or change this value (e.g. "2027-q1") to rotate: a new key and certificate are made,
     * the files rewritten and the service restarted once (removing it again rotates too).
     * Early renewal (`earlyRenewalDays`) is planned by the tls provider on `pulumi up`, but is
     * not to be relied on alone (pulumi-tls#39). Defaults to none.
     */
    readonly rotationTrigger?: pulumi.Input<string>;
}

/** Names the certificate is valid for, and for how long. */
export interface CertificateNamesArgs {
    /**
     * DNS subjectAltNames. Defaults to the node's hostname when it is a name (not an IP), plus
     * "localhost" for meta nodes (influxd-ctl binds localhost:8091 by default). Clients built
     * with Go ≥ 1.15 ignore the CN, so every name they use must be here (guide erratum 6).
     */
    readonly dnsNames?: pulumi.Input<pulumi.Input<string>[]>;
    /** IP subjectAltNames. Defaults to the node's hostname when it is an IP address. */
    readonly ipAddresses?: pulumi.Input<pulumi.Input<string>[]>;
    /** Subject common name. Defaults to the node's hostname. */
    readonly commonName?: pulumi.Input<string>;
    /** Subject organization. Defaults to none. */
    readonly organization?: pulumi.Input<string>;
    /** Validity in days (the guide's NUMBER_OF_DAYS). Defaults to 365. */
    readonly validityDays?: number;
    /**
     * Days before expiry from which `pulumi up` plans a new certificate; must be shorter than
     * `validityDays` (else every `up` would replace the certificate). Defaults to a third of
     * the validity, at most 30 days.
     */
    readonly earlyRenewalDays?: number;
}

/** `openssl req -x509`, the guide's self-signed path, done by @pulumi/tls per node. */
export interface SelfSignedCertificateArgs extends KeyArgs, CertificateNamesArgs {}

/** A certificate signed by a CA of your own, given as PEM. */
export interface ProvidedCertificateArgs {
    /** The node's certificate (PEM). Give it with `privateKeyPem`, or give `bundlePem` instead. */
    readonly certificatePem?: pulumi.Input<string>;
    /** The certificate's private key (PEM); stored as a secret. */
    readonly privateKeyPem?: pulumi.Input<string>;
    /**
     * Key and certificate in one `.pem` file, installed once and used for both
     * `https-certificate` and `https-private-key` (as the guide allows); stored as a secret.
     */
    readonly bundlePem?: pulumi.Input<string>;
    /**
     * The CA certificate that signed it (PEM). Clients are told to trust it (Telegraf's
     * `tls_ca`, `SSL_CERT_FILE` for verification); without it the certificate must chain to a
     * CA the hosts already trust.
     */
    readonly caCertificatePem?: pulumi.Input<string>;
}

/** Certificate files that are already on the host: only config, restart and verify are managed; the files are never deleted. */
export interface OnHostCertificateArgs {
    /** Path of the certificate (or bundle) on the host. */
    readonly certificatePath: pulumi.Input<string>;
    /** Path of the private key; omit for a bundle (the certificate file then holds the key too). */
    readonly privateKeyPath?: pulumi.Input<string>;
    /** Whether the certificate is self-signed (clients then skip verification). Defaults to false. */
    readonly selfSigned?: boolean;
    /** CA certificate (PEM) clients should trust, if not a public one. */
    readonly caCertificatePem?: pulumi.Input<string>;
}

/** A per-node certificate issued by a `CertificateAuthority` component. */
export interface IssuedCertificateArgs extends KeyArgs, CertificateNamesArgs {
    readonly authority: CertificateAuthority;
}

/** Where a node's certificate comes from: set exactly one. */
export interface CertificateArgs {
    readonly selfSigned?: SelfSignedCertificateArgs;
    readonly provided?: ProvidedCertificateArgs;
    readonly onHost?: OnHostCertificateArgs;
    readonly issuedBy?: IssuedCertificateArgs;
}

export type CertificateKind = "selfSigned" | "provided" | "onHost" | "issuedBy";

/** Whether key and certificate share one file (a provided bundle, or files on the host without a separate key). */
export function isBundle(c: CertificateArgs): boolean {
    return c.provided?.bundlePem !== undefined || (c.onHost !== undefined && c.onHost.privateKeyPath === undefined);
}

/** Which kind was chosen; throws a message naming the argument when not exactly one is set. */
export function certificateKind(component: string, c: CertificateArgs | undefined): CertificateKind {
    const kinds = (["selfSigned", "provided", "onHost", "issuedBy"] as const).filter((k) => c?.[k] !== undefined);
    if (kinds.length !== 1) {
        throw new Error(`${component}: certificate must set exactly one of selfSigned, provided, onHost, issuedBy` +
            (kinds.length > 1 ? ` (got ${kinds.join(", ")})` : ""));
    }
    return kinds[0];
}

/** Synchronous checks of the plain parts of the arguments. */
export function certificateProblems(component: string, c: CertificateArgs | undefined): string[] {
    const problems: string[] = [];
    try {
        certificateKind(component, c);
    } catch (e) {
        return [(e as Error).message];
    }
    c = c!;
    const key = c.selfSigned ?? c.issuedBy;
    if (key) {
        if (key.algorithm !== undefined && key.algorithm !== "RSA" && key.algorithm !== "ECDSA") {
            problems.push(`${component}: certificate algorithm "${String(key.algorithm)}" is not "RSA" or "ECDSA"`);
        }
        if (key.rsaBits !== undefined && ![2048, 3072, 4096].includes(key.rsaBits)) {
            problems.push(`${component}: rsaBits must be 2048, 3072 or 4096`);
        }
        if (key.ecdsaCurve !== undefined && key.ecdsaCurve !== "P256" && key.ecdsaCurve !== "P384") {
            problems.push(`${component}: ecdsaCurve must be "P256" or "P384" (Go's TLS stack refuses P224)`);
        }
        problems.push(...renewalProblems(component, key.validityDays, key.earlyRenewalDays, NODE_RENEWAL));
    }
    const p = c.provided;
    if (p) {
        const separate = p.certificatePem !== undefined || p.privateKeyPem !== undefined;
        if (separate && p.bundlePem !== undefined) {
            problems.push(`${component}: provided certificate: give certificatePem + privateKeyPem, or bundlePem, not both`);
        } else if (!separate && p.bundlePem === undefined) {
            problems.push(`${component}: provided certificate: certificatePem + privateKeyPem, or bundlePem, is required`);
        } else if (separate && (p.certificatePem === undefined || p.privateKeyPem === undefined)) {
            problems.push(`${component}: provided certificate: certificatePem and privateKeyPem go together`);
        }
    }
    return problems;
}
