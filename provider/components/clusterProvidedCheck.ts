import * as pulumi from "@pulumi/pulumi";
import { refusal } from "../resources/refuse";
import type { CertificateArgs } from "./certificateArgs";
import { plainProvided, providedCertificateProblems } from "./certificateChecks";
import type { ClusterNodeArgs } from "./clusterTlsArgs";

/**
 * Every node's provided certificate checked before the first rollout step starts. Each node
 * component checks its own pair too, but only when its turn comes: a key that does not match on
 * the 5th node (given as a secret Output, as usual) would otherwise leave the four steps before
 * it switched. Plain PEMs are checked now (with ClusterTls's other arguments); PEMs given as
 * Outputs once they resolve, and every provided certificate's content waits for that check, so
 * no node's files or config are written unless every node's pair passed.
 */
export function providedUpFront(label: string, nodes: readonly { node: ClusterNodeArgs; certificate: CertificateArgs | undefined }[],
    parent: pulumi.Resource | undefined): { problems: string[]; gate(c: CertificateArgs): CertificateArgs } {
    const problems: string[] = [];
    const pending: pulumi.Output<string[]>[] = [];
    for (const { node, certificate } of nodes) {
        const p = certificate?.provided;
        if (!p) continue;
        const at = `${label}: node ${node.name}`;
        const hostname = node.hostname ?? node.connection.host;
        const plain = plainProvided(p, hostname);
        if (plain) {
            problems.push(...providedCertificateProblems(at, plain.hostname, plain.pems));
            continue;
        }
        pending.push(pulumi.all([hostname, p.certificatePem, p.privateKeyPem, p.bundlePem]).apply(([h, c, k, b]) =>
            providedCertificateProblems(at, h, { certificatePem: c, privateKeyPem: k, bundlePem: b })));
    }
    if (pending.length === 0) {
        return { problems, gate: (c) => c };
    }
    // (A plain `true`, unsecret: waiting for it must not turn a certificate into a secret.)
    const checked = pulumi.unsecret(pulumi.all(pending).apply((found) => {
        const all = found.flat();
        if (all.length > 0) throw refusal(all.join("\n"), parent);
        return true;
    }));
    const gated = (v: pulumi.Input<string>) => pulumi.all([checked, v]).apply(([, x]) => x);
    return {
        problems,
        gate(c) {
            const p = c.provided;
            if (!p) return c;
            return p.bundlePem !== undefined
                ? { ...c, provided: { ...p, bundlePem: gated(p.bundlePem) } }
                : p.certificatePem !== undefined ? { ...c, provided: { ...p, certificatePem: gated(p.certificatePem) } } : c;
        },
    };
}
