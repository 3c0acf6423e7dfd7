import * as pulumi from "@pulumi/pulumi";
import {
    CA_SETTING_KEYS, caSettingKeyFor, guideErrata, parseTelegrafVersion, TELEGRAF, telegrafCaFile, telegrafOutputEdit,
    telegrafVersionProblems, type CaSettingKey,
} from "../influx";
import type { TomlValue } from "../toml/types";
import { dataNodeClientChecks, dataNodeClientConfig, type DataNodeClientArgs } from "./dataNodeClient";
import { refusal } from "../resources/refuse";

/** Arguments of TelegrafOutputTls. */
export interface TelegrafOutputTlsArgs extends DataNodeClientArgs {
    /** Which `[[outputs.influxdb]]` entry to change (0-based). Defaults to 0. */
    readonly outputIndex?: number;
    /**
     * The Telegraf release on the host, e.g. "1.37.2" or "1.6": decides the TLS key names
     * (`tls_ca` from 1.7, `ssl_ca` before) and refuses, before any change, a key that release
     * does not read (Telegraf would refuse to start). Defaults to a Telegraf 1.7 or later.
     */
    readonly telegrafVersion?: string;
    /**
     * Key naming the CA file: "tls_ca" (Telegraf 1.7+) or "ssl_ca" (before 1.7 only; deprecated
     * in 1.7, an error from 1.35). Defaults to the one `telegrafVersion` reads; must agree with it.
     */
    readonly caSettingKey?: CaSettingKey;
    /**
     * Further keys for the same `[[outputs.influxdb]]` entry (checked against misspellings:
     * Telegraf refuses unknown keys). May be an Output: give a secret (e.g. the output's
     * `password`) and the settings, and everything derived from them, are stored encrypted.
     */
    readonly extraSettings?: pulumi.Input<Record<string, TomlValue>>;
}

/**
 * Points one of Telegraf's `[[outputs.influxdb]]` entries at the data nodes over HTTPS:
 * `urls` become `https://<name>:8086`, the CA is installed and set as `tls_ca` when known,
 * otherwise the system roots verify the servers; `insecure_skip_verify = true` only with
 * `insecureSkipVerify: true`. Restarts `telegraf`.
 */
export class TelegrafOutputTls extends pulumi.ComponentResource {
    /** The `urls` set in the output. */
    public readonly urls: pulumi.Output<string[]>;
    /** Whether certificate verification is skipped. */
    public readonly insecureSkipVerify: boolean;
    /** True once the config was applied, Telegraf restarted and the verify command passed. */
    public readonly verified: pulumi.Output<boolean>;
    /** The managed keys as set, per table. */
    public readonly settings: pulumi.Output<Record<string, Record<string, unknown>>>;

    constructor(name: string, args: TelegrafOutputTlsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("influxdb-tls:index:TelegrafOutputTls", name, {}, opts);
        const label = `TelegrafOutputTls ${name}`;
        const caFile = telegrafCaFile(args.caPath);
        const { trust, problems } = dataNodeClientChecks(label, "Telegraf", args, caFile);
        const caKey = args.caSettingKey ?? caSettingKeyFor(args.telegrafVersion === undefined ? undefined : parseTelegrafVersion(args.telegrafVersion));
        const plainExtra = isPlainRecord(args.extraSettings) ? args.extraSettings : undefined;
        const extraProblems = (x: Record<string, TomlValue>) => [
            ...guideErrata("telegraf", [{ table: TELEGRAF.outputTable, set: x }]),
            ...telegrafVersionProblems(args.telegrafVersion, Object.keys(x)),
        ].map((p) => `${label}: extraSettings: ${p}`);
        problems.push(...extraProblems(plainExtra ?? {}));
        // The keys this component writes itself: the CA key (whenever one is named) and insecure_skip_verify.
        const ownKeys = [caKey, ...(trust.how === "insecure" ? ["insecure_skip_verify"] : [])];
        if (!CA_SETTING_KEYS.includes(caKey)) problems.push(`${label}: caSettingKey must be "tls_ca" or "ssl_ca"`);
        else problems.push(...telegrafVersionProblems(args.telegrafVersion, ownKeys).map((p) => `${label}: ${p}`));
        if (args.outputIndex !== undefined && !(Number.isInteger(args.outputIndex) && args.outputIndex >= 0)) {
            problems.push(`${label}: outputIndex must be a whole number ≥ 0`);
        }
        if (problems.length > 0) {
            // A bad telegrafVersion is found by both key checks: say it once.
            throw refusal([...new Set(problems)].join("\n"), this);
        }
        // Plain extraSettings were checked above; an Output is checked once it resolves.
        const extraSettings = pulumi.output(args.extraSettings ?? {}).apply((x) => {
            const late = plainExtra ? [] : extraProblems(x);
            if (late.length > 0) {
                throw refusal(late.join("\n"), this);
            }
            return x;
        });
        const { urls, config } = dataNodeClientConfig(this, name, args, {
            trust, caFile, service: TELEGRAF.service, configPath: TELEGRAF.configPath,
            edits: (u) => pulumi.all([u, extraSettings]).apply(([urls, extra]) => [
                telegrafOutputEdit({ index: args.outputIndex, urls, trust, caKey, caPath: caFile.path, extra }),
            ]),
        });
        this.urls = urls;
        this.insecureSkipVerify = trust.how === "insecure";
        this.verified = config.id.apply((id) => id !== undefined && id !== "");
        this.settings = config.settings;
        this.registerOutputs({ urls: this.urls, verified: this.verified, settings: this.settings });
    }
}

/** A plain object (not an Output or a Promise), so it can be checked at construction. */
function isPlainRecord(v: unknown): v is Record<string, TomlValue> {
    return typeof v === "object" && v !== null && !pulumi.Output.isInstance(v) && typeof (v as { then?: unknown }).then !== "function";
}
