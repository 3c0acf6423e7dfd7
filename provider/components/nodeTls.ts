import * as pulumi from "@pulumi/pulumi";
import {
    DEFAULT_MIN_VALIDITY_DAYS, guideErrata, keysUnknownToVersion, restartCommand, serviceProbes, nodeFiles, versionProblems, type InfluxNode, type NodeTlsFiles,
} from "../influx";
import { TomlSettings } from "../resources/tomlSettings";
import type { TomlEdit } from "../toml/types";
import { resolveCertificate, type CertificateMaterial } from "./certificate";
import { checkCertificate, fileLayout } from "./certificateChoice";
import { connectionProblems } from "./connection";
import { serviceArgProblems } from "./serviceArgs";
import { fileArgProblems } from "./fileArgs";
import { fileSpecProblems } from "../files";
import type { NodeTlsArgs } from "./nodeTlsArgs";
import { certificateFacts } from "./pem";
import { plainProvided, providedCertificateProblems } from "./certificateChecks";
import { refusal } from "../resources/refuse";
import { installFiles, type ComponentFile } from "./fileInstall";
import { preflightArgProblems } from "./preflightArgs";

/** What the config names: the certificate and key files, and the CA file verification trusts. */
interface NodePaths {
    cert: pulumi.Input<string>;
    key: pulumi.Input<string>;
    ca?: string;
}

/** What a role (meta node, data node) adds to the shared steps. */
export interface RoleSpec {
    /** What InfluxDB means by the role: config file, service, user, checks (provider/influx). */
    node: InfluxNode;
    /** Component name for messages, e.g. "DataNodeTls data1". */
    label: string;
    /** The role's keys, once the paths the config names are known. */
    edits(files: NodeTlsFiles, material: CertificateMaterial): TomlEdit[];
}

/** The built node: its config resource and facts for outputs. */
export interface BuiltNode {
    config: TomlSettings;
    hostname: pulumi.Output<string>;
    material: CertificateMaterial;
    certificateSha256Fingerprint: pulumi.Output<string | undefined>;
    notAfter: pulumi.Output<string | undefined>;
    verified: pulumi.Output<boolean>;
}

function extraEditsProblems(spec: RoleSpec, extra: TomlEdit[], version: string | undefined): string[] {
    return [
        ...guideErrata(spec.node.role, extra).map((p) => `${spec.label}: extraEdits: ${p}`),
        ...(version === undefined ? [] : keysUnknownToVersion(spec.node.role, extra, version).map((p) => `${spec.label}: extraEdits: ${p}`)),
    ];
}

/** The role's own keys checked against the release (a wrong combination of arguments, e.g. internode TLS on 1.6). */
function roleKeyProblems(spec: RoleSpec, edits: TomlEdit[], version: string | undefined): string[] {
    return version === undefined ? [] : keysUnknownToVersion(spec.node.role, edits, version).map((p) => `${spec.label}: ${p}`);
}

/**
 * The guide's steps for one node, shared by the meta and data node components: certificate →
 * files with the right owner and mode → config keys → restart → verify. The config resource
 * depends on the files, so destroy reverts the config and restarts on HTTP *before* the
 * files are removed.
 */
