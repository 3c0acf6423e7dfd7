import * as pulumi from "@pulumi/pulumi";
import { KAPACITOR, kapacitorCaFile, kapacitorHttpsEdit, kapacitorInfluxdbEdit, SUBSCRIPTION_PROTOCOLS, type SubscriptionProtocol } from "../influx";
import { pathProblem } from "../files/validate";
import { dataNodeClientChecks, dataNodeClientConfig, type DataNodeClientArgs } from "./dataNodeClient";
import { refusal } from "../resources/refuse";

/** Arguments of KapacitorInfluxdbTls (`insecureSkipVerify` sets `insecure-skip-verify`; without it the key is set to false, so a file that skipped verification before stops doing so). */
export interface KapacitorInfluxdbTlsArgs extends DataNodeClientArgs {
    /** Which `[[influxdb]]` entry to change (0-based). Defaults to 0. */
    readonly influxdbIndex?: number;
    /**
     * `subscription-protocol` of the entry: how the data nodes push subscribed writes to
     * Kapacitor. Defaults to "https", which needs Kapacitor's own HTTP API on HTTPS (see
     * `httpsCertificatePath`) and data nodes that trust it (DataNodeTls `subscriber`).
     * "unchanged" leaves the key as it is (e.g. with `disable-subscriptions = true`).
     */
    readonly subscriptionProtocol?: SubscriptionProtocol | "unchanged";
    /**
     * Serve Kapacitor's HTTP API over HTTPS with this certificate (or certificate + key bundle),
     * already on the Kapacitor host: `[http]` https-enabled = true, https-certificate. Not set
     * when omitted (Kapacitor's `[http]` is left as it is).
     */
    readonly httpsCertificatePath?: string;
    /** Separate private key for `httpsCertificatePath` (`[http] https-private-key`), on the Kapacitor host. None when omitted. */
    readonly httpsPrivateKeyPath?: string;
}

/**
 * Points one of Kapacitor's `[[influxdb]]` entries at the data nodes over HTTPS: `urls` become
 * `https://<name>:8086`, the CA is installed and set as `ssl-ca` when known (otherwise the
 * system roots verify), `insecure-skip-verify = true` only with `insecureSkipVerify: true`,
 * `subscription-protocol = "https"` unless told otherwise. Restarts `kapacitor`.
 *
 * Kapacitor's HTTP API can override these very settings (`/kapacitor/v1/config`), and overrides
 * win over the file at every start unless `skip-config-overrides = true`: see the README.
 */
export class KapacitorInfluxdbTls extends pulumi.ComponentResource {
    /** The `urls` set in the entry. */
    public readonly urls: pulumi.Output<string[]>;
    /** Whether certificate verification of the data nodes is skipped. */
    public readonly insecureSkipVerify: boolean;
    /** True once the config was applied, Kapacitor restarted and the verify command passed. */
    public readonly verified: pulumi.Output<boolean>;
    /** The managed keys as set, per table. */
    public readonly settings: pulumi.Output<Record<string, Record<string, unknown>>>;

    constructor(name: string, args: KapacitorInfluxdbTlsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("influxdb-tls:index:KapacitorInfluxdbTls", name, {}, opts);
        const label = `KapacitorInfluxdbTls ${name}`;
        const caFile = kapacitorCaFile(args.caPath);
        const { trust, problems } = dataNodeClientChecks(label, "Kapacitor", args, caFile);
        const protocol = args.subscriptionProtocol ?? "https";
        const add = (arg: string, p: string | undefined): void => void (p && problems.push(`${label}: ${arg}: ${p}`));
        if (protocol !== "unchanged" && !SUBSCRIPTION_PROTOCOLS.includes(protocol)) {
            add("subscriptionProtocol", `must be one of ${[...SUBSCRIPTION_PROTOCOLS, "unchanged"].map((p) => JSON.stringify(p)).join(", ")}`);
        }
        if (args.influxdbIndex !== undefined && !(Number.isInteger(args.influxdbIndex) && args.influxdbIndex >= 0)) {
            add("influxdbIndex", "must be a whole number ≥ 0");
        }
        if (args.httpsCertificatePath !== undefined) add("httpsCertificatePath", pathProblem(args.httpsCertificatePath));
        if (args.httpsPrivateKeyPath !== undefined) add("httpsPrivateKeyPath", pathProblem(args.httpsPrivateKeyPath));
        if (args.httpsPrivateKeyPath !== undefined && args.httpsCertificatePath === undefined) {
            add("httpsPrivateKeyPath", "given without httpsCertificatePath");
        }
        if (problems.length > 0) {
            throw refusal(problems.join("\n"), this);
        }
        const https = args.httpsCertificatePath === undefined ? []
            : [kapacitorHttpsEdit({ certificatePath: args.httpsCertificatePath, privateKeyPath: args.httpsPrivateKeyPath })];
        const { urls, config } = dataNodeClientConfig(this, name, args, {
            trust, caFile, service: KAPACITOR.service, configPath: KAPACITOR.configPath,
            edits: (u) => u.apply((urls) => [
                kapacitorInfluxdbEdit({
                    index: args.influxdbIndex, urls, trust, caPath: caFile.path,
                    subscriptionProtocol: protocol === "unchanged" ? undefined : protocol,
                }),
                ...https,
            ]),
        });
        this.urls = urls;
        this.insecureSkipVerify = trust.how === "insecure";
        this.verified = config.id.apply((id) => id !== undefined && id !== "");
        this.settings = config.settings;
        this.registerOutputs({ urls: this.urls, verified: this.verified, settings: this.settings });
    }
}
