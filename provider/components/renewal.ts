/**
 * Validity and early renewal of the certificates @pulumi/tls makes. The tls provider plans a
 * new certificate on every `pulumi up` from `validityEndTime - earlyRenewalHours` on, and
 * already at creation when `earlyRenewalHours >= validityPeriodHours`. So early renewal must
 * always be shorter than the validity, else every `up` replaces every certificate, rewrites
 * every file and restarts every node (seen with validityDays 30 and the fixed 30-day default).
 */
import * as influx from "../influx/defaults";

export interface Renewal {
    validityPeriodHours: number;
    earlyRenewalHours: number;
}

/** What a certificate defaults to: validity, and the early renewal it gets at most. */
export interface RenewalDefaults {
    validityDays: number;
    earlyRenewalDays: number;
}

/** Node certificates (self-signed or issued by the internal CA). */
export const NODE_RENEWAL: RenewalDefaults = { validityDays: influx.DEFAULT_VALIDITY_DAYS, earlyRenewalDays: influx.DEFAULT_EARLY_RENEWAL_DAYS };
/** The internal CA's own certificate. */
export const CA_RENEWAL: RenewalDefaults = { validityDays: influx.DEFAULT_CA_VALIDITY_DAYS, earlyRenewalDays: influx.DEFAULT_CA_EARLY_RENEWAL_DAYS };

/**
 * The hours given to the tls provider. Without `earlyRenewalDays`, early renewal is a third
 * of the validity, at most `defaults.earlyRenewalDays` (so a 1-day certificate renews in
 * its last 8 hours, a 30-day one in its last 10 days, a year-long one in its last 30 days).
 */
export function renewalHours(validityDays: number | undefined, earlyRenewalDays: number | undefined, defaults: RenewalDefaults,
    minValidityDays?: number): Renewal {
    const validityPeriodHours = (validityDays ?? defaults.validityDays) * 24;
    let earlyRenewalHours = earlyRenewalDays !== undefined
        ? earlyRenewalDays * 24
        : Math.min(defaults.earlyRenewalDays * 24, Math.floor(validityPeriodHours / 3));
    // A node certificate must be renewed before the preflight (valid for at least
    // `minValidityDays`) would refuse it: else, between the two, any change to the node's
    // config stops at the preflight (a 14-day certificate renews at 4.7 days left by the third,
    // but the preflight wants 7). Only the default moves; an explicit value is checked
    // (renewalPreflightProblems). Still shorter than the validity (renewal on every up otherwise).
    if (earlyRenewalDays === undefined && minValidityDays !== undefined && minValidityDays * 24 < validityPeriodHours) {
        earlyRenewalHours = Math.max(earlyRenewalHours, Math.ceil(minValidityDays * 24));
    }
    return { validityPeriodHours, earlyRenewalHours };
}

/** An explicit `earlyRenewalDays` shorter than `minValidityDays`: the certificate would pass a window in which the preflight refuses it. */
export function renewalPreflightProblems(label: string, earlyRenewalDays: number | undefined, minValidityDays: number, minIsDefault: boolean): string[] {
    if (earlyRenewalDays === undefined || !(earlyRenewalDays < minValidityDays)) return [];
    return [`${label}: earlyRenewalDays (${earlyRenewalDays}) is shorter than minValidityDays (${minValidityDays}${minIsDefault ? ", the default" : ""}): ` +
        "between the two, the preflight on the host would refuse the certificate at every config change; " +
        "renew earlier (earlyRenewalDays ≥ minValidityDays) or lower minValidityDays"];
}

/** Problems with `validityDays` / `earlyRenewalDays`, each naming the value(s) given. */
export function renewalProblems(label: string, validityDays: number | undefined, earlyRenewalDays: number | undefined, defaults: RenewalDefaults): string[] {
    const problems: string[] = [];
    const validity = validityDays ?? defaults.validityDays;
    if (validityDays !== undefined && !(Number.isInteger(validityDays) && validityDays > 0)) {
        problems.push(`${label}: validityDays must be a positive whole number of days, got ${String(validityDays)}`);
    }
    if (earlyRenewalDays !== undefined) {
        if (!(Number.isInteger(earlyRenewalDays) && earlyRenewalDays >= 0)) {
            problems.push(`${label}: earlyRenewalDays must be a whole number of days (0 or more), got ${String(earlyRenewalDays)}`);
        } else if (earlyRenewalDays >= validity) {
            problems.push(`${label}: earlyRenewalDays (${earlyRenewalDays}) must be shorter than validityDays ` +
                `(${validity}${validityDays === undefined ? ", the default" : ""}): the tls provider would plan a new ` +
                "certificate on every `pulumi up`, restarting the node each time");
        }
    }
    return problems;
}
