import * as pulumi from "@pulumi/pulumi";
import { isActiveCommand, restartCommand, serviceProbes, telegrafTrust, type TelegrafTrust } from "../influx";
import { fileSpecProblems } from "../files";
import type { FileSpec } from "../files/validate";
import type { SshConnectionArgs } from "../resources/connectionArgs";
import { TomlSettings } from "../resources/tomlSettings";
import type { TomlEdit } from "../toml/types";
import { connectionProblems } from "./connection";
import { serviceArgProblems } from "./serviceArgs";
import { fileArgProblems } from "./fileArgs";
import type { DataNodeTls } from "./dataNodeTls";
import { installFiles, type FileInstaller } from "./fileInstall";

/** What every client of the data nodes takes (TelegrafOutputTls, KapacitorInfluxdbTls): where it runs, whom it trusts, its service. */
export interface DataNodeClientArgs {
    /** SSH connection to the client's host (host key pinned with the public key line, as for the nodes). */
    readonly connection: SshConnectionArgs;
    /** The data nodes to talk to: their HTTPS URLs, CA and self-signed status are taken from them. Give this or `urls`. */
    readonly dataNodes?: DataNodeTls[];
    /** HTTPS URLs of the data nodes (`https://<name>:8086`). Defaults to the `dataNodes`' URLs. */
    readonly urls?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * CA certificate (PEM) to trust; installed at `caPath` and named in the client's config
     * (the guide's recommended practice). Defaults to the data nodes' CA when they have one;
     * without any CA the client verifies the servers against its host's system roots (a public CA).
     */
    readonly caCertificatePem?: pulumi.Input<string>;
    /**
     * Skip verifying the data nodes' certificates: the client then sends its requests (and
     * credentials) to any server. Only ever set when you say so; needed for self-signed data
     * nodes without a CA, which are refused otherwise. Defaults to false.
     */
    readonly insecureSkipVerify?: boolean;
    /** Configuration file. Defaults to the client's packaged path (/etc/telegraf/telegraf.conf, /etc/kapacitor/kapacitor.conf). */
    readonly configPath?: string;
    /**
     * Where the CA file is installed (root 0644, readable by the service user). Defaults to
     * /etc/telegraf/influxdb-ca.pem for Telegraf, /etc/kapacitor/influxdb-ca.pem for Kapacitor.
     */
    readonly caPath?: string;
    /** Service name. Defaults to "telegraf" / "kapacitor". */
    readonly serviceName?: string;
    /** Restart command (argv). Defaults to `systemctl restart <serviceName>`. */
    readonly restartCommand?: string[];
    /**
     * Command proving the client works (argv). Defaults to `systemctl is-active <serviceName>`;
     * `telegraf --config <file> --once` (Telegraf 1.15+) or `kapacitor -url https://<host>:9092
     * list tasks` prove more.
     */
    readonly verifyCommand?: pulumi.Input<pulumi.Input<string>[]>;
    /** Command proving the client works after destroy (argv). Defaults to `systemctl is-active <serviceName>`. */
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
    /** How the CA file is installed (see FileInstaller): "transaction" (with the config, the default), "command" or "ssh". */
    readonly fileInstaller?: FileInstaller;
    /** Run remote commands through `sudo -n`. Defaults to `connection.sudo`, else false. */
    readonly sudo?: boolean;
}

/** The client's trust in the data nodes, and what is wrong with its common arguments (each naming its argument). */
export function dataNodeClientChecks(label: string, client: string, args: DataNodeClientArgs, caFile: FileSpec):
    { trust: TelegrafTrust; problems: string[] } {
    const nodes = args.dataNodes ?? [];
    const { trust, unverifiable } = telegrafTrust({
        caCertificateGiven: args.caCertificatePem !== undefined, dataNodes: nodes, insecureSkipVerify: args.insecureSkipVerify,
    });
    const problems = [
        ...connectionProblems(label, args.connection, args.fileInstaller === "command"),
        ...fileSpecProblems(`${label}: CA file`, caFile),
        ...serviceArgProblems(label, args),
        ...fileArgProblems(label, { fileInstaller: args.fileInstaller }),
    ];
    if (args.urls === undefined && nodes.length === 0) problems.push(`${label}: give dataNodes or urls`);
    if (unverifiable > 0) {
        problems.push(`${label}: ${unverifiable} of the dataNodes ${unverifiable === 1 ? "has a self-signed certificate" : "have self-signed certificates"} ` +
            `and no CA is known, so ${client} cannot verify them: give caCertificatePem, or set insecureSkipVerify: true ` +
            `to skip verification (${client} then sends its requests to any server)`);
    }
    return { trust, problems };
}

/**
 * The client's config resource: the CA file (when the client is told to trust one) installed
 * with the chosen installer, the edits for the resolved urls, the service restarted and verified.
 */
export function dataNodeClientConfig(parent: pulumi.ComponentResource, name: string, args: DataNodeClientArgs, o: {
    trust: TelegrafTrust; caFile: FileSpec; service: string; configPath: string; edits: (urls: pulumi.Output<string[]>) => pulumi.Input<TomlEdit[]>;
}): { urls: pulumi.Output<string[]>; config: TomlSettings } {
    const nodes = args.dataNodes ?? [];
    const sudo = args.sudo ?? (args.connection.sudo === true);
    const urls = pulumi.output(args.urls ?? pulumi.all(nodes.map((n) => n.url)));
    // A CA is installed only when the client is told to trust it: a CA file nobody reads would only mislead.
    const caPem = o.trust.how !== "ca" ? undefined
        : o.trust.fromNode === undefined ? pulumi.output(args.caCertificatePem!) : nodes[o.trust.fromNode].caCertificatePem as pulumi.Output<string>;
    // The client reads its CA at start: a rewritten CA file restarts it.
    const installed = installFiles(name, caPem ? [{ role: "ca", ...o.caFile, content: caPem, secret: false, readBy: "service" }] : [],
        { connection: args.connection, sudo }, { parent }, args.fileInstaller ?? "transaction");
    const service = args.serviceName ?? o.service;
    const config = new TomlSettings(`${name}-config`, {
        connection: { ...args.connection, sudo },
        path: args.configPath ?? o.configPath,
        edits: o.edits(urls),
        service: {
            restart: args.restartCommand ?? restartCommand(service),
            verify: args.verifyCommand ?? isActiveCommand(service),
            revertVerify: args.revertVerifyCommand ?? isActiveCommand(service),
            verifyTimeoutSeconds: args.verifyTimeoutSeconds,
            ...serviceProbes(service, args),
        },
        restartTriggers: installed.restartTriggers,
        files: installed.managed,
    }, { parent, dependsOn: [...installed.resources, ...nodes] });
    return { urls, config };
}
