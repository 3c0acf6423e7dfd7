import * as net from "net";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import type { ChosenCertificate } from "./certificateChoice";
import { certificateValidity, keyResource, SERVER_USES, type CertificateNamesArgs } from "./keyAndValidity";
import { providedCertificateProblems } from "./certificateChecks";
import { refusal } from "../resources/refuse";

/** A node's certificate, whatever its source, in the form the file installs and configs need. */
export interface CertificateMaterial {
    /** Certificate PEM to install; undefined when the files are already on the host. */
    certPem?: pulumi.Output<string>;
    /** Private key PEM to install (secret); undefined for a bundle or files on the host. */
    keyPem?: pulumi.Output<string>;
    /** Key + certificate in one file (the certificate path serves for both config keys). */
    bundle: boolean;
    /** CA certificate clients should trust, when known. */
    caPem?: pulumi.Output<string>;
    /** Clients cannot verify it (self-signed without a CA to trust). */
    selfSigned: boolean;
    /** Paths of files already on the host (onHost). */
    onHostPaths?: { cert: pulumi.Input<string>; key?: pulumi.Input<string> };
}

/** The SANs a node's certificate gets by default: its hostname as an IP or DNS SAN (+ extra DNS names). */
export function defaultNames(hostname: string, extraDns: readonly string[]): { dnsNames: string[]; ipAddresses: string[] } {
    const ip = net.isIP(hostname) !== 0;
    const dnsNames = [...new Set([...(ip ? [] : [hostname]), ...extraDns])];
    return { dnsNames, ipAddresses: ip ? [hostname] : [] };
}

function subjectAndNames(n: CertificateNamesArgs, hostname: pulumi.Input<string>, extraDns: readonly string[]) {
    const defaults = pulumi.output(hostname).apply((h) => defaultNames(h, extraDns));
    return {
        subject: { commonName: n.commonName ?? hostname, organization: n.organization },
        dnsNames: n.dnsNames ?? defaults.dnsNames,
        ipAddresses: n.ipAddresses ?? defaults.ipAddresses,
    };
}

/**
 * Creates what the chosen certificate source needs (key, self-signed or CA-issued cert) as
 * children named `<name>-key` / `<name>-cert`, and returns the material to install.
 * `extraDns` adds DNS SANs to defaults (meta nodes: "localhost"). `minValidityDays` (the
 * node's preflight minimum) moves the default early renewal to at least that.
 */
export function resolveCertificate(
    component: string, name: string, chosen: ChosenCertificate, hostname: pulumi.Input<string>,
    extraDns: readonly string[], opts: pulumi.CustomResourceOptions, minValidityDays?: number,
): CertificateMaterial {
    switch (chosen.kind) {
        case "selfSigned": {
            const s = chosen.args;
            const key = keyResource(`${name}-key`, s, opts);
            const c = new tls.SelfSignedCert(`${name}-cert`, {
                privateKeyPem: key.privateKeyPem,
                ...subjectAndNames(s, hostname, extraDns),
                ...certificateValidity(s, minValidityDays),
                allowedUses: SERVER_USES,
            }, opts);
            return { certPem: c.certPem, keyPem: key.privateKeyPem, bundle: false, selfSigned: true };
        }
        case "issuedBy": {
            const s = chosen.args;
            const issued = s.authority.issue(`${name}-cert`, {
                ...s,
                ...subjectAndNames(s, hostname, extraDns),
                minValidityDays,
            }, opts);
            return { certPem: issued.certPem, keyPem: issued.keyPem, bundle: false, caPem: s.authority.certPem, selfSigned: false };
        }
        case "provided": {
            const p = chosen.args;
            // Values unknown at construction are checked once they resolve (still before any
            // file is installed: every file's content passes through this gate).
            // (The gate is a plain `true`: unsecret, so it does not turn the certificate into a secret.)
            const checked = pulumi.unsecret(pulumi.all([hostname, p.certificatePem, p.privateKeyPem, p.bundlePem]).apply(([h, c, k, b]) => {
                const problems = providedCertificateProblems(component, h, { certificatePem: c, privateKeyPem: k, bundlePem: b });
                if (problems.length > 0) {
                    throw refusal(problems.join("\n"), opts.parent);
                }
                return true;
            }));
            const gated = (v: pulumi.Input<string>) => pulumi.all([checked, v]).apply(([, x]) => x);
            const caPem = p.caCertificatePem === undefined ? undefined : gated(p.caCertificatePem);
            if (chosen.bundle) {
                return { certPem: pulumi.secret(gated(p.bundlePem!)), bundle: true, caPem, selfSigned: false };
            }
            return { certPem: gated(p.certificatePem!), keyPem: pulumi.secret(gated(p.privateKeyPem!)), bundle: false, caPem, selfSigned: false };
        }
        case "onHost": {
            const o = chosen.args;
            return {
                bundle: chosen.bundle, selfSigned: o.selfSigned === true && o.caCertificatePem === undefined,
                caPem: o.caCertificatePem === undefined ? undefined : pulumi.output(o.caCertificatePem),
                onHostPaths: { cert: o.certificatePath, key: o.privateKeyPath },
            };
        }
    }
}
