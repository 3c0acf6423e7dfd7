/**
 * An internal CA issues every node's certificate (SANs for the names clients use). Clients
 * trust the CA — Telegraf through tls_ca, verification through SSL_CERT_FILE — so there is no
 * insecure flag anywhere: no https-insecure-tls, meta-insecure-tls, insecure_skip_verify,
 * -k or -unsafeSsl.
 */
import * as pulumi from "@pulumi/pulumi";
import { CertificateAuthority, DataNodeTls, MetaNodeTls, TelegrafOutputTls } from "pulumi-influxdb-tls";
import { clusterFromConfig } from "../shared/hosts";

const config = new pulumi.Config();
const { hosts, connection } = clusterFromConfig(config);
const validityDays = config.getNumber("validityDays") ?? 90;
// Set or change (e.g. `pulumi config set rotationTrigger 2027-q1`) to rotate every node's key
// and certificate (the CA stays).
const rotationTrigger = config.get("rotationTrigger");

const ca = new CertificateAuthority("influxdb-ca", { commonName: config.get("caName") ?? "InfluxDB internal CA" });

const metaNodes = Object.entries(hosts.meta).map(([name, h]) => new MetaNodeTls(name, {
    connection: connection(h),
    hostname: h.hostname,
    certificate: { issuedBy: { authority: ca, validityDays, rotationTrigger } },
}));

const dataNodes = Object.entries(hosts.data).map(([name, h]) => new DataNodeTls(name, {
    connection: connection(h),
    hostname: h.hostname,
    certificate: { issuedBy: { authority: ca, validityDays, rotationTrigger } },
}, { dependsOn: metaNodes }));

const telegrafs = Object.entries(hosts.telegraf).map(([name, h]) => new TelegrafOutputTls(name, {
    connection: connection(h),
    dataNodes,
    verifyCommand: ["telegraf", "--config", "/etc/telegraf/telegraf.conf", "--once"],
    // The test hosts run Telegraf 1.37.2: its key names (tls_ca; ssl_ca would be refused).
    telegrafVersion: "1.37.2",
}));

/** What clients must trust. */
export const caCertificatePem = ca.certPem;
export const metaUrls = metaNodes.map((m) => m.url);
export const dataUrls = dataNodes.map((d) => d.url);
export const fingerprints = [...metaNodes, ...dataNodes].map((n) => n.certificateSha256Fingerprint);
export const verified = pulumi.all([...metaNodes, ...dataNodes, ...telegrafs].map((n) => n.verified)).apply((v) => v.every(Boolean));
