import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { fipsKeyProblem, type KeyShape } from "../influx/tlsProfile";
import { refusal } from "../resources/refuse";
import type { CertificateArgs } from "./certificateArgs";
import type { CertificateAuthority } from "./certificateAuthority";
import type { ClusterCertificatesArgs, ClusterNodeArgs } from "./clusterTlsArgs";
import type { KeyArgs } from "./keyAndValidity";
import { CERT_BLOCK } from "./pem";

/**
 * ClusterTls's `certificates` strategy turned into each node's `certificate` argument (the
 * node components make and check it: nothing here makes a certificate), what that means for
 * peers (can they verify it? is there a CA to trust?), and the FIPS key rule.
 */

export type StrategyKind = keyof ClusterCertificatesArgs;
const KINDS: readonly StrategyKind[] = ["internalCa", "provided", "selfSigned", "onHost"];

export function chooseStrategy(label: string, c: ClusterCertificatesArgs | undefined): { kind?: StrategyKind; problems: string[] } {
    const set = KINDS.filter((k) => c?.[k] !== undefined);
    if (set.length === 0) {
        return { kind: "internalCa", problems: [] };
    }
    if (set.length > 1) {
        return { problems: [`${label}: certificates must set one of ${KINDS.join(", ")} (got ${set.join(", ")})`] };
    }
    return { kind: set[0], problems: [] };
}

/** The node's `certificate` argument: its own override, else what the strategy gives every node. */
export function nodeCertificate(label: string, kind: StrategyKind, c: ClusterCertificatesArgs, node: ClusterNodeArgs,
    authority: CertificateAuthority | undefined, rotationTrigger: pulumi.Input<string> | undefined): { certificate?: CertificateArgs; problems: string[] } {
    const at = `${label}: node ${node.name}`;
    const clusterCa = c.provided?.caCertificatePem;
    if (node.certificate !== undefined) {
        const own = node.certificate;
        // The cluster's CA is trusted for a node's own provided certificate unless it names one.
        if (own.provided && own.provided.caCertificatePem === undefined && clusterCa !== undefined) {
            return { certificate: { ...own, provided: { ...own.provided, caCertificatePem: clusterCa } }, problems: [] };
        }
        return { certificate: withTrigger(own, rotationTrigger), problems: [] };
    }
    switch (kind) {
        case "internalCa": {
            const n = c.internalCa?.nodeCertificates ?? {};
            return { certificate: { issuedBy: { ...n, authority: authority!, rotationTrigger: rotationTrigger ?? n.rotationTrigger } }, problems: [] };
        }
        case "provided": {
            const p = c.provided!;
            if (p.certificatePem === undefined && p.bundlePem === undefined) {
                return { problems: [`${at}: certificates.provided gives no certificate for every node (certificatePem + privateKeyPem, or bundlePem): ` +
                    "give this node its own certificate.provided"] };
            }
            return { certificate: { provided: p }, problems: [] };
        }
        case "selfSigned":
            return { certificate: { selfSigned: { ...c.selfSigned!, rotationTrigger: rotationTrigger ?? c.selfSigned!.rotationTrigger } }, problems: [] };
        case "onHost":
            return { certificate: { onHost: c.onHost! }, problems: [] };
    }
}

function withTrigger(c: CertificateArgs, t: pulumi.Input<string> | undefined): CertificateArgs {
    if (t === undefined) return c;
    if (c.selfSigned) return { ...c, selfSigned: { ...c.selfSigned, rotationTrigger: c.selfSigned.rotationTrigger ?? t } };
    if (c.issuedBy) return { ...c, issuedBy: { ...c.issuedBy, rotationTrigger: c.issuedBy.rotationTrigger ?? t } };
    return c;
}

/** Peers and clients cannot verify it (self-signed without a CA): the cluster's insecure flags are needed. */
export function unverifiable(c: CertificateArgs): boolean {
    if (c.selfSigned) return true;
    if (c.onHost) return c.onHost.selfSigned === true && c.onHost.caCertificatePem === undefined;
    return false;
}

/** A CA file is installed on the node (and trusted by commands run there). */
export function hasCa(c: CertificateArgs): boolean {
    return c.issuedBy !== undefined || c.provided?.caCertificatePem !== undefined || c.onHost?.caCertificatePem !== undefined;
}

/** The shape of a key this package generates from KeyArgs (RSA 2048 and ECDSA P-256 by default). */
export function generatedKeyShape(k: KeyArgs): KeyShape {
    return k.algorithm === "ECDSA" ? { type: "ec", curve: k.ecdsaCurve ?? "P256" } : { type: "rsa", rsaBits: k.rsaBits ?? 2048 };
}

/** The shape of the public key of a PEM's first certificate. */
export function certificateKeyShape(pem: string): KeyShape | undefined {
    const block = CERT_BLOCK.exec(pem);
    if (!block) return undefined;
    try {
        const k = new crypto.X509Certificate(block[0]).publicKey;
        const d = k.asymmetricKeyDetails ?? {};
        return { type: k.asymmetricKeyType ?? "unknown", rsaBits: d.modulusLength, curve: d.namedCurve };
    } catch {
        return undefined; // unreadable: the node component's own checks say so
    }
}

/**
 * The FIPS key rule for one node's certificate: problems found now (generated keys, plain PEMs)
 * and the certificate to use, whose PEMs given as Outputs are checked once they resolve (before
 * any file is installed: the files' contents come from them). Files already on the host are not
 * read here (`onHost`: reported in `warnings`).
 */
export function fipsGuard(at: string, c: CertificateArgs): { certificate: CertificateArgs; problems: string[] } {
    const generated = c.selfSigned ?? c.issuedBy;
    if (generated) {
        const p = fipsKeyProblem(generatedKeyShape(generated));
        return { certificate: c, problems: p ? [`${at}: certificate key: ${p}`] : [] };
    }
    const p = c.provided;
    if (!p) {
        return { certificate: c, problems: [] };
    }
    const field = p.bundlePem !== undefined ? "bundlePem" : "certificatePem";
    const pem = p.bundlePem ?? p.certificatePem;
    const problemOf = (text: string) => {
        const shape = certificateKeyShape(text);
        const why = shape && fipsKeyProblem(shape);
        return why ? `${at}: certificate.provided.${field}: ${why}` : undefined;
    };
    if (typeof pem === "string") {
        const why = problemOf(pem);
        return { certificate: c, problems: why ? [why] : [] };
    }
    if (pem === undefined) {
        return { certificate: c, problems: [] };
    }
    const checked = pulumi.output(pem).apply((text) => {
        const why = problemOf(text);
        if (why) throw refusal(why, undefined);
        return text;
    });
    return { certificate: { ...c, provided: { ...p, [field]: checked } }, problems: [] };
}
