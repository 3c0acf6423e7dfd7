import * as pulumi from "@pulumi/pulumi";
import {
    CA_SETTING_KEYS, caSettingKeyFor, guideErrata, isActiveCommand, parseTelegrafVersion, restartCommand, serviceProbes, TELEGRAF, telegrafCaFile,
    telegrafOutputEdit, telegrafTrust, telegrafVersionProblems, type CaSettingKey,
} from "../influx";
import type { SshConnectionArgs } from "../resources/connectionArgs";
import { TomlSettings } from "../resources/tomlSettings";
import type { TomlValue } from "../toml/types";
import { connectionProblems } from "./connection";
import { serviceArgProblems } from "./serviceArgs";
import { fileArgProblems } from "./fileArgs";
import type { DataNodeTls } from "./dataNodeTls";
import { fileSpecProblems } from "../files";
import { installFiles, type FileInstaller } from "./fileInstall";
import { refusal } from "../resources/refuse";

export interface TelegrafOutputTlsArgs {
    /** SSH connection to the Telegraf host (host key pinned with the public key line, as for the nodes). */
    readonly connection: SshConnectionArgs;
    /** The data nodes to write to: their HTTPS URLs, CA and self-signed status are taken from them. Give this or `urls`. */
    readonly dataNodes?: DataNodeTls[];
    /** HTTPS URLs to write to (`https://<name>:8086`). Defaults to the `dataNodes`' URLs. */
    readonly urls?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * CA certificate (PEM) to trust; installed at `caPath` and set as `tls_ca` (the guide's
     * recommended practice). Defaults to the data nodes' CA when they have one.
     */
    readonly caCertificatePem?: pulumi.Input<string>;
    /**
     * `insecure_skip_verify = true`: Telegraf then sends its writes (and credentials) to any
     * server. Only ever set when you say so; needed for self-signed data nodes without a CA (the
     * guide's self-signed path), which are refused otherwise. Defaults to false: with a CA
     * (`caCertificatePem`, or the data nodes') Telegraf trusts it through `tls_ca`; without
     * one it verifies the servers against the Telegraf host's system roots (a public CA).
     */
    readonly insecureSkipVerify?: boolean;
    /** Which `[[outputs.influxdb]]` entry to change (0-based). Defaults to 0. */
    readonly outputIndex?: number;
    /** Configuration file. Defaults to /etc/telegraf/telegraf.conf. */
    readonly configPath?: string;
    /** Where the CA file is installed (readable by the telegraf user). Defaults to /etc/telegraf/influxdb-ca.pem. */
    readonly caPath?: string;
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
    /** Service name. Defaults to "telegraf". */
    readonly serviceName?: string;
    /** Restart command (argv). Defaults to `systemctl restart telegraf`. */
    readonly restartCommand?: string[];
    /**
     * Command proving Telegraf works (argv). Defaults to `systemctl is-active telegraf`;
     * `telegraf --config <file> --once` (1.15+) proves the output's TLS too.
     */
    readonly verifyCommand?: pulumi.Input<pulumi.Input<string>[]>;
    /** Command proving Telegraf works after destroy (argv). Defaults to `systemctl is-active telegraf`. */
    readonly revertVerifyCommand?: pulumi.Input<pulumi.Input<string>[]>;
    /** Seconds to keep retrying the verify command. Defaults to 30. */
    readonly verifyTimeoutSeconds?: number;
    /**
     * Exits 0 while the service runs, non-zero once it has exited (argv): a failed verify attempt
     * then ends verification at once instead of retrying until the timeout. Defaults to
     * `systemctl is-active <serviceName>` unless restartCommand is given (then none).
     */
    readonly statusCommand?: string[];
    /**
     * Prints the tail of the service's log (argv); its output goes into the error when
     * verification fails. Defaults to `journalctl -u <serviceName> -n 20 --no-pager -o cat`
     * unless restartCommand is given (then none).
     */
    readonly logCommand?: string[];
    /**
     * Further keys for the same `[[outputs.influxdb]]` entry (checked against misspellings:
     * Telegraf refuses unknown keys). May be an Output: give a secret (e.g. the output's
     * `password`) and the settings, and everything derived from them, are stored encrypted.
     */
    readonly extraSettings?: pulumi.Input<Record<string, TomlValue>>;
    /** How the CA file is installed (see FileInstaller): "transaction" (with the config, the default), "command" or "ssh". */
    readonly fileInstaller?: FileInstaller;
    /** Run remote commands through `sudo -n`. Defaults to `connection.sudo`, else false. */
    readonly sudo?: boolean;
}

/**
 * Points one of Telegraf's `[[outputs.influxdb]]` entries at the data nodes over HTTPS:
 * `urls` become `https://<name>:8086`, the CA is installed and set as `tls_ca` when known,
 * otherwise the system roots verify the servers; `insecure_skip_verify = true` only with
 * `insecureSkipVerify: true`. Restarts `telegraf`.
 */
