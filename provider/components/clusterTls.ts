import * as pulumi from "@pulumi/pulumi";
import {
    atLeast, DEFAULT_HEALTH_TIMEOUT_SECONDS, DEFAULT_MAX_UNAVAILABLE, describeSteps, gatePlans, INTERNODE_TLS_SINCE, NODE_CA_PATH, SYSTEM_TRUST_CA_PATH,
    parseVersion, rolloutProblems, rolloutSteps, TLS_PROFILE_SINCE, TLS_PROFILES, tlsProfileEdits, versionProblems,
    type GatePlan, type RolloutStep, type TlsProfile,
} from "../influx";
import type { HealthGateArgs } from "../resources/tomlSettings";
import { refusal } from "../resources/refuse";
import type { TomlEdit } from "../toml/types";
import type { CertificateArgs } from "./certificateArgs";
import { CertificateAuthority } from "./certificateAuthority";
import { providedUpFront } from "./clusterProvidedCheck";
import { chooseStrategy, fipsGuard, generatedKeyShape, hasCa, nodeCertificate, unverifiable } from "./clusterCertificates";
import type { ClusterNodeArgs, ClusterTlsArgs } from "./clusterTlsArgs";
import { DataNodeTls } from "./dataNodeTls";
import { MetaNodeTls } from "./metaNodeTls";
import { TelegrafOutputTls } from "./telegrafOutputTls";
import { fipsKeyProblem } from "../influx/tlsProfile";

/** What ClusterTls outputs per node. */
export interface ClusterNodeOutput {
    /** Which tier the node is in. */
    role: "meta" | "data";
    /** Rollout step (1-based). */
    step: number;
    /** https://<hostname>:<port> */
    url: string;
    /** SHA-256 fingerprint of the installed certificate (undefined for onHost). */
    certificateSha256Fingerprint?: string;
    /** Certificate expiry, RFC 3339 (undefined for onHost). */
    notAfter?: string;
    /** True once the node's verify (and gate) passed after its restart. */
    verified: boolean;
}

/**
 * HTTPS on every TLS link of an InfluxDB Enterprise 1.x cluster — meta API and meta ↔ meta,
 * data HTTP API, data → meta, and from 1.7.3 data ↔ data and meta → data — plus Telegraf's
 * output, rolled out the way an operator would: meta nodes one at a time, then data nodes
 * `rollout.maxUnavailable` at a time, then the Telegraf hosts, each step gated on cluster
 * health where no protocol switch is in flight; destroy in the exact reverse order. Built from
 * MetaNodeTls / DataNodeTls / TelegrafOutputTls (and a CertificateAuthority for `internalCa`);
 * the order is a chain of `dependsOn`, visible as `rolloutOrder`.
 */
export class ClusterTls extends pulumi.ComponentResource {
    /** The steps in the order `up` runs them ("1. meta meta1", …); destroy runs them bottom-up. */
    public readonly rolloutOrder: string[];
    /** The steps as data. */
    public readonly rolloutSteps: RolloutStep[];
    /** Per node name: role, step, URL, fingerprint, notAfter, verified. */
    public readonly nodes: pulumi.Output<Record<string, ClusterNodeOutput>>;
    /** The CA certificate every client should trust (internalCa; provided/onHost with a CA), else undefined. */
    public readonly caCertificatePem: pulumi.Output<string | undefined>;
    /** What a reviewer should know: insecure flags set (selfSigned), keys not checked (onHost + fips). */
    public readonly warnings: string[];
    /** The TLS keys' release gates applied: internode TLS on or off. */
    public readonly internodeTls: boolean;
    /** The meta node components, in `metaNodes` order. */
    public readonly metaNodes: MetaNodeTls[];
    /** The data node components, in `dataNodes` order. */
    public readonly dataNodes: DataNodeTls[];
    /** The Telegraf components, in `telegrafs` order. */
    public readonly telegrafs: TelegrafOutputTls[];
    /** The internal CA (internalCa without `authority`), else undefined. */
    public readonly authority?: CertificateAuthority;

