/**
 * The tls provider's schema defaults, filled in at Check (as the bridged provider does), so
 * that spelling a default out in a program is not a change on the next `up`.
 */
import type { Props } from "../types";

function withDefaults(defaults: Props) {
    return async (_olds: Props | undefined, news: Props): Promise<Props> => {
        const out = { ...news };
        for (const [k, v] of Object.entries(defaults)) {
            if (out[k] === undefined) out[k] = v;
        }
        return out;
    };
}

export const privateKeyDefaults = withDefaults({ rsaBits: 2048, ecdsaCurve: "P224" });
export const selfSignedCertDefaults = withDefaults({ earlyRenewalHours: 0, isCaCertificate: false, setSubjectKeyId: false, setAuthorityKeyId: false });
export const locallySignedCertDefaults = withDefaults({ earlyRenewalHours: 0, isCaCertificate: false, setSubjectKeyId: false });
