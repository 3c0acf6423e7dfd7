import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { DEFAULT_RSA_BITS } from "../influx/defaults";
import { NODE_RENEWAL, renewalHours, type Renewal } from "./renewal";

/**
 * What every certificate this package makes shares, node certificate and CA alike: the key,
 * the names and the validity. Its own module so that neither the node certificate nor the CA
 * borrows from the other (they used to, in a circle through the argument types).
 */

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
     * `validityDays` (else every `up` would replace the certificate), and not shorter than the
     * node's `minValidityDays` (else the preflight would refuse it before it is renewed).
     * Defaults to a third of the validity, at most 30 days, but at least `minValidityDays`.
     */
    readonly earlyRenewalDays?: number;
}

/** Server certificate uses (tls provider's snake_case names). */
export const SERVER_USES = ["key_encipherment", "digital_signature", "server_auth"];

export function keyResource(name: string, k: KeyArgs, parentOpts: pulumi.CustomResourceOptions): tls.PrivateKey {
    // A new key replaces everything made from it: certificate (its input changes), files, restart.
    // The engine replaces on a trigger only when the stored and the new one are both set and
    // differ: a trigger given for the first time would replace nothing. So one is always sent
    // ("" until a rotationTrigger is given), and setting it the first time rotates too.
    const opts = { ...parentOpts, replacementTrigger: k.rotationTrigger ?? "" };
    return k.algorithm === "ECDSA"
        ? new tls.PrivateKey(name, { algorithm: "ECDSA", ecdsaCurve: k.ecdsaCurve ?? "P256" }, opts)
        : new tls.PrivateKey(name, { algorithm: "RSA", rsaBits: k.rsaBits ?? DEFAULT_RSA_BITS }, opts);
}

/**
 * A node certificate's validity and early renewal, in the tls provider's hours. With
 * `minValidityDays` (the node's preflight minimum), the default early renewal is at least that.
 */
export function certificateValidity(n: CertificateNamesArgs, minValidityDays?: number): Renewal {
    return renewalHours(n.validityDays, n.earlyRenewalDays, NODE_RENEWAL, minValidityDays);
}