    constructor(name: string, args: ClusterTlsArgs, opts?: pulumi.ComponentResourceOptions) {
        const label = `ClusterTls ${name}`;
        const plan = planCluster(label, args);
        // The order is an input of the component too: `pulumi preview --diff` shows it. So is the
        // TLS profile: a policy pack sees only a component's inputs (policy/: influxdb-tls-tls-profile).
        super("influxdb-tls:index:ClusterTls", name, { rolloutOrder: plan.order, tlsProfile: plan.profile }, opts);
        if (plan.problems.length > 0) {
            throw refusal(plan.problems.join("\n"), this);
        }
        const certs = args.certificates ?? {};
        const kind = plan.kind!;
        this.authority = kind === "internalCa" && certs.internalCa?.authority === undefined
            ? new CertificateAuthority(`${name}-ca`, caArgs(certs.internalCa ?? {}), { parent: this }) : undefined;
        const authority = certs.internalCa?.authority ?? this.authority;

        // Each node's certificate argument, and what it means for its peers.
        const problems: string[] = [];
        const certificateOf = (n: ClusterNodeArgs): CertificateArgs | undefined => {
            const r = nodeCertificate(label, kind, certs, n, authority, args.rotationTrigger);
            problems.push(...r.problems);
            if (!r.certificate || plan.profile !== "fips") return r.certificate;
            const g = fipsGuard(`${label}: node ${n.name}`, r.certificate);
            problems.push(...g.problems);
            return g.certificate;
        };
        const ownCerts = { meta: args.metaNodes.map(certificateOf), data: args.dataNodes.map(certificateOf) };
        const upFront = providedUpFront(label, [
            ...args.metaNodes.map((node, i) => ({ node, certificate: ownCerts.meta[i] })),
            ...args.dataNodes.map((node, i) => ({ node, certificate: ownCerts.data[i] })),
        ], this);
        problems.push(...upFront.problems);
        const gateAll = (c: CertificateArgs | undefined) => (c ? upFront.gate(c) : c);
        const metaCerts = ownCerts.meta.map(gateAll);
        const dataCerts = ownCerts.data.map(gateAll);
        if (plan.profile === "fips" && kind === "internalCa" && this.authority) {
            const p = fipsKeyProblem(generatedKeyShape(certs.internalCa ?? {}));
            if (p) problems.push(`${label}: certificates.internalCa key: ${p}`);
        }
        if (problems.length > 0) {
            throw refusal(problems.join("\n"), this);
        }
        const known = (c: (CertificateArgs | undefined)[]) => c as CertificateArgs[];
        const metaUnverifiable = known(metaCerts).some(unverifiable);
        const dataUnverifiable = known(dataCerts).some(unverifiable);
        const warnings: string[] = [];
        if (metaUnverifiable || dataUnverifiable) {
            warnings.push(`${label}: self-signed certificates without a CA: peers and clients skip verification ` +
                `(${[...(metaUnverifiable ? ["meta https-insecure-tls", "data meta-insecure-tls"] : []),
                    ...(dataUnverifiable ? [...(plan.internode ? ["data [cluster] https-insecure-tls", "meta data-insecure-tls"] : []), "Telegraf insecure_skip_verify"] : [])].join(", ")} set): ` +
                "anyone on the network path can impersonate a node; use certificates.internalCa or provided certificates with their CA");
        }
        if (plan.profile === "fips" && [...known(metaCerts), ...known(dataCerts)].some((c) => c.onHost)) {
            warnings.push(`${label}: tlsProfile "fips": keys of certificates already on the hosts (onHost) are not checked here; the FIPS build refuses other than RSA 2048/3072 or ECDSA P-256/P-384/P-521 at start`);
        }

        // Health gates, per node: bound to the names clients use, expecting the names the cluster lists.
        const clientName = (n: ClusterNodeArgs) => pulumi.output(n.hostname ?? n.connection.host);
        const clusterName = (n: ClusterNodeArgs) => pulumi.output(n.clusterHostname ?? n.hostname ?? n.connection.host);
        const metaHosts = args.metaNodes.map(clientName);
        const metaListed = args.metaNodes.map(clusterName);
        const dataListed = args.dataNodes.map(clusterName);
        const metaTrust = args.metaNodes.map((n, i) => ({
            caPath: hasCa(known(metaCerts)[i]) ? n.caCertificatePath ?? NODE_CA_PATH : undefined,
            selfSigned: metaUnverifiable,
        }));
        const gates = pulumi.all([pulumi.all(metaHosts), pulumi.all(metaListed), pulumi.all(dataListed)]).apply(([m, ml, dl]) => gatePlans({
            metaHosts: m, metaListed: ml, dataListed: dl, steps: plan.steps, dataNames: args.dataNodes.map((n) => n.name), metaTrust, timeoutSeconds: plan.timeout,
        }));
        const gate = (role: "meta" | "data", i: number): HealthGateArgs => {
            const g = gates.apply((x) => x[role][i]);
            const field = <K extends keyof GatePlan>(k: K) => g.apply((x) => x[k]);
            return {
                command: field("command"), expectNodes: field("expectNodes"), when: field("when"),
                protocolKeys: field("protocolKeys"), timeoutSeconds: field("timeoutSeconds"),
                // influxd-ctl ships with the meta nodes only: a data node's gate runs on the first meta node.
                ...(role === "data" ? { connection: args.metaNodes[0].connection } : {}),
            };
        };
        const extra = (n: ClusterNodeArgs): pulumi.Input<TomlEdit[]> | undefined => {
            const profile = tlsProfileEdits(plan.profile);
            if (profile.length === 0) return n.extraEdits;
            if (n.extraEdits === undefined) return profile;
            return Array.isArray(n.extraEdits) ? [...profile, ...n.extraEdits] : pulumi.output(n.extraEdits).apply((x) => [...profile, ...x]);
        };

        // The rolling order: each step's components depend on every component of the step before.
        let previous: pulumi.Resource[] = [];
        const metaNodes: MetaNodeTls[] = [];
        const dataNodes: DataNodeTls[] = [];
        const byName = new Map<string, { role: "meta" | "data"; index: number }>();
        args.metaNodes.forEach((n, i) => byName.set(n.name, { role: "meta", index: i }));
        args.dataNodes.forEach((n, i) => byName.set(n.name, { role: "data", index: i }));
        const telegrafs: TelegrafOutputTls[] = [];
        for (const step of plan.steps) {
            const made: pulumi.Resource[] = [];
            for (const nodeName of step.nodes) {
                const childOpts = { parent: this, dependsOn: previous };
                if (step.tier === "telegraf") {
                    const t = (args.telegrafs ?? []).find((x) => x.name === nodeName)!;
                    const { name: _n, ...rest } = t;
                    made.push(telegrafs[telegrafs.push(new TelegrafOutputTls(`${name}-${t.name}`, {
                        ...rest, dataNodes, insecureSkipVerify: dataUnverifiable ? true : undefined,
                    }, childOpts)) - 1]);
                    continue;
                }
                const { role, index } = byName.get(nodeName)!;
                const n = role === "meta" ? args.metaNodes[index] : args.dataNodes[index];
                const { name: _n, certificate: _c, extraEdits: _e, clusterHostname: _h, ...rest } = n;
                const certificate = role === "meta" ? metaCerts[index]! : dataCerts[index]!;
                const systemTrustCaPath = n.systemTrustCaPath
                    ?? (args.trustCaSystemWide !== false && hasCa(certificate) ? SYSTEM_TRUST_CA_PATH : undefined);
                const common = {
                    ...rest, certificate, version: args.version, ...(systemTrustCaPath ? { systemTrustCaPath } : {}),
                    extraEdits: extra(n), healthGate: gate(role, index),
                };
                if (role === "meta") {
                    const m = new MetaNodeTls(`${name}-${n.name}`, {
                        ...common, httpsInsecureTls: metaUnverifiable,
                        ...(plan.internode ? { dataUseTls: true, dataInsecureTls: dataUnverifiable } : {}),
                    }, childOpts);
                    metaNodes[index] = m;
                    made.push(m);
                } else {
                    const d = new DataNodeTls(`${name}-${n.name}`, {
                        ...common, metaInsecureTls: metaUnverifiable,
                        ...(plan.internode ? { clusterHttpsEnabled: true, clusterInsecureTls: dataUnverifiable } : {}),
                    }, childOpts);
                    dataNodes[index] = d;
                    made.push(d);
                }
            }
            previous = made;
        }

        this.metaNodes = metaNodes;
        this.dataNodes = dataNodes;
        this.telegrafs = telegrafs;
        this.rolloutSteps = plan.steps;
        this.rolloutOrder = plan.order;
        this.warnings = warnings;
        this.internodeTls = plan.internode;
        const stepOf = new Map(plan.steps.flatMap((s) => s.nodes.map((n) => [n, s.step] as const)));
        const entry = (role: "meta" | "data", n: ClusterNodeArgs, c: MetaNodeTls | DataNodeTls) =>
            pulumi.all([c.url, c.certificateSha256Fingerprint, c.notAfter, c.verified]).apply(([url, fp, na, v]) =>
                [n.name, { role, step: stepOf.get(n.name)!, url, certificateSha256Fingerprint: fp, notAfter: na, verified: v }] as const);
        this.nodes = pulumi.all([
            ...args.metaNodes.map((n, i) => entry("meta", n, metaNodes[i])),
            ...args.dataNodes.map((n, i) => entry("data", n, dataNodes[i])),
        ]).apply((pairs) => Object.fromEntries(pairs) as Record<string, ClusterNodeOutput>);
        const caNode = [...metaNodes, ...dataNodes].find((x) => x.hasCaCertificate);
        this.caCertificatePem = authority ? authority.certPem : caNode ? caNode.caCertificatePem : pulumi.output(undefined);
        this.registerOutputs({
            rolloutOrder: this.rolloutOrder, nodes: this.nodes, caCertificatePem: this.caCertificatePem, warnings: this.warnings,
        });
    }
}

