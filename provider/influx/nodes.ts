/**
 * What InfluxDB Enterprise means by a meta node and a data node, as far as HTTPS goes: the
 * config file, the service and the user it runs as, the HTTP port that turns HTTPS, and the
 * guide's checks that HTTPS (and, after a revert, plain HTTP) works. Keys: nodeKeys.ts.
 */

export type NodeRole = "meta" | "data";

/** How a node's own verify command trusts its certificate. */
export interface NodeTrust {
    /**
     * CA certificate file to trust, when a CA is known: given as SSL_CERT_FILE (Go's crypto
     * honours it), so no insecure flag is needed.
     */
    caPath?: string;
    /** Self-signed without a CA to trust: only then the insecure flag (`-k`, `-unsafeSsl`). */
    selfSigned: boolean;
}

export interface InfluxNode {
    role: NodeRole;
    configPath: string;
    service: string;
    /** The user the service runs as: the private key must be readable by it (guide erratum 4). */
    serviceUser: string;
    /** Port of the HTTP API that becomes HTTPS. */
    httpPort: number;
    /** DNS SANs a generated certificate gets besides the hostname. */
    extraDnsNames: readonly string[];
    /** Exits 0 once the node answers over HTTPS as `host` (argv, run on the node). */
    verify(host: string, trust: NodeTrust): string[];
    /** Exits 0 once the node answers over plain HTTP again (after destroy or a rollback). */
    revertVerify(host: string): string[];
}

const META_HTTP_PORT = 8091;

function trustPrefix(t: NodeTrust): string[] {
    return t.caPath ? ["env", `SSL_CERT_FILE=${t.caPath}`] : [];
}

export const META_NODE: InfluxNode = {
    role: "meta",
    configPath: "/etc/influxdb/influxdb-meta.conf",
    service: "influxdb-meta",
    serviceUser: "influxdb",
    httpPort: META_HTTP_PORT,
    // influxd-ctl binds localhost:8091 unless told otherwise.
    extraDnsNames: ["localhost"],
    // The explicit -bind checks the name clients use (the default, localhost:8091, is covered by the localhost SAN too).
    verify: (host, t) => [...trustPrefix(t), "influxd-ctl", "-bind", `${host}:${META_HTTP_PORT}`, "-bind-tls", ...(t.selfSigned ? ["-k"] : []), "show"],
    revertVerify: (host) => ["influxd-ctl", "-bind", `${host}:${META_HTTP_PORT}`, "show"],
};

export const DATA_NODE: InfluxNode = {
    role: "data",
    configPath: "/etc/influxdb/influxdb.conf",
    service: "influxdb",
    serviceUser: "influxdb",
    httpPort: 8086,
    extraDnsNames: [],
    verify: (host, t) => [...trustPrefix(t), "influx", "-ssl", ...(t.selfSigned ? ["-unsafeSsl"] : []), "-host", host, "-execute", "SHOW DATABASES"],
    revertVerify: (host) => ["influx", "-host", host, "-execute", "SHOW DATABASES"],
};
