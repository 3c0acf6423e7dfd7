export { MetaNodeTls, type MetaNodeTlsArgs } from "./metaNodeTls";
export { DataNodeTls, type DataNodeTlsArgs, type SubscriberTlsArgs } from "./dataNodeTls";
export { TelegrafOutputTls, type TelegrafOutputTlsArgs } from "./telegrafOutputTls";
export { KapacitorInfluxdbTls, type KapacitorInfluxdbTlsArgs } from "./kapacitorInfluxdbTls";
export type { SubscriptionProtocol } from "../influx/kapacitor";
export type { DataNodeClientArgs } from "./dataNodeClient";
export { CertificateAuthority, type CertificateAuthorityArgs, type IssuedCertificate } from "./certificateAuthority";
export type { NodeTlsArgs } from "./nodeTlsArgs";
export type { FileInstaller } from "./fileInstall";
export type {
    CertificateArgs, SelfSignedCertificateArgs, ProvidedCertificateArgs, OnHostCertificateArgs, IssuedCertificateArgs,
} from "./certificateArgs";
export type { KeyArgs, CertificateNamesArgs } from "./keyAndValidity";
export { ClusterTls, type ClusterNodeOutput } from "./clusterTls";
export type {
    ClusterTlsArgs, ClusterNodeArgs, ClusterTelegrafArgs, ClusterCertificatesArgs, InternalCaArgs, ClusterProvidedArgs, RolloutArgs,
} from "./clusterTlsArgs";
export type { TlsProfile } from "../influx/tlsProfile";
export type { RolloutStep, Tier } from "../influx/rollout";
export type { NodeCertificateArgs } from "./clusterTlsArgs";
