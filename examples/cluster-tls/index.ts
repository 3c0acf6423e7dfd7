/**
 * The whole cluster with one component: an internal CA issues every node's certificate,
 * every link trusts it (no insecure flag anywhere), and the nodes are switched one step at a
 * time — meta nodes one by one, data nodes `maxUnavailable` at a time, then Telegraf — with a
 * cluster-health gate on each step of a rotation. `pulumi destroy` runs the steps backwards.
 *
 * With `certDir` set, the certificates are your CA's instead (`certificates.provided`):
 * <certDir>/<node>.crt + <node>.key per node, <certDir>/ca.crt trusted everywhere — what
 * `npm start` runs (the root Pulumi.yaml), since the tls plugin behind `internalCa` is not
 * available to the CLI here.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ClusterTls, type ClusterCertificatesArgs, type CertificateArgs } from "pulumi-influxdb-tls";
import { clusterFromConfig } from "../shared/hosts";

const config = new pulumi.Config();
const { hosts, connection } = clusterFromConfig(config);
// The test hosts know each other by name (/etc/hosts), and the meta stand-ins' `influxd-ctl show`
// lists nodes by name: the name is what peers, clients and the health gates use.
const sandbox = config.get("sandboxState") !== undefined;
const certDir = config.get("certDir");
const read = (file: string) => fs.readFileSync(path.join(path.resolve(certDir!), file), "utf8");
const certificates: ClusterCertificatesArgs = certDir
    ? { provided: { caCertificatePem: read("ca.crt") } }
    : { internalCa: { commonName: "InfluxDB internal CA", nodeCertificates: { validityDays: config.getNumber("validityDays") ?? 90 } } };
const own = (name: string): CertificateArgs | undefined => certDir
    ? { provided: { certificatePem: read(`${name}.crt`), privateKeyPem: pulumi.secret(read(`${name}.key`)) } }
    : undefined;
const nodes = (hs: typeof hosts.meta) => Object.entries(hs).map(([name, h]) => ({
    name, connection: connection(h), hostname: h.hostname ?? (sandbox ? name : undefined), certificate: own(name),
}));

const cluster = new ClusterTls("influxdb", {
    // The Enterprise release on the hosts decides which keys are set (internode TLS from 1.7.3).
    version: config.require("version"),
    metaNodes: nodes(hosts.meta),
    dataNodes: nodes(hosts.data),
    telegrafs: Object.entries(hosts.telegraf).map(([name, h]) => ({
        name, connection: connection(h),
        verifyCommand: ["telegraf", "--config", "/etc/telegraf/telegraf.conf", "--once"],
    })),
    certificates,
    tlsProfile: (config.get("tlsProfile") ?? "default") as "default" | "modern" | "fips",
    rollout: { maxUnavailable: config.getNumber("maxUnavailable") ?? 1, healthTimeoutSeconds: config.getNumber("healthTimeoutSeconds") ?? 600 },
    // `pulumi config set rotationTrigger 2027-q1`: a new key and certificate for every node, each restarted once, in order.
    rotationTrigger: config.get("rotationTrigger"),
});

/** The steps in the order `up` runs them (destroy: bottom-up). */
export const rolloutOrder = cluster.rolloutOrder;
/** Per node: role, step, URL, certificate fingerprint, notAfter, verified. */
export const clusterNodes = cluster.nodes;
export const caCertificatePem = cluster.caCertificatePem;
export const warnings = cluster.warnings;
export const verified = cluster.nodes.apply((n) => Object.values(n).every((x) => x.verified));