interface ClusterPlan {
    problems: string[];
    kind?: ReturnType<typeof chooseStrategy>["kind"];
    steps: RolloutStep[];
    order: string[];
    internode: boolean;
    profile: TlsProfile;
    timeout: number;
}

/** Every argument check that needs no resource, and the rollout steps. */
function planCluster(label: string, args: ClusterTlsArgs): ClusterPlan {
    const problems: string[] = [];
    const meta = args.metaNodes ?? [];
    const data = args.dataNodes ?? [];
    const tele = args.telegrafs ?? [];
    if (meta.length === 0) problems.push(`${label}: metaNodes must name at least one meta node`);
    if (data.length === 0) problems.push(`${label}: dataNodes must name at least one data node`);
    const names = [...meta, ...data, ...tele].map((n) => n?.name);
    names.forEach((n, i) => {
        if (typeof n !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(n)) {
            problems.push(`${label}: node name ${JSON.stringify(n)} must be letters, digits, ".", "_" or "-"`);
        } else if (names.indexOf(n) !== i) {
            problems.push(`${label}: node name "${n}" is used twice`);
        }
    });
    problems.push(...versionProblems(label, args.version));
    const v = typeof args.version === "string" ? parseVersion(args.version) : undefined;
    const internodeKnown = v !== undefined && atLeast(v, INTERNODE_TLS_SINCE);
    if (args.internodeTls === true && v && !internodeKnown) {
        problems.push(`${label}: internodeTls: InfluxDB Enterprise ${args.version} has no TLS between nodes (data [cluster] https-*, meta data-use-tls: since ${INTERNODE_TLS_SINCE})`);
    }
    const profile = args.tlsProfile ?? "default";
    if (!TLS_PROFILES.includes(profile)) {
        problems.push(`${label}: tlsProfile must be one of ${TLS_PROFILES.map((p) => `"${p}"`).join(", ")}`);
    } else if (profile !== "default" && v && !atLeast(v, TLS_PROFILE_SINCE)) {
        problems.push(`${label}: tlsProfile "${profile}": InfluxDB Enterprise ${args.version} has no [tls] section (since ${TLS_PROFILE_SINCE})`);
    }
    problems.push(...rolloutProblems(label, args.rollout, data.length));
    const strategy = chooseStrategy(label, args.certificates);
    problems.push(...strategy.problems);
    const maxUnavailable = Number.isInteger(args.rollout?.maxUnavailable) && args.rollout!.maxUnavailable! >= 1 ? args.rollout!.maxUnavailable! : DEFAULT_MAX_UNAVAILABLE;
    const steps = problems.length > 0 ? [] : rolloutSteps(meta.map((n) => n.name), data.map((n) => n.name), tele.map((n) => n.name), maxUnavailable);
    return {
        problems, kind: strategy.kind, steps, order: describeSteps(steps),
        internode: internodeKnown && args.internodeTls !== false,
        profile: TLS_PROFILES.includes(profile) ? profile : "default",
        timeout: args.rollout?.healthTimeoutSeconds ?? DEFAULT_HEALTH_TIMEOUT_SECONDS,
    };
}

/** The CA's own arguments (without ClusterTls's additions). */
function caArgs(a: NonNullable<ClusterTlsArgs["certificates"]>["internalCa"] & object) {
    const { authority: _a, nodeCertificates: _n, ...ca } = a;
    return ca;
}
