import type * as pulumi from "@pulumi/pulumi";
import { DATA_NODE, dataNodeEdits } from "../influx";
import type { NodeTlsArgs } from "./nodeTlsArgs";
import { NodeTlsComponent } from "./nodeTlsComponent";
import { buildNodeTls } from "./nodeTls";

export interface DataNodeTlsArgs extends NodeTlsArgs {
    /** Talk HTTPS to the meta nodes (`[meta] meta-tls-enabled`). Defaults to true, as the guide. */
    readonly metaTlsEnabled?: boolean;
    /** Accept self-signed meta node certificates (`[meta] meta-insecure-tls`). Defaults to false; set true when the meta nodes' certificates are self-signed. */
    readonly metaInsecureTls?: boolean;
    /**
     * `[cluster] https-enabled` / `https-certificate` / `https-private-key` (Enterprise 1.7.3+):
     * TLS between data nodes (RPC, 8088) with the node's own certificate. Defaults to false
     * ([cluster] left alone); ClusterTls sets it from the version.
     */
    readonly clusterHttpsEnabled?: boolean;
    /** `[cluster] https-insecure-tls`: skip verifying the other data nodes' certificates (only with clusterHttpsEnabled). Defaults to false. */
    readonly clusterInsecureTls?: boolean;
}

/**
 * HTTPS on an InfluxDB Enterprise data node: `[http]` https-enabled / https-certificate /
 * https-private-key and `[meta]` meta-tls-enabled (+ meta-insecure-tls) in
 * /etc/influxdb/influxdb.conf, restart `influxdb`, verify with
 * `influx -ssl [-unsafeSsl] -host <hostname> -execute 'SHOW DATABASES'`.
 * Destroy reverts the file, restarts and checks plain HTTP answers, then removes the files.
 */
export class DataNodeTls extends NodeTlsComponent {
    constructor(name: string, args: DataNodeTlsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("influxdb-tls:index:DataNodeTls", name, {}, opts);
        const built = buildNodeTls(this, name, args, {
            node: DATA_NODE,
            label: `DataNodeTls ${name}`,
            edits: (files) => dataNodeEdits(files, args),
        }, opts?.dependsOn);
        this.finish(built, DATA_NODE.httpPort);
    }
}
