import * as pulumi from "@pulumi/pulumi";
import * as influx from "../influx/defaults";
import type { TomlEdit } from "../toml/types";
import type { NodeTlsArgs } from "./nodeTlsArgs";
import { NodeTlsComponent } from "./nodeTlsComponent";
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
export class DataNodeTls extends NodeTlsComponent {
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
        this.finish(built, influx.DATA_HTTP_PORT);
    }
}
