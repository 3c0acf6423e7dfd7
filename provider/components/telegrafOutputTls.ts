import * as pulumi from "@pulumi/pulumi";
import * as influx from "../influx/defaults";
import { guideErrata } from "../influx/errata";
import type { SshConnectionArgs } from "../resources/connectionArgs";
import { TomlSettings } from "../resources/tomlSettings";
import type { TomlEdit, TomlValue } from "../toml/types";
import { connectionProblems } from "./connection";
import type { DataNodeTls } from "./dataNodeTls";
import { fileSpecProblems, type FileSpec } from "../files";
import { remoteFile, type FileInstaller } from "./remoteFile";

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
     * `insecure_skip_verify = true`. Defaults to true only when the data nodes are self-signed
     * and no CA is known; never set when a CA is given.
     */
    readonly insecureSkipVerify?: boolean;
    /** Which `[[outputs.influxdb]]` entry to change (0-based). Defaults to 0. */
    readonly outputIndex?: number;
    /** Configuration file. Defaults to /etc/telegraf/telegraf.conf. */
    readonly configPath?: string;
    /** Where the CA file is installed (readable by the telegraf user). Defaults to /etc/telegraf/influxdb-ca.pem. */
    readonly caPath?: string;
    /** Key naming the CA file: "tls_ca" (Telegraf 1.7+) or "ssl_ca" (before 1.7; an error from 1.35). Defaults to "tls_ca". */
    readonly caSettingKey?: "tls_ca" | "ssl_ca";
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
    /** Further keys for the same `[[outputs.influxdb]]` entry (checked against misspellings: Telegraf refuses unknown keys). */
    readonly extraSettings?: Record<string, TomlValue>;
    /** How the CA file is installed: "command" (remote.Command) or "ssh" (RemoteFile). Defaults to "command". */
    readonly fileInstaller?: FileInstaller;
    /** Run remote commands through `sudo -n`. Defaults to `connection.sudo`, else false. */
    readonly sudo?: boolean;
}

/**
 * Points one of Telegraf's `[[outputs.influxdb]]` entries at the data nodes over HTTPS:
 * `urls` become `https://<name>:8086`, the CA is installed and set as `tls_ca` when known,
 * otherwise (self-signed) `insecure_skip_verify = true`; restarts `telegraf`.
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
        // A node without a CA (self-signed, or a certificate from a public CA) contributes none:
        // public CAs are verified against the system roots without tls_ca.
        const caPem: pulumi.Input<string> | undefined = args.caCertificatePem ?? nodes.find((n) => n.hasCaCertificate)?.caCertificatePem as pulumi.Output<string> | undefined;
        const knownCa = args.caCertificatePem !== undefined || nodes.some((n) => !n.selfSigned);
        const insecure = args.insecureSkipVerify ?? (!knownCa && (nodes.length === 0 || nodes.some((n) => n.selfSigned)));
        const caFile: FileSpec = { path: args.caPath ?? influx.TELEGRAF_CA_PATH, mode: influx.CERT_FILE_MODE, owner: "root", group: "root" };
        const caKey = args.caSettingKey ?? "tls_ca";
        const extra = args.extraSettings ?? {};
        const problems = [
            ...connectionProblems(label, args.connection, (args.fileInstaller ?? "command") === "command"),
            ...fileSpecProblems(`${label}: CA file`, caFile),
            ...guideErrata("telegraf", [{ table: "outputs.influxdb", set: extra }]).map((p) => `${label}: extraSettings: ${p}`),
        ];
        if (args.urls === undefined && nodes.length === 0) problems.push(`${label}: give dataNodes or urls`);
        if (caKey !== "tls_ca" && caKey !== "ssl_ca") problems.push(`${label}: caSettingKey must be "tls_ca" or "ssl_ca"`);
        if (args.outputIndex !== undefined && !(Number.isInteger(args.outputIndex) && args.outputIndex >= 0)) {
            problems.push(`${label}: outputIndex must be a whole number ≥ 0`);
        }
        if (problems.length > 0) {
            throw new pulumi.ResourceError(problems.join("\n"), this);
        }
        const sudo = args.sudo ?? (args.connection.sudo === true);
        const urls = pulumi.output(args.urls ?? pulumi.all(nodes.map((n) => n.url)));
        const files: pulumi.Resource[] = [];
        const restartTriggers: Record<string, pulumi.Input<string>> = {};
        // Only install a CA when verification is on and there is one: a CA file nobody reads would only mislead.
        const useCa = !insecure && caPem !== undefined;
        if (useCa) {
            const ca = remoteFile(`${name}-ca-file`, {
                connection: args.connection, sudo, ...caFile, secret: false,
                content: caPem,
            }, { parent: this }, args.fileInstaller);
            files.push(ca.resource);
            // Telegraf reads tls_ca at start: a rewritten CA file restarts it.
            restartTriggers.caFile = ca.writeId;
        }
        const edits = urls.apply((u): TomlEdit[] => [{
            table: "outputs.influxdb",
            index: args.outputIndex ?? 0,
            set: { urls: u, ...(useCa ? { [caKey]: caFile.path } : {}), ...(insecure ? { insecure_skip_verify: true } : {}), ...extra },
        }]);
        const service = args.serviceName ?? influx.TELEGRAF_SERVICE;
        const config = new TomlSettings(`${name}-config`, {
            connection: { ...args.connection, sudo },
            path: args.configPath ?? influx.TELEGRAF_CONFIG_PATH,
            edits,
            service: {
                restart: args.restartCommand ?? influx.restartCommand(service),
                verify: args.verifyCommand ?? ["systemctl", "is-active", service],
                revertVerify: args.revertVerifyCommand ?? ["systemctl", "is-active", service],
                verifyTimeoutSeconds: args.verifyTimeoutSeconds,
                ...influx.serviceProbes(service, args),
            },
            restartTriggers,
        }, { parent: this, dependsOn: [...files, ...nodes] });
        this.urls = urls;
        this.insecureSkipVerify = insecure;
        this.verified = config.id.apply((id) => id !== undefined && id !== "");
        this.settings = config.settings;
        this.registerOutputs({ urls: this.urls, verified: this.verified, settings: this.settings });
    }
}
