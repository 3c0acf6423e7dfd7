/**
 * The vendor guide's self-signed path: one certificate per node (RSA 2048, SANs for the
 * names clients use), 1 meta node, 2 data nodes, 1 Telegraf. Clients cannot verify
 * self-signed certificates, so meta nodes get https-insecure-tls, data nodes
 * meta-insecure-tls, Telegraf insecure_skip_verify, and verification uses -k / -unsafeSsl.
 */
import * as pulumi from "@pulumi/pulumi";
import { DataNodeTls, MetaNodeTls, TelegrafOutputTls } from "pulumi-influxdb-tls";
import { clusterFromConfig } from "../shared/hosts";

const config = new pulumi.Config();
const { hosts, connection } = clusterFromConfig(config);
const validityDays = config.getNumber("validityDays") ?? 365;
// Set or change (e.g. `pulumi config set rotationTrigger 2027-q1`) to rotate every node's key.
const rotationTrigger = config.get("rotationTrigger");

const metaNodes = Object.entries(hosts.meta).map(([name, h]) => new MetaNodeTls(name, {
    connection: connection(h),
    hostname: h.hostname,
    certificate: { selfSigned: { validityDays, rotationTrigger } },
}));

const dataNodes = Object.entries(hosts.data).map(([name, h]) => new DataNodeTls(name, {
    connection: connection(h),
    hostname: h.hostname,
    certificate: { selfSigned: { validityDays, rotationTrigger } },
    metaInsecureTls: true,
}, { dependsOn: metaNodes }));

const telegrafs = Object.entries(hosts.telegraf).map(([name, h]) => new TelegrafOutputTls(name, {
    connection: connection(h),
    dataNodes,
    // Self-signed data nodes and no CA: Telegraf cannot verify them. Skipping verification is
    // the guide's self-signed path, and an explicit opt-in (refused without it).
    insecureSkipVerify: true,
    // Telegraf 1.15+: one real write through the output proves its TLS settings.
    verifyCommand: ["telegraf", "--config", "/etc/telegraf/telegraf.conf", "--once"],
    // The test hosts run Telegraf 1.37.2: its key names (tls_ca; ssl_ca would be refused).
    telegrafVersion: "1.37.2",
}));

export const metaUrls = metaNodes.map((m) => m.url);
export const dataUrls = dataNodes.map((d) => d.url);
export const fingerprints = [...metaNodes, ...dataNodes].map((n) => n.certificateSha256Fingerprint);
export const notAfter = dataNodes.map((d) => d.notAfter);
export const verified = pulumi.all([...metaNodes, ...dataNodes, ...telegrafs].map((n) => n.verified)).apply((v) => v.every(Boolean));
