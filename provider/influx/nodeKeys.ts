import type { TomlEdit } from "../toml/types";
import { subscriberEdit, type SubscriberTrust } from "./kapacitor";

/** The config values naming the node's certificate and key (one path twice for a bundle). */
export interface NodeTlsFiles {
    cert: string;
    key: string;
}

/**
 * A meta node's keys, in `[meta]` of influxdb-meta.conf (the guide's snippets show `[http]`,
 * which the meta node ignores: erratum 1). `https-insecure-tls` (skip verifying the other
 * meta nodes) defaults to the certificate being self-signed without a CA.
 */
export function metaNodeEdits(files: NodeTlsFiles, o: {
    httpsInsecureTls?: boolean; selfSigned: boolean; dataUseTls?: boolean; dataInsecureTls?: boolean;
}): TomlEdit[] {
    return [{
        table: "meta",
        set: {
            "https-enabled": true,
            "https-certificate": files.cert,
            "https-private-key": files.key,
            ...((o.httpsInsecureTls ?? o.selfSigned) ? { "https-insecure-tls": true } : {}),
            // Internode TLS (Enterprise 1.7.3+): meta → data copy-shard/backup over TLS; must match
            // the data nodes' [cluster] https-enabled. Left alone unless asked (older releases do not read it).
            ...(o.dataUseTls ? { "data-use-tls": true, ...(o.dataInsecureTls ? { "data-insecure-tls": true } : {}) } : {}),
        },
    }];
}

/**
 * A data node's keys in influxdb.conf: `[http]` serves HTTPS, `[meta] meta-tls-enabled`
 * (default true, as the guide) makes it talk HTTPS to the meta nodes, `meta-insecure-tls` only
 * when asked (self-signed meta nodes); `[subscriber]` ca-certs / insecure-skip-verify when the
 * node pushes subscriptions to an HTTPS Kapacitor.
 */
export function dataNodeEdits(files: NodeTlsFiles, o: {
    metaTlsEnabled?: boolean; metaInsecureTls?: boolean; clusterHttpsEnabled?: boolean; clusterInsecureTls?: boolean;
    subscriber?: SubscriberTrust;
}): TomlEdit[] {
    const subscriber = o.subscriber && subscriberEdit(o.subscriber);
    // Internode TLS (Enterprise 1.7.3+): data ↔ data RPC (8088) with the node's own certificate.
    // Not asked: [cluster] is left alone (older releases do not read these keys).
    const cluster: TomlEdit[] = !o.clusterHttpsEnabled ? [] : [{
        table: "cluster",
        set: { "https-enabled": true, "https-certificate": files.cert, "https-private-key": files.key, ...(o.clusterInsecureTls ? { "https-insecure-tls": true } : {}) },
    }];
    return [
        { table: "http", set: { "https-enabled": true, "https-certificate": files.cert, "https-private-key": files.key } },
        {
            table: "meta",
            set: {
                "meta-tls-enabled": o.metaTlsEnabled ?? true,
                ...(o.metaInsecureTls ? { "meta-insecure-tls": true } : {}),
            },
        },
        ...cluster,
        ...(subscriber ? [subscriber] : []),
    ];
}
