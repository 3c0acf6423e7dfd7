import type { FileSpec } from "../files/validate";
import { pathProblem } from "../files/validate";
import type { TomlEdit } from "../toml/types";
import { CERT_FILE_MODE } from "./defaults";
import type { TelegrafTrust } from "./telegraf";

/**
 * Kapacitor as packaged (1.x, `etc/kapacitor/kapacitor.conf` of influxdata/kapacitor): its
 * config file, its service, and where this package puts the CA it trusts for the data nodes.
 */
export const KAPACITOR = {
    configPath: "/etc/kapacitor/kapacitor.conf",
    service: "kapacitor",
    /** Readable by the kapacitor user (root, 0644). */
    caPath: "/etc/kapacitor/influxdb-ca.pem",
    /** One entry per InfluxDB cluster: an array of tables (`[[influxdb]]`). */
    influxdbTable: "influxdb",
} as const;

/** `subscription-protocol`: how InfluxDB pushes subscribed writes to Kapacitor. */
export type SubscriptionProtocol = "https" | "http" | "udp";
/** Every SubscriptionProtocol, for argument checks. */
export const SUBSCRIPTION_PROTOCOLS: readonly SubscriptionProtocol[] = ["https", "http", "udp"];

/** The CA file Kapacitor trusts for the data nodes. */
export function kapacitorCaFile(path: string = KAPACITOR.caPath): FileSpec {
    return { path, mode: CERT_FILE_MODE, owner: "root", group: "root" };
}

/**
 * The `[[influxdb]]` entry's keys: the HTTPS urls; the CA file as `ssl-ca` (trust "ca"), or
 * `insecure-skip-verify = true` only when asked for (trust "insecure"), else it is set to
 * false — a file that skipped verification before does not keep skipping it; the
 * subscription protocol unless left alone (`undefined`).
 */
export function kapacitorInfluxdbEdit(o: {
    index?: number; urls: string[]; trust: TelegrafTrust; caPath: string; subscriptionProtocol?: SubscriptionProtocol;
}): TomlEdit {
    return {
        table: KAPACITOR.influxdbTable,
        index: o.index ?? 0,
        set: {
            urls: o.urls,
            ...(o.trust.how === "ca" ? { "ssl-ca": o.caPath } : {}),
            "insecure-skip-verify": o.trust.how === "insecure",
            ...(o.subscriptionProtocol !== undefined ? { "subscription-protocol": o.subscriptionProtocol } : {}),
        },
    };
}

/**
 * Kapacitor's own HTTP API serving HTTPS (`[http]` https-enabled / https-certificate /
 * https-private-key): what InfluxDB pushes subscriptions to when `subscription-protocol` is
 * "https". The files must already be on the Kapacitor host.
 */
export function kapacitorHttpsEdit(o: { certificatePath: string; privateKeyPath?: string }): TomlEdit {
    return {
        table: "http",
        set: {
            "https-enabled": true,
            "https-certificate": o.certificatePath,
            ...(o.privateKeyPath !== undefined ? { "https-private-key": o.privateKeyPath } : {}),
        },
    };
}

/** How a data node verifies the HTTPS subscribers (Kapacitor) it pushes writes to. */
export interface SubscriberTrust {
    caCertificatePath?: string;
    insecureSkipVerify?: boolean;
}

/**
 * A data node's `[subscriber]` keys: `ca-certs` (a PEM file on the data node) or, only when
 * asked for, `insecure-skip-verify = true`. Without either the data node verifies Kapacitor
 * against its system roots, which needs no key at all (nothing is set).
 */
export function subscriberEdit(o: SubscriberTrust): TomlEdit | undefined {
    if (o.caCertificatePath === undefined && o.insecureSkipVerify !== true) {
        return undefined;
    }
    return {
        table: "subscriber",
        set: {
            ...(o.caCertificatePath !== undefined ? { "ca-certs": o.caCertificatePath } : {}),
            "insecure-skip-verify": o.insecureSkipVerify === true,
        },
    };
}

/** What is wrong with a data node's `subscriber` argument, each naming it. */
export function subscriberProblems(label: string, o: SubscriberTrust | undefined): string[] {
    if (o === undefined) return [];
    const problems: string[] = [];
    if (o.caCertificatePath !== undefined) {
        const p = pathProblem(o.caCertificatePath);
        if (p !== undefined) problems.push(`${label}: subscriber.caCertificatePath: ${p}`);
    }
    if (o.caCertificatePath !== undefined && o.insecureSkipVerify === true) {
        problems.push(`${label}: subscriber: give caCertificatePath or insecureSkipVerify: true, not both (a CA is pointless when nothing is verified)`);
    }
    return problems;
}
