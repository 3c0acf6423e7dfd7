import { DEFAULT_MIN_VALIDITY_DAYS } from "../influx";
import type { ChosenCertificate } from "./certificateChoice";
import type { NodeTlsArgs } from "./nodeTlsArgs";
import { NODE_RENEWAL, renewalPreflightProblems } from "./renewal";

/** Problems with `minValidityDays` (and a certificate made shorter-lived than it), each naming the argument. */
export function preflightArgProblems(label: string, args: Pick<NodeTlsArgs, "minValidityDays">, chosen: ChosenCertificate | undefined): string[] {
    const min = args.minValidityDays;
    if (min !== undefined && !(typeof min === "number" && Number.isFinite(min) && min >= 0 && min <= 3650)) {
        return [`${label}: minValidityDays must be a number of days from 0 to 3650`];
    }
    // A certificate made here that could never pass the preflight is refused now, not at the host.
    if (chosen?.kind === "selfSigned" || chosen?.kind === "issuedBy") {
        const validity = chosen.args.validityDays ?? NODE_RENEWAL.validityDays;
        const required = min ?? DEFAULT_MIN_VALIDITY_DAYS;
        if (typeof validity === "number" && validity < required) {
            return [`${label}: certificate.${chosen.kind}.validityDays (${validity}) is shorter than minValidityDays (${required}${min === undefined ? ", the default" : ""}): ` +
                "the preflight would refuse the certificate on the host; make it valid longer or lower minValidityDays"];
        }
        return renewalPreflightProblems(`${label}: certificate.${chosen.kind}`, chosen.args.earlyRenewalDays, required, min === undefined);
    }
    return [];
}
