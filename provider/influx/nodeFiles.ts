import type { FileSpec } from "../files/validate";
import { CERT_FILE_MODE, KEY_FILE_MODE } from "./defaults";

/** The guide's three ways to lay a node's certificate out on disk. */
export type FileLayout = "selfSigned" | "caSigned" | "bundle";

/** The guide's file names under /etc/ssl, per layout (a bundle's one file serves as both). */
const GUIDE_PATHS: Record<FileLayout, { cert: string; key: string }> = {
    selfSigned: { cert: "/etc/ssl/influxdb-selfsigned.crt", key: "/etc/ssl/influxdb-selfsigned.key" },
    caSigned: { cert: "/etc/ssl/influxdb.crt", key: "/etc/ssl/influxdb.key" },
    bundle: { cert: "/etc/ssl/influxdb.pem", key: "/etc/ssl/influxdb.pem" },
};

/** Where a node keeps the CA certificate its own verification trusts (SSL_CERT_FILE). */
export const NODE_CA_PATH = "/etc/ssl/influxdb-ca.pem";

/**
 * Where ClusterTls puts a private CA so InfluxDB itself trusts it. InfluxDB verifies its peers
 * (meta ↔ meta, data → meta, data ↔ data) against the host's system roots, and Go's crypto/x509
 * on Linux reads, besides the bundle file, every file in /etc/ssl/certs — so one PEM file there
 * is enough, with no `update-ca-certificates` run and no change to the distribution's bundle.
 */
export const SYSTEM_TRUST_CA_PATH = "/etc/ssl/certs/influxdb-tls-ca.pem";

/** The arguments (named as in NodeTlsArgs, documented there) that override where a node's files go and who may read them. */
export type NodeFileArgs = {
    readonly [K in `certificate${"Path" | "Owner" | "Group" | "Mode"}` | `privateKey${"Path" | "Owner" | "Group" | "Mode"}` | "caCertificatePath"]?: string;
};

export interface NodeFiles {
    cert: FileSpec;
    /** For a bundle, the certificate's own path (the config names it for both keys). */
    key: FileSpec;
    /** Installed only when a CA is known. */
    ca: FileSpec;
    /** The same CA in the host's system trust directory; only with `systemTrustCaPath`. */
    systemCa?: FileSpec;
}

/**
 * The files a node gets: the certificate world-readable (root, 0644); the key readable by the
 * service user only (0600: the guide's `root:root 600` leaves influxd unable to read it,
 * erratum 4, and 1.12.3+ refuses anything looser); a bundle holds the key, so it is one file
 * with the key's owner and mode; the CA file root's, 0644.
 */
export function nodeFiles(layout: FileLayout, serviceUser: string, args: NodeFileArgs & { readonly systemTrustCaPath?: string }): NodeFiles {
    const bundle = layout === "bundle";
    const certPath = args.certificatePath ?? GUIDE_PATHS[layout].cert;
    const key: FileSpec = {
        path: bundle ? certPath : (args.privateKeyPath ?? GUIDE_PATHS[layout].key),
        mode: args.privateKeyMode ?? KEY_FILE_MODE,
        owner: args.privateKeyOwner ?? serviceUser,
        group: args.privateKeyGroup ?? serviceUser,
    };
    const cert: FileSpec = bundle ? { ...key, path: certPath } : {
        path: certPath,
        mode: args.certificateMode ?? CERT_FILE_MODE,
        owner: args.certificateOwner ?? "root",
        group: args.certificateGroup ?? "root",
    };
    const ca: FileSpec = { path: args.caCertificatePath ?? NODE_CA_PATH, mode: CERT_FILE_MODE, owner: "root", group: "root" };
    const systemCa: FileSpec | undefined = args.systemTrustCaPath === undefined ? undefined
        : { path: args.systemTrustCaPath, mode: CERT_FILE_MODE, owner: "root", group: "root" };
    return { cert, key, ca, ...(systemCa ? { systemCa } : {}) };
}
