import * as pulumi from "@pulumi/pulumi";
import * as influx from "../influx/defaults";
import type { TomlEdit } from "../toml/types";
import type { NodeTlsArgs } from "./nodeTlsArgs";
import { NodeTlsComponent } from "./nodeTlsComponent";
import { buildNodeTls } from "./nodeTls";
import { metaRevertVerify, metaVerify } from "./verifyCommands";

export interface MetaNodeTlsArgs extends NodeTlsArgs {
    /**
     * `[meta] https-insecure-tls`: skip verifying other meta nodes' certificates. Defaults to
     * true for self-signed certificates (without a CA to trust), false otherwise.
     */
    readonly httpsInsecureTls?: boolean;
}

/**
 * HTTPS on an InfluxDB Enterprise meta node: `[meta]` https-enabled / https-certificate /
 * https-private-key (+ https-insecure-tls) in /etc/influxdb/influxdb-meta.conf — the guide's
 * snippets show `[http]`, which the meta node ignores — restart `influxdb-meta`, verify with
 * `influxd-ctl -bind <hostname>:8091 -bind-tls [-k] show`. Self-signed certificates get a
 * `localhost` SAN by default because influxd-ctl binds localhost:8091 unless told otherwise.
 */
export class MetaNodeTls extends NodeTlsComponent {
    constructor(name: string, args: MetaNodeTlsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("influxdb-tls:index:MetaNodeTls", name, {}, opts);
        const built = buildNodeTls(this, name, args, {
            role: "meta",
            label: `MetaNodeTls ${name}`,
            configPath: influx.META_CONFIG_PATH,
            serviceName: influx.META_SERVICE,
            serviceUser: influx.META_SERVICE_USER,
            extraDns: ["localhost"],
            edits: (paths, material) => pulumi.all([paths.cert, paths.key]).apply(([cert, key]): TomlEdit[] => [{
                table: "meta",
                set: {
                    "https-enabled": true,
                    "https-certificate": cert,
                    "https-private-key": key,
                    ...((args.httpsInsecureTls ?? material.selfSigned) ? { "https-insecure-tls": true } : {}),
                },
            }]),
            verify: metaVerify,
            revertVerify: metaRevertVerify,
        });
        this.finish(built, influx.META_HTTP_PORT);
    }
}
