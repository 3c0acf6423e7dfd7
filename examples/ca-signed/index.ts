/**
 * The guide's CA-signed path: certificates your own CA signed, given as PEM files. Three
 * layouts, chosen with `layout`:
 * - "per-node": <certDir>/<node>.crt + <node>.key (single-domain certificate per node);
 * - "wildcard": one <certDir>/wildcard.crt + wildcard.key shared by all nodes;
 * - "bundle":   <certDir>/<node>.pem holding key + certificate, used for both
 *               https-certificate and https-private-key.
 * <certDir>/ca.crt, when present, is trusted by the clients (Telegraf tls_ca, SSL_CERT_FILE).
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { DataNodeTls, MetaNodeTls, TelegrafOutputTls, type CertificateArgs, type FileInstaller } from "pulumi-influxdb-tls";
import { clusterFromConfig } from "../shared/hosts";

const config = new pulumi.Config();
const { hosts, connection } = clusterFromConfig(config);
const certDir = path.resolve(config.require("certDir"));
const layout = config.get("layout") ?? "per-node";
const read = (file: string) => fs.readFileSync(path.join(certDir, file), "utf8");
const caFile = path.join(certDir, "ca.crt");
const caCertificatePem = fs.existsSync(caFile) ? fs.readFileSync(caFile, "utf8") : undefined;
// Unset: "transaction" (the files move with the config, all or nothing — the default). "command"
// (remote.Command) or "ssh" (RemoteFile): one resource per file, for stacks created with them.
const fileInstaller = config.get("fileInstaller") as FileInstaller | undefined;

function certificateFor(node: string): CertificateArgs {
    switch (layout) {
        case "per-node":
            return { provided: { certificatePem: read(`${node}.crt`), privateKeyPem: pulumi.secret(read(`${node}.key`)), caCertificatePem } };
        case "wildcard":
            return { provided: { certificatePem: read("wildcard.crt"), privateKeyPem: pulumi.secret(read("wildcard.key")), caCertificatePem } };
        case "bundle":
            return { provided: { bundlePem: pulumi.secret(read(`${node}.pem`)), caCertificatePem } };
        default:
            throw new Error(`layout must be "per-node", "wildcard" or "bundle", not "${layout}"`);
    }
}

const metaNodes = Object.entries(hosts.meta).map(([name, h]) => new MetaNodeTls(name, {
    connection: connection(h), hostname: h.hostname, certificate: certificateFor(name), fileInstaller,
}));
const dataNodes = Object.entries(hosts.data).map(([name, h]) => new DataNodeTls(name, {
    connection: connection(h), hostname: h.hostname, certificate: certificateFor(name), fileInstaller,
}, { dependsOn: metaNodes }));
const telegrafs = Object.entries(hosts.telegraf).map(([name, h]) => new TelegrafOutputTls(name, {
    connection: connection(h),
    dataNodes,
    fileInstaller,
    verifyCommand: ["telegraf", "--config", "/etc/telegraf/telegraf.conf", "--once"],
    // The test hosts run Telegraf 1.37.2: its key names (tls_ca; ssl_ca would be refused).
    telegrafVersion: "1.37.2",
}));

export const metaUrls = metaNodes.map((m) => m.url);
export const dataUrls = dataNodes.map((d) => d.url);
export const fingerprints = [...metaNodes, ...dataNodes].map((n) => n.certificateSha256Fingerprint);
export const notAfter = dataNodes.map((d) => d.notAfter);
export const verified = pulumi.all([...metaNodes, ...dataNodes, ...telegrafs].map((n) => n.verified)).apply((v) => v.every(Boolean));
