import type * as pulumi from "@pulumi/pulumi";
import type { TlsProfile } from "../influx/tlsProfile";
import type { SshConnectionArgs } from "../resources/connectionArgs";
import type { CertificateArgs, OnHostCertificateArgs, ProvidedCertificateArgs, SelfSignedCertificateArgs } from "./certificateArgs";
import type { CertificateAuthority, CertificateAuthorityArgs } from "./certificateAuthority";
import type { KeyArgs } from "./keyAndValidity";
import type { NodeTlsArgs } from "./nodeTlsArgs";
import type { TelegrafOutputTlsArgs } from "./telegrafOutputTls";

/**
 * One meta or data node of the cluster. Besides `name` and `connection`, every NodeTlsArgs
 * argument can be given per node (paths, owners, modes, commands, extraEdits…); `certificate`
 * overrides the cluster's `certificates` strategy for this node.
 */
export interface ClusterNodeArgs extends Omit<NodeTlsArgs, "connection" | "certificate" | "version" | "healthGate"> {
    /** Unique in the cluster; the node component is named `<cluster>-<name>`. */
    readonly name: string;
    /** SSH connection to the node (host key pinned, as on the node components). */
    readonly connection: SshConnectionArgs;
    /** This node's certificate instead of the cluster's strategy (exactly one source, as on MetaNodeTls/DataNodeTls). */
    readonly certificate?: CertificateArgs;
    /**
     * The name the cluster knows the node by — its `hostname` setting, which `influxd-ctl show`
     * lists as `<name>:8091` / `<name>:8086` — when it differs from `hostname` (the name clients
     * use). The health gates expect the nodes under it. On a real cluster the meta node's
     * `hostname` must also be a SAN of its certificate. Defaults to `hostname`, else `connection.host`.
     */
    readonly clusterHostname?: pulumi.Input<string>;
}

/** One Telegraf host: its `[[outputs.influxdb]]` entry is pointed at every data node over HTTPS. */
export interface ClusterTelegrafArgs extends Omit<TelegrafOutputTlsArgs, "connection" | "dataNodes" | "urls" | "caCertificatePem" | "insecureSkipVerify"> {
    /** Unique in the cluster; the component is named `<cluster>-<name>`. */
    readonly name: string;
    /** SSH connection to the Telegraf host. */
    readonly connection: SshConnectionArgs;
}

/** An internal CA issues every node's certificate with the right SANs; every client trusts it; no insecure flag anywhere. */
export interface InternalCaArgs extends CertificateAuthorityArgs {
    /** Use this CA instead of making one (`<cluster>-ca`). Its own key is not checked by tlsProfile "fips". */
    readonly authority?: CertificateAuthority;
    /** Key and validity of every node certificate (defaults as on the node components: RSA 2048, 365 days). */
    readonly nodeCertificates?: NodeCertificateArgs;
}

/**
 * Your CA-signed certificates: per node (each node's `certificate.provided`), or one for all
 * nodes (a wildcard certificate + key, or a `.pem` bundle) given here. `caCertificatePem` given
 * here is trusted by every node and client (no insecure flag anywhere).
 */
export type ClusterProvidedArgs = ProvidedCertificateArgs;

/** Exactly one strategy for all nodes; none set = `internalCa: {}`. */
export interface ClusterCertificatesArgs {
    /** One internal CA issues every node's certificate (the default). */
    readonly internalCa?: InternalCaArgs;
    /** Your CA-signed certificates: one for all nodes here, or per node. */
    readonly provided?: ClusterProvidedArgs;
    /** The guide's path: every node self-signed, so every peer and client skips verification (insecure flags set; a warning in `warnings`). */
    readonly selfSigned?: SelfSignedCertificateArgs;
    /** Files already on every host (same paths on each; override per node with `certificate.onHost`). */
    readonly onHost?: OnHostCertificateArgs;
}

/** Key and validity of the node certificates an internal CA issues. */
export interface NodeCertificateArgs extends KeyArgs {
    /** Validity in days. Defaults to 365. */
    readonly validityDays?: number;
    /** Days before expiry from which `pulumi up` plans a new certificate. Defaults to a third of the validity, at most 30, but at least the nodes' `minValidityDays`; an explicit value below it is refused. */
    readonly earlyRenewalDays?: number;
}

/** How the rollout paces itself. */
export interface RolloutArgs {
    /** Data nodes changed (restarted) at once. Defaults to 1. */
    readonly maxUnavailable?: number;
    /** Seconds each step waits for cluster health (`influxd-ctl show`). Defaults to 600 (data nodes with many shards take minutes to start). */
    readonly healthTimeoutSeconds?: number;
}

/** Arguments of ClusterTls: the nodes, where certificates come from, the Enterprise release, the rollout. */
export interface ClusterTlsArgs {
    /** Meta nodes, in the order they are switched (one at a time). At least one. */
    readonly metaNodes: ClusterNodeArgs[];
    /** Data nodes, in the order they are switched (`rollout.maxUnavailable` at a time). At least one. */
    readonly dataNodes: ClusterNodeArgs[];
    /** Telegraf hosts writing to the data nodes; switched after every data node. Defaults to none. */
    readonly telegrafs?: ClusterTelegrafArgs[];
    /** Where the certificates come from. Defaults to `{ internalCa: {} }`. */
    readonly certificates?: ClusterCertificatesArgs;
    /**
     * The InfluxDB Enterprise release on the hosts, e.g. "1.11.8". Decides which keys exist and
     * are set (provider/influx/versions.ts): internode TLS from 1.7.3, `tlsProfile` from 1.6.
     */
    readonly version: string;
    /**
     * TLS between the nodes (data `[cluster] https-*`, meta `data-use-tls`): Enterprise 1.7.3+.
     * Defaults to true from 1.7.3 on, false before (true is refused there).
     */
    readonly internodeTls?: boolean;
    /**
     * `[tls]` of every meta and data node (1.6+): "default" leaves it alone; "modern" sets
     * `min-version = "tls1.2"` and a forward-secret AEAD cipher list; "fips" TLS 1.2 only, the FIPS
     * cipher list, and keys restricted to RSA 2048/3072 or ECDSA P-256/P-384/P-521 (others refused
     * at check time). Defaults to "default".
     */
    readonly tlsProfile?: TlsProfile;
    /** Batch size and health timeout. Defaults to `{ maxUnavailable: 1, healthTimeoutSeconds: 600 }`. */
    readonly rollout?: RolloutArgs;
    /**
     * Install the cluster's CA (internalCa, or provided/onHost certificates with their CA) into
     * every meta and data node's system trust directory (/etc/ssl/certs/influxdb-tls-ca.pem, root
     * 0644), so the nodes verify each other: InfluxDB checks its peers against the system roots,
     * not against a CA file of its config. Defaults to true; set false when your hosts' trust
     * store already holds the CA (managed elsewhere) — the rollout stops at the first health gate
     * otherwise. A node's own `systemTrustCaPath` wins.
     */
    readonly trustCaSystemWide?: boolean;
    /** Set or change to give every node a new key and certificate (internalCa, selfSigned): each node restarts once, in the rolling order. */
    readonly rotationTrigger?: pulumi.Input<string>;
}
