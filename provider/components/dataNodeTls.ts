import * as pulumi from "@pulumi/pulumi";
import * as influx from "../influx/defaults";
import type { TomlEdit } from "../toml/types";
import type { NodeTlsArgs } from "./nodeTlsArgs";
import { buildNodeTls } from "./nodeTls";
import { dataRevertVerify, dataVerify } from "./verifyCommands";

export interface DataNodeTlsArgs extends NodeTlsArgs {
    /** Talk HTTPS to the meta nodes (`[meta] meta-tls-enabled`). Defaults to true, as the guide. */
    readonly metaTlsEnabled?: boolean;
    /** Accept self-signed meta node certificates (`[meta] meta-insecure-tls`). Defaults to false; set true when the meta nodes' certificates are self-signed. */
    readonly metaInsecureTls?: boolean;
}

/**
 * HTTPS on an InfluxDB Enterprise data node: `[http]` https-enabled / https-certificate /
 * https-private-key and `[meta]` meta-tls-enabled (+ meta-insecure-tls) in
 * /etc/influxdb/influxdb.conf, restart `influxdb`, verify with
 * `influx -ssl [-unsafeSsl] -host <hostname> -execute 'SHOW DATABASES'`.
 * Destroy reverts the file, restarts and checks plain HTTP answers, then removes the files.
 */
export class DataNodeTls extends pulumi.ComponentResource {
    /** https://<hostname>:8086 */
    public readonly url: pulumi.Output<string>;
    /** SHA-256 fingerprint of the installed certificate (undefined for onHost certificates). */
    public readonly certificateSha256Fingerprint: pulumi.Output<string | undefined>;
    /** Certificate expiry, RFC 3339 (undefined for onHost certificates). */
    public readonly notAfter: pulumi.Output<string | undefined>;
    /** True once the verify command succeeded after the restart. */
    public readonly verified: pulumi.Output<boolean>;
    /** The CA certificate clients should trust, when known (issuedBy, or provided/onHost with a CA). */
    public readonly caCertificatePem: pulumi.Output<string | undefined>;
    /** Whether clients must skip verification (self-signed, no CA). */
    public readonly selfSigned: boolean;
    /** The keys set, per table, as applied. */
    public readonly settings: pulumi.Output<Record<string, Record<string, unknown>>>;

    constructor(name: string, args: DataNodeTlsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("influxdb-tls:index:DataNodeTls", name, {}, opts);
        const built = buildNodeTls(this, name, args, {
            role: "data",
            label: `DataNodeTls ${name}`,
            configPath: influx.DATA_CONFIG_PATH,
            serviceName: influx.DATA_SERVICE,
            serviceUser: influx.DATA_SERVICE_USER,
            extraDns: [],
            edits: (paths) => pulumi.all([paths.cert, paths.key]).apply(([cert, key]): TomlEdit[] => [
                { table: "http", set: { "https-enabled": true, "https-certificate": cert, "https-private-key": key } },
                {
                    table: "meta",
                    set: {
                        "meta-tls-enabled": args.metaTlsEnabled ?? true,
                        ...(args.metaInsecureTls ? { "meta-insecure-tls": true } : {}),
                    },
                },
            ]),
            verify: dataVerify,
            revertVerify: dataRevertVerify,
        });
        this.url = pulumi.interpolate`https://${built.hostname}:${influx.DATA_HTTP_PORT}`;
        this.certificateSha256Fingerprint = built.certificateSha256Fingerprint;
        this.notAfter = built.notAfter;
        this.verified = built.verified;
        this.settings = built.config.settings;
        this.caCertificatePem = built.material.caPem ?? pulumi.output(undefined);
        this.selfSigned = built.material.selfSigned;
        this.registerOutputs({
            url: this.url, certificateSha256Fingerprint: this.certificateSha256Fingerprint,
            notAfter: this.notAfter, verified: this.verified, settings: this.settings,
        });
    }
}
