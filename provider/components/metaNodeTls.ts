import type * as pulumi from "@pulumi/pulumi";
import { META_NODE, metaNodeEdits } from "../influx";
import type { NodeTlsArgs } from "./nodeTlsArgs";
import { NodeTlsComponent } from "./nodeTlsComponent";
import { buildNodeTls } from "./nodeTls";

export interface MetaNodeTlsArgs extends NodeTlsArgs {
    /**
     * `[meta] https-insecure-tls`: skip verifying other meta nodes' certificates. Defaults to
     * true for self-signed certificates (without a CA to trust), false otherwise.
     */
    readonly httpsInsecureTls?: boolean;
    /**
     * `[meta] data-use-tls` (Enterprise 1.7.3+): the meta node talks TLS to the data nodes
     * (copy-shard, backup); must match the data nodes' `[cluster] https-enabled`. Defaults to
     * false (the key is left alone); ClusterTls sets it from the version.
     */
    readonly dataUseTls?: boolean;
    /** `[meta] data-insecure-tls`: skip verifying the data nodes' certificates (only with dataUseTls). Defaults to false. */
    readonly dataInsecureTls?: boolean;
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
            node: META_NODE,
            label: `MetaNodeTls ${name}`,
            edits: (files, material) => metaNodeEdits(files, {
                httpsInsecureTls: args.httpsInsecureTls, selfSigned: material.selfSigned, dataUseTls: args.dataUseTls, dataInsecureTls: args.dataInsecureTls,
            }),
        }, opts?.dependsOn);
        this.finish(built, META_NODE.httpPort);
    }
}
