/**
 * Stand-ins for the tls provider plugin's certificate resources (the plugin cannot be built
 * offline here): `SelfSignedCert`, `CertRequest`, `LocallySignedCert`. Inputs and outputs are
 * the provider's; the X.509 work is done by the real openssl CLI (./openssl.ts).
 */
import * as crypto from "node:crypto";
import type { DiffPlan, Handler } from "../handler";
import type { Props, ResourceRecord } from "../types";
import { changedKeys } from "../wire";
import { locallySignedCertDefaults, selfSignedCertDefaults } from "./defaults";
import { forceNew } from "./forceNew";
import { certFacts, keyAlgorithm, makeCsr, sanValue, signCertificate, type Subject } from "./openssl";

function requirePem(inputs: Props, field: string, resource: string): string {
    const v = inputs[field];
    if (typeof v !== "string" || !v.includes("-----BEGIN")) {
        throw new Error(`${resource}: ${field} is required (PEM text)`);
    }
    return v;
}

function validityHours(inputs: Props, resource: string): number {
    const h = inputs.validityPeriodHours;
    if (typeof h !== "number" || !(h > 0)) {
        throw new Error(`${resource}: validityPeriodHours is required and must be positive`);
    }
    return h;
}

/** The provider's readyForRenewal: within earlyRenewalHours of (or past) the end. */
function renewal(end: string, earlyRenewalHours: unknown): boolean {
    const early = typeof earlyRenewalHours === "number" ? earlyRenewalHours : 0;
    return Date.parse(end) - early * 3600_000 <= Date.now();
}

/**
 * terraform-provider-tls's plan for a certificate (resource_{self,locally}_signed_cert.go,
 * common_cert.go): every input but `earlyRenewalHours` is RequiresReplace; and ModifyPlan
 * replaces the certificate ("readyForRenewal") whenever `validityEndTime - earlyRenewalHours`
 * (the new value) has passed — on every `up` when early renewal is not shorter than the
 * validity. A change of `earlyRenewalHours` alone is an in-place update.
 */
export async function certificateDiff(old: ResourceRecord, news: Props): Promise<DiffPlan> {
    const keys = changedKeys(old.inputs, news);
    const replaceKeys = keys.filter((k) => k !== "earlyRenewalHours");
    if (typeof old.outputs.validityEndTime === "string" && renewal(old.outputs.validityEndTime, news.earlyRenewalHours)) {
        replaceKeys.push("readyForRenewal");
    }
    if (replaceKeys.length > 0) return { kind: "replace", keys: replaceKeys, deleteBeforeReplace: false };
    return keys.length > 0 ? { kind: "update", keys } : { kind: "same" };
}

/** The in-place update (earlyRenewalHours only): the plan's values; readyForRenewal as the schema's plan modifier sets it. */
async function certificateUpdate(old: ResourceRecord, news: Props): Promise<Props> {
    const early = typeof news.earlyRenewalHours === "number" ? news.earlyRenewalHours : 0;
    return { ...old.outputs, ...news, readyForRenewal: early >= (news.validityPeriodHours as number) };
}

export const selfSignedCert: Handler = {
    check: selfSignedCertDefaults,
    async create(inputs, ctx) {
        const resource = `tls.SelfSignedCert ${ctx.name}`;
        const keyPem = requirePem(inputs, "privateKeyPem", resource);
        const hours = validityHours(inputs, resource);
        const san = sanValue(inputs.dnsNames as string[], inputs.ipAddresses as string[], inputs.uris as string[]);
        const csrPem = await makeCsr(keyPem, inputs.subject as Subject, undefined);
        const certPem = await signCertificate({
            csrPem,
            keyPem,
            validityHours: hours,
            copySanFromCsr: false,
            ext: {
                resource,
                isCa: inputs.isCaCertificate === true,
                maxPathLength: inputs.maxPathLength as number | undefined,
                allowedUses: inputs.allowedUses,
                san,
                subjectKeyId: inputs.setSubjectKeyId === true,
                authorityKeyId: inputs.setAuthorityKeyId === true ? "keyid" : "none",
            },
        });
        const f = certFacts(certPem);
        return {
            id: f.serial,
            outputs: {
                ...inputs,
                certPem,
                keyAlgorithm: keyAlgorithm(keyPem),
                validityStartTime: f.start,
                validityEndTime: f.end,
                readyForRenewal: renewal(f.end, inputs.earlyRenewalHours),
            },
        };
    },
    diff: certificateDiff,
    update: certificateUpdate,
};

export const certRequest: Handler = {
    async create(inputs, ctx) {
        const resource = `tls.CertRequest ${ctx.name}`;
        const keyPem = requirePem(inputs, "privateKeyPem", resource);
        const san = sanValue(inputs.dnsNames as string[], inputs.ipAddresses as string[], inputs.uris as string[]);
        const certRequestPem = await makeCsr(keyPem, inputs.subject as Subject, san);
        return {
            // The provider's id: SHA-1 of the CSR PEM.
            id: crypto.createHash("sha1").update(certRequestPem).digest("hex"),
            outputs: { ...inputs, certRequestPem, keyAlgorithm: keyAlgorithm(keyPem) },
        };
    },
    diff: forceNew,
};

/**
 * Like the provider, the certificate takes subject, public key and SANs from the CSR (other
 * CSR extensions are not wanted; CertRequest never adds any), and everything else from the
 * inputs. openssl checks the CSR's signature and that the CA key matches the CA certificate.
 */
export const locallySignedCert: Handler = {
    check: locallySignedCertDefaults,
    async create(inputs, ctx) {
        const resource = `tls.LocallySignedCert ${ctx.name}`;
        const csrPem = requirePem(inputs, "certRequestPem", resource);
        const caKeyPem = requirePem(inputs, "caPrivateKeyPem", resource);
        const caCertPem = requirePem(inputs, "caCertPem", resource);
        const certPem = await signCertificate({
            csrPem,
            keyPem: caKeyPem,
            ca: { certPem: caCertPem },
            validityHours: validityHours(inputs, resource),
            copySanFromCsr: true,
            ext: {
                resource,
                isCa: inputs.isCaCertificate === true,
                maxPathLength: inputs.maxPathLength as number | undefined,
                allowedUses: inputs.allowedUses,
                subjectKeyId: inputs.setSubjectKeyId === true,
                // Go copies the issuer's subject key id into the authority key id.
                authorityKeyId: "keyid",
            },
        });
        const f = certFacts(certPem);
        return {
            id: f.serial,
            outputs: {
                ...inputs,
                certPem,
                caKeyAlgorithm: keyAlgorithm(caKeyPem),
                validityStartTime: f.start,
                validityEndTime: f.end,
                readyForRenewal: renewal(f.end, inputs.earlyRenewalHours),
            },
        };
    },
    diff: certificateDiff,
    update: certificateUpdate,
};
