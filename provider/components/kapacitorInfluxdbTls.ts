import * as pulumi from "@pulumi/pulumi";
import {
    isActiveCommand, KAPACITOR, kapacitorCaFile, kapacitorHttpsEdit, kapacitorInfluxdbEdit, restartCommand, serviceProbes,
    SUBSCRIPTION_PROTOCOLS, telegrafTrust, type SubscriptionProtocol,
} from "../influx";
import { pathProblem } from "../files/validate";
import type { SshConnectionArgs } from "../resources/connectionArgs";
import { TomlSettings } from "../resources/tomlSettings";
import { connectionProblems } from "./connection";
import { serviceArgProblems } from "./serviceArgs";
import { fileArgProblems } from "./fileArgs";
import type { DataNodeTls } from "./dataNodeTls";
import { fileSpecProblems } from "../files";
import { installFiles, type FileInstaller } from "./fileInstall";
import { refusal } from "../resources/refuse";

/** Arguments of KapacitorInfluxdbTls. */
export interface KapacitorInfluxdbTlsArgs {
    /** SSH connection to the Kapacitor host (host key pinned with the public key line, as for the nodes). */
    readonly connection: SshConnectionArgs;
    /** The data nodes Kapacitor talks to: their HTTPS URLs, CA and self-signed status are taken from them. Give this or `urls`. */
    readonly dataNodes?: DataNodeTls[];
    /** HTTPS URLs of the data nodes (`https://<name>:8086`): `urls` of the `[[influxdb]]` entry. Defaults to the `dataNodes`' URLs. */
    readonly urls?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * CA certificate (PEM) to trust; installed at `caPath` and set as `ssl-ca`. Defaults to the
     * data nodes' CA when they have one; without any CA Kapacitor verifies the data nodes
     * against its host's system roots.
     */
    readonly caCertificatePem?: pulumi.Input<string>;
    /**
     * `insecure-skip-verify = true`: Kapacitor then queries, writes and subscribes to any server
     * that answers, credentials included. Only ever set when you say so; needed for self-signed
     * data nodes without a CA, which are refused otherwise. Defaults to false (and the key is
     * set to false, so a file that skipped verification before stops doing so).
     */
    readonly insecureSkipVerify?: boolean;
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
    /** Configuration file. Defaults to /etc/kapacitor/kapacitor.conf. */
    readonly configPath?: string;
    /** Where the CA file is installed (readable by the kapacitor user). Defaults to /etc/kapacitor/influxdb-ca.pem. */
    readonly caPath?: string;
    /** Service name. Defaults to "kapacitor". */
    readonly serviceName?: string;
    /** Restart command (argv). Defaults to `systemctl restart kapacitor`. */
    readonly restartCommand?: string[];
    /**
     * Command proving Kapacitor works (argv). Defaults to `systemctl is-active kapacitor`
     * (`kapacitor -url https://<host>:9092 list tasks` proves its HTTPS API too).
     */
    readonly verifyCommand?: pulumi.Input<pulumi.Input<string>[]>;
    /** Command proving Kapacitor works after destroy (argv). Defaults to `systemctl is-active kapacitor`. */
    readonly revertVerifyCommand?: pulumi.Input<pulumi.Input<string>[]>;
    /** Seconds to keep retrying the verify command. Defaults to 30. */
    readonly verifyTimeoutSeconds?: number;
    /**
     * Exits 0 while the service runs, non-zero once it has exited (argv). Defaults to
     * `systemctl is-active <serviceName>` unless restartCommand is given (then none).
     */
    readonly statusCommand?: string[];
    /**
     * Prints the tail of the service's log (argv), put into the error when verification fails.
     * Defaults to `journalctl -u <serviceName> -n 20 --no-pager -o cat` unless restartCommand is given (then none).
     */
    readonly logCommand?: string[];
    /** How the CA file is installed (see FileInstaller): "transaction" (with the config, the default), "command" or "ssh". */
    readonly fileInstaller?: FileInstaller;
    /** Run remote commands through `sudo -n`. Defaults to `connection.sudo`, else false. */
    readonly sudo?: boolean;
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
        const nodes = args.dataNodes ?? [];
        const { trust, unverifiable } = telegrafTrust({
            caCertificateGiven: args.caCertificatePem !== undefined, dataNodes: nodes, insecureSkipVerify: args.insecureSkipVerify,
        });
        const caFile = kapacitorCaFile(args.caPath);
        const protocol = args.subscriptionProtocol ?? "https";
        const problems = [
            ...connectionProblems(label, args.connection, args.fileInstaller === "command"),
            ...fileSpecProblems(`${label}: CA file`, caFile),
            ...serviceArgProblems(label, args),
            ...fileArgProblems(label, { fileInstaller: args.fileInstaller }),
        ];
        const add = (arg: string, p: string | undefined): void => void (p && problems.push(`${label}: ${arg}: ${p}`));
        if (args.urls === undefined && nodes.length === 0) problems.push(`${label}: give dataNodes or urls`);
        if (unverifiable > 0) {
            problems.push(`${label}: ${unverifiable} of the dataNodes ${unverifiable === 1 ? "has a self-signed certificate" : "have self-signed certificates"} ` +
                "and no CA is known, so Kapacitor cannot verify them: give caCertificatePem, or set insecureSkipVerify: true " +
                "to skip verification (Kapacitor then talks to any server)");
        }
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
        const sudo = args.sudo ?? (args.connection.sudo === true);
        const urls = pulumi.output(args.urls ?? pulumi.all(nodes.map((n) => n.url)));
        // A CA is installed only when Kapacitor is told to trust it.
        const caPem = trust.how !== "ca" ? undefined
            : trust.fromNode === undefined ? pulumi.output(args.caCertificatePem!) : nodes[trust.fromNode].caCertificatePem as pulumi.Output<string>;
        const installed = installFiles(name, caPem ? [{ role: "ca", ...caFile, content: caPem, secret: false, readBy: "service" }] : [],
            { connection: args.connection, sudo }, { parent: this }, args.fileInstaller ?? "transaction");
        const https = args.httpsCertificatePath === undefined ? []
            : [kapacitorHttpsEdit({ certificatePath: args.httpsCertificatePath, privateKeyPath: args.httpsPrivateKeyPath })];
        const edits = urls.apply((u) => [
            kapacitorInfluxdbEdit({
                index: args.influxdbIndex, urls: u, trust, caPath: caFile.path,
                subscriptionProtocol: protocol === "unchanged" ? undefined : protocol,
            }),
            ...https,
        ]);
        const service = args.serviceName ?? KAPACITOR.service;
        const config = new TomlSettings(`${name}-config`, {
            connection: { ...args.connection, sudo },
            path: args.configPath ?? KAPACITOR.configPath,
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
