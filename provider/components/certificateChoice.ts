import type {
    CertificateArgs, IssuedCertificateArgs, OnHostCertificateArgs, ProvidedCertificateArgs, SelfSignedCertificateArgs,
} from "./certificateArgs";
import type { FileLayout } from "../influx";
import { NODE_RENEWAL, renewalProblems } from "./renewal";

/**
 * Which certificate source a node uses, worked out once from its arguments (checkCertificate)
 * and carried from there to the files, the config and the certificate resources, so no later
 * step decides it again or has to guess one when the arguments were wrong.
 */
export type ChosenCertificate =
    | { kind: "selfSigned"; args: SelfSignedCertificateArgs; bundle: false }
    | { kind: "issuedBy"; args: IssuedCertificateArgs; bundle: false }
    /** bundle: key and certificate in one file (`bundlePem`). */
    | { kind: "provided"; args: ProvidedCertificateArgs; bundle: boolean }
    /** bundle: the certificate file holds the key too (no `privateKeyPath`). */
    | { kind: "onHost"; args: OnHostCertificateArgs; bundle: boolean };

type CertificateKind = ChosenCertificate["kind"];

const KINDS: readonly CertificateKind[] = ["selfSigned", "provided", "onHost", "issuedBy"];

function choose(kind: CertificateKind, c: CertificateArgs): ChosenCertificate {
    switch (kind) {
        case "selfSigned": return { kind, args: c.selfSigned!, bundle: false };
        case "issuedBy": return { kind, args: c.issuedBy!, bundle: false };
        case "provided": return { kind, args: c.provided!, bundle: c.provided!.bundlePem !== undefined };
        case "onHost": return { kind, args: c.onHost!, bundle: c.onHost!.privateKeyPath === undefined };
    }
}

/**
 * Problems with the plain parts of `certificate`, each naming the argument, and the source
 * chosen; `chosen` is undefined exactly when not one source is set (the first problem says so).
 */
export function checkCertificate(component: string, c: CertificateArgs | undefined): { chosen?: ChosenCertificate; problems: string[] } {
    const set = KINDS.filter((k) => c?.[k] !== undefined);
    if (set.length !== 1) {
        return {
            problems: [`${component}: certificate must set exactly one of ${KINDS.join(", ")}` + (set.length > 1 ? ` (got ${set.join(", ")})` : "")],
        };
    }
    const chosen = choose(set[0], c!);
    const problems: string[] = [];
    if (chosen.kind === "selfSigned" || chosen.kind === "issuedBy") {
        const key = chosen.args;
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
    if (chosen.kind === "provided") {
        const p = chosen.args;
        const separate = p.certificatePem !== undefined || p.privateKeyPem !== undefined;
        if (separate && p.bundlePem !== undefined) {
            problems.push(`${component}: provided certificate: give certificatePem + privateKeyPem, or bundlePem, not both`);
        } else if (!separate && p.bundlePem === undefined) {
            problems.push(`${component}: provided certificate: certificatePem + privateKeyPem, or bundlePem, is required`);
        } else if (separate && (p.certificatePem === undefined || p.privateKeyPem === undefined)) {
            problems.push(`${component}: provided certificate: certificatePem and privateKeyPem go together`);
        }
    }
    return { chosen, problems };
}

/** Which of the guide's file layouts the source installs (files already on the host keep theirs; only a CA file is installed). */
export function fileLayout(chosen: ChosenCertificate): FileLayout {
    return chosen.bundle ? "bundle" : chosen.kind === "selfSigned" ? "selfSigned" : "caSigned";
}