export class TelegrafOutputTls extends pulumi.ComponentResource {
    public readonly urls: pulumi.Output<string[]>;
    /** Whether certificate verification is skipped. */
    public readonly insecureSkipVerify: boolean;
    public readonly verified: pulumi.Output<boolean>;
    public readonly settings: pulumi.Output<Record<string, Record<string, unknown>>>;

    constructor(name: string, args: TelegrafOutputTlsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("influxdb-tls:index:TelegrafOutputTls", name, {}, opts);
        const label = `TelegrafOutputTls ${name}`;
        const nodes = args.dataNodes ?? [];
        const { trust, unverifiable } = telegrafTrust({
            caCertificateGiven: args.caCertificatePem !== undefined, dataNodes: nodes, insecureSkipVerify: args.insecureSkipVerify,
        });
        const caFile = telegrafCaFile(args.caPath);
        const caKey = args.caSettingKey ?? caSettingKeyFor(args.telegrafVersion === undefined ? undefined : parseTelegrafVersion(args.telegrafVersion));
        const plainExtra = isPlainRecord(args.extraSettings) ? args.extraSettings : undefined;
        const extraProblems = (x: Record<string, TomlValue>) => [
            ...guideErrata("telegraf", [{ table: TELEGRAF.outputTable, set: x }]),
            ...telegrafVersionProblems(args.telegrafVersion, Object.keys(x)),
        ].map((p) => `${label}: extraSettings: ${p}`);
        // The keys this component writes itself: the CA key (whenever one is named) and insecure_skip_verify.
        const ownKeys = [caKey, ...(trust.how === "insecure" ? ["insecure_skip_verify"] : [])];
        const problems = [
            ...connectionProblems(label, args.connection, args.fileInstaller === "command"),
            ...fileSpecProblems(`${label}: CA file`, caFile),
            ...extraProblems(plainExtra ?? {}),
            ...serviceArgProblems(label, args),
            ...fileArgProblems(label, { fileInstaller: args.fileInstaller }),
        ];
        if (args.urls === undefined && nodes.length === 0) problems.push(`${label}: give dataNodes or urls`);
        if (unverifiable > 0) {
            problems.push(`${label}: ${unverifiable} of the dataNodes ${unverifiable === 1 ? "has a self-signed certificate" : "have self-signed certificates"} ` +
                "and no CA is known, so Telegraf cannot verify them: give caCertificatePem, or set insecureSkipVerify: true " +
                "to skip verification (the guide's self-signed path; Telegraf then sends its writes to any server)");
        }
        if (!CA_SETTING_KEYS.includes(caKey)) problems.push(`${label}: caSettingKey must be "tls_ca" or "ssl_ca"`);
        else problems.push(...telegrafVersionProblems(args.telegrafVersion, ownKeys).map((p) => `${label}: ${p}`));
        if (args.outputIndex !== undefined && !(Number.isInteger(args.outputIndex) && args.outputIndex >= 0)) {
            problems.push(`${label}: outputIndex must be a whole number ≥ 0`);
        }
        if (problems.length > 0) {
            // A bad telegrafVersion is found by both key checks: say it once.
            throw refusal([...new Set(problems)].join("\n"), this);
        }
        const sudo = args.sudo ?? (args.connection.sudo === true);
        const urls = pulumi.output(args.urls ?? pulumi.all(nodes.map((n) => n.url)));
        // A CA is installed only when Telegraf is told to trust it: a CA file nobody reads would only mislead.
        const caPem = trust.how !== "ca" ? undefined
            : trust.fromNode === undefined ? pulumi.output(args.caCertificatePem!) : nodes[trust.fromNode].caCertificatePem as pulumi.Output<string>;
        // Telegraf reads tls_ca at start: a rewritten CA file restarts it.
        const installed = installFiles(name, caPem ? [{ role: "ca", ...caFile, content: caPem, secret: false, readBy: "service" }] : [],
            { connection: args.connection, sudo }, { parent: this }, args.fileInstaller ?? "transaction");
        // Plain extraSettings were checked above; an Output is checked once it resolves.
        const extraSettings = pulumi.output(args.extraSettings ?? {}).apply((x) => {
            const late = plainExtra ? [] : extraProblems(x);
            if (late.length > 0) {
                throw refusal(late.join("\n"), this);
            }
            return x;
        });
        const edits = pulumi.all([urls, extraSettings]).apply(([u, extra]) => [
            telegrafOutputEdit({ index: args.outputIndex, urls: u, trust, caKey, caPath: caFile.path, extra }),
        ]);
        const service = args.serviceName ?? TELEGRAF.service;
        const config = new TomlSettings(`${name}-config`, {
            connection: { ...args.connection, sudo },
            path: args.configPath ?? TELEGRAF.configPath,
            edits,
            service: {
                restart: args.restartCommand ?? restartCommand(service),
                verify: args.verifyCommand ?? isActiveCommand(service),
                revertVerify: args.revertVerifyCommand ?? isActiveCommand(service),
                verifyTimeoutSeconds: args.verifyTimeoutSeconds,
                ...serviceProbes(service, args),
            },
            restartTriggers: installed.restartTriggers,
            files: installed.managed,
        }, { parent: this, dependsOn: [...installed.resources, ...nodes] });
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