export function buildNodeTls(parent: pulumi.ComponentResource, name: string, args: NodeTlsArgs, spec: RoleSpec,
    after?: pulumi.ComponentResourceOptions["dependsOn"]): BuiltNode {
    const { chosen, problems: certificateProblems } = checkCertificate(spec.label, args.certificate);
    const problems = [
        ...certificateProblems,
        // Files already on the host are not installed, so remote.Command's pin rules do not apply.
        ...connectionProblems(spec.label, args.connection, args.fileInstaller === "command" && chosen?.kind !== "onHost"),
        ...(args.version === undefined ? [] : versionProblems(spec.label, args.version)),
        ...extraEditsProblems(spec, Array.isArray(args.extraEdits) ? args.extraEdits : [], args.version),
        // The role's keys do not depend on the paths, so placeholder paths tell which keys there are.
        ...(chosen ? roleKeyProblems(spec, spec.edits({ cert: "/c", key: "/k" }, { bundle: false, selfSigned: chosen.kind === "selfSigned" }), args.version) : []),
        ...serviceArgProblems(spec.label, args),
        ...fileArgProblems(spec.label, args),
        ...preflightArgProblems(spec.label, args, chosen),
    ];
    // Which files there are depends on the certificate's source: none to check without one,
    // and files already on the host are not installed.
    const specs = chosen && nodeFiles(fileLayout(chosen), spec.node.serviceUser, args);
    if (specs && chosen?.kind !== "onHost") {
        problems.push(
            ...fileSpecProblems(`${spec.label}: certificate file`, specs.cert),
            ...fileSpecProblems(`${spec.label}: private key file`, specs.key),
            ...fileSpecProblems(`${spec.label}: CA file`, specs.ca),
            ...(specs.systemCa ? fileSpecProblems(`${spec.label}: systemTrustCaPath`, specs.systemCa) : []),
        );
    }
    // A provided certificate given as plain text is checked now, with the other arguments;
    // one given as an Output (e.g. a secret key) is checked once it resolves (resolveCertificate).
    const plain = chosen?.kind === "provided" && problems.length === 0 ? plainProvided(chosen.args, args.hostname ?? args.connection.host) : undefined;
    if (plain) {
        problems.push(...providedCertificateProblems(spec.label, plain.hostname, plain.pems));
    }
    if (problems.length > 0 || chosen === undefined || specs === undefined) {
        throw refusal(problems.join("\n"), parent);
    }
    const sudo = args.sudo ?? (args.connection.sudo === true);
    const hostname = pulumi.output(args.hostname ?? args.connection.host);
    const opts = { parent };
    const material = resolveCertificate(spec.label, name, chosen, hostname, spec.node.extraDnsNames, opts,
        args.minValidityDays ?? DEFAULT_MIN_VALIDITY_DAYS);

    const files: ComponentFile[] = [];
    if (material.certPem !== undefined) {
        files.push({ role: "cert", ...specs.cert, content: material.certPem, secret: material.bundle, readBy: "service" });
    }
    if (material.keyPem !== undefined) {
        files.push({ role: "key", ...specs.key, content: material.keyPem, secret: true, readBy: "service" });
    }
    if (material.caPem !== undefined) {
        // (The CA file is read by the verify command, not by the service.)
        files.push({ role: "ca", ...specs.ca, content: material.caPem, secret: false, readBy: "verify" });
        if (specs.systemCa) {
            // Read by the service itself when it verifies its peers (system roots).
            files.push({ role: "system-ca", ...specs.systemCa, content: material.caPem, secret: false, readBy: "service" });
        }
    }
    // The component's own dependsOn orders its steps too (a rolling order is a chain of these):
    // children do not inherit it, so the file and config resources are given it explicitly.
    const predecessors = dependsOnList(after);
    const installed = installFiles(name, files, { connection: args.connection, sudo }, { ...opts, dependsOn: predecessors }, args.fileInstaller ?? "transaction");
    const ca = material.caPem ? specs.ca.path : undefined;
    const paths: NodePaths = material.onHostPaths
        ? { cert: material.onHostPaths.cert, key: material.onHostPaths.key ?? material.onHostPaths.cert, ca }
        : { cert: specs.cert.path, key: specs.key.path, ca };

    const facts = material.certPem ? pulumi.unsecret(material.certPem.apply(certificateFacts)) : undefined;

    // Plain extraEdits were checked above; an Output is checked once it resolves.
    const extraEdits = pulumi.output(args.extraEdits ?? []).apply((x) => {
        const late = Array.isArray(args.extraEdits) ? [] : extraEditsProblems(spec, x, args.version);
        if (late.length > 0) {
            throw refusal(late.join("\n"), parent);
        }
        return x;
    });
    const edits = pulumi.all([paths.cert, paths.key, extraEdits]).apply(([cert, key, x]) => [...spec.edits({ cert, key }, material), ...x]);
    const service = args.serviceName ?? spec.node.service;
    const trust = { caPath: paths.ca, selfSigned: material.selfSigned };
    const config = new TomlSettings(`${name}-config`, {
        connection: { ...args.connection, sudo },
        path: args.configPath ?? spec.node.configPath,
        edits,
        service: {
            restart: args.restartCommand ?? restartCommand(service),
            verify: args.verifyCommand ?? hostname.apply((h) => spec.node.verify(h, trust)),
            revertVerify: args.revertVerifyCommand ?? hostname.apply((h) => spec.node.revertVerify(h)),
            verifyTimeoutSeconds: args.verifyTimeoutSeconds,
            ...serviceProbes(service, args),
            ...(args.healthGate !== undefined ? { healthGate: args.healthGate } : {}),
        },
        restartTriggers: installed.restartTriggers,
        verifyCredentials: args.verifyCredentials,
        files: installed.managed,
        // The files as installed (managed or already on the host), checked before the config is written and the service restarted.
        preflight: {
            certificatePath: paths.cert,
            privateKeyPath: paths.key,
            hostnames: [hostname],
            minValidityDays: args.minValidityDays ?? DEFAULT_MIN_VALIDITY_DAYS,
            serviceUser: spec.node.serviceUser,
        },
    }, { parent, dependsOn: withPredecessors(installed.resources, predecessors) });

    return {
        config,
        hostname,
        material,
        certificateSha256Fingerprint: facts ? facts.sha256Fingerprint : pulumi.output(undefined),
        notAfter: facts ? facts.notAfter : pulumi.output(undefined),
        // TomlSettings only gets an id after its verify command succeeded.
        verified: config.id.apply((id) => id !== undefined && id !== ""),
    };
}

type DependsOn = pulumi.ComponentResourceOptions["dependsOn"];

/** A component's dependsOn option as a list: plain when given plainly (the usual case), else one Output. */
export function dependsOnList(d: DependsOn): pulumi.Resource[] | pulumi.Output<pulumi.Resource[]> {
    if (d === undefined) {
        return [];
    }
    if (pulumi.Resource.isInstance(d)) {
        return [d];
    }
    if (Array.isArray(d) && d.every((x) => pulumi.Resource.isInstance(x))) {
        return d as pulumi.Resource[];
    }
    // (pulumi.output keeps Resources as they are.)
    return pulumi.output(d as pulumi.Input<pulumi.Input<pulumi.Resource>[]>).apply((x) => (Array.isArray(x) ? x : [x]) as pulumi.Resource[]);
}

function withPredecessors(own: pulumi.Resource[], after: pulumi.Resource[] | pulumi.Output<pulumi.Resource[]>): pulumi.Input<pulumi.Resource[]> {
    return Array.isArray(after) ? [...own, ...after] : after.apply((a) => [...own, ...a]);
}
