import type * as pulumi from "@pulumi/pulumi";
import type { CertificateAuthority } from "./certificateAuthority";
import type { CertificateNamesArgs, KeyArgs } from "./keyAndValidity";

/** Where a node's certificate comes from: the argument types (checks: certificateChoice.ts). */

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
    /** The authority that signs the node's certificate; clients trust its `certPem`. */
    readonly authority: CertificateAuthority;
}

/** Where a node's certificate comes from: set exactly one. */
export interface CertificateArgs {
    /** A key and self-signed certificate made by @pulumi/tls (the guide's self-signed path). */
    readonly selfSigned?: SelfSignedCertificateArgs;
    /** Your own CA-signed certificate and key (or a bundle), installed on the node. */
    readonly provided?: ProvidedCertificateArgs;
    /** Certificate and key files already on the host: only config, restart and verify are managed. */
    readonly onHost?: OnHostCertificateArgs;
    /** A per-node certificate issued by a CertificateAuthority of this stack. */
    readonly issuedBy?: IssuedCertificateArgs;
}
