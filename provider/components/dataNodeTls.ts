import type * as pulumi from "@pulumi/pulumi";
import { DATA_NODE, dataNodeEdits, subscriberProblems } from "../influx";
import { refusal } from "../resources/refuse";
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
    /**
     * How this node verifies the HTTPS subscribers it pushes writes to (Kapacitor with
     * `subscription-protocol = "https"`, see KapacitorInfluxdbTls): `[subscriber]` keys. No
     * `[subscriber]` key is set when omitted (the node then verifies subscribers against its
     * system roots).
     */
    readonly subscriber?: SubscriberTlsArgs;
}

/** A data node's `[subscriber]` trust for HTTPS subscribers (Kapacitor). Give at most one of the two. */
export interface SubscriberTlsArgs {
    /**
     * A PEM file on the data node holding the CA(s) that signed Kapacitor's certificate:
     * `[subscriber] ca-certs`. The file is not installed by this package; when Kapacitor's
     * certificate comes from the same CA as the data node's, the node's own CA file
     * (`/etc/ssl/influxdb-ca.pem` by default) is the one to name. Sets `insecure-skip-verify = false`.
     */
    readonly caCertificatePath?: string;
    /**
     * `[subscriber] insecure-skip-verify = true`: the node pushes subscribed writes to any
     * server that answers, unverified. Only when you say so (a self-signed Kapacitor without a
     * CA). Defaults to false.
     */
    readonly insecureSkipVerify?: boolean;
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
        const subscriber = subscriberProblems(`DataNodeTls ${name}`, args.subscriber);
        if (subscriber.length > 0) {
            throw refusal(subscriber.join("\n"), this);
        }
        const built = buildNodeTls(this, name, args, {
            node: DATA_NODE,
            label: `DataNodeTls ${name}`,
            edits: (files) => dataNodeEdits(files, args),
        }, opts?.dependsOn);
        this.finish(built, DATA_NODE.httpPort);
    }
}
