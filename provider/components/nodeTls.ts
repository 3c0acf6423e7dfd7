import * as pulumi from "@pulumi/pulumi";
import * as influx from "../influx/defaults";
import type { ConfigRole } from "../influx/errata";
import { guideErrata } from "../influx/errata";
import { TomlSettings } from "../resources/tomlSettings";
import type { TomlEdit } from "../toml/types";
import { resolveCertificate, type CertificateMaterial } from "./certificate";
import { checkCertificate } from "./certificateChoice";
import { connectionProblems } from "./connection";
import { serviceArgProblems } from "./serviceArgs";
import { fileArgProblems } from "./fileArgs";
import { fileSpecProblems, type FileSpec } from "../files";
import type { NodeTlsArgs } from "./nodeTlsArgs";
import { certificateFacts } from "./pem";
import { plainProvided, providedCertificateProblems } from "./certificateChecks";
import { refusal } from "../resources/refuse";
import { installFiles, type ComponentFile } from "./remoteFile";

/** Where the node's files end up and which config keys point at them. */
export interface NodePaths {
    cert: pulumi.Input<string>;
    key: pulumi.Input<string>;
    ca?: string;
}

/** What a role (meta node, data node) adds to the shared steps. */
export interface RoleSpec {
    role: ConfigRole;
    /** Component name for messages, e.g. "DataNodeTls data1". */
    label: string;
    configPath: string;
    serviceName: string;
    serviceUser: string;
    /** Extra DNS SANs for default names (meta: localhost). */
    extraDns: string[];
    edits(paths: NodePaths, material: CertificateMaterial): pulumi.Input<TomlEdit[]>;
    verify(hostname: pulumi.Input<string>, paths: NodePaths, material: CertificateMaterial): pulumi.Input<pulumi.Input<string>[]>;
    revertVerify(hostname: pulumi.Input<string>): pulumi.Input<pulumi.Input<string>[]>;
}

/** The built node: its config resource and facts for outputs. */
export interface BuiltNode {
    config: TomlSettings;
    hostname: pulumi.Output<string>;
    material: CertificateMaterial;
    paths: NodePaths;
    certificateSha256Fingerprint: pulumi.Output<string | undefined>;
    notAfter: pulumi.Output<string | undefined>;
    verified: pulumi.Output<boolean>;
}

function extraEditsProblems(spec: RoleSpec, extra: TomlEdit[]): string[] {
    return guideErrata(spec.role, extra).map((p) => `${spec.label}: extraEdits: ${p}`);
}

/**
 * The guide's steps for one node, shared by the meta and data node components: certificate →
 * files with the right owner and mode → config keys → restart → verify. The config resource
 * depends on the files, so destroy reverts the config and restarts on HTTP *before* the
 * files are removed.
 */
export function buildNodeTls(parent: pulumi.ComponentResource, name: string, args: NodeTlsArgs, spec: RoleSpec): BuiltNode {
    const { chosen, problems: certificateProblems } = checkCertificate(spec.label, args.certificate);
    const problems = [
        ...certificateProblems,
        // Files already on the host are not installed, so remote.Command's pin rules do not apply.
        ...connectionProblems(spec.label, args.connection, args.fileInstaller === "command" && chosen?.kind !== "onHost"),
        ...extraEditsProblems(spec, Array.isArray(args.extraEdits) ? args.extraEdits : []),
        ...serviceArgProblems(spec.label, args),
        ...fileArgProblems(spec.label, args),
    ];
    const kind = chosen?.kind;
    const bundle = chosen?.bundle ?? false;
    const kindDefaults = bundle
        ? { cert: influx.BUNDLE_PATH, key: influx.BUNDLE_PATH }
        : kind === "selfSigned"
            ? { cert: influx.SELF_SIGNED_CERT_PATH, key: influx.SELF_SIGNED_KEY_PATH }
            : { cert: influx.CA_SIGNED_CERT_PATH, key: influx.CA_SIGNED_KEY_PATH };
    const certPath = args.certificatePath ?? kindDefaults.cert;
    const keyPath = bundle ? certPath : (args.privateKeyPath ?? kindDefaults.key);
    const certFile: FileSpec = {
        path: certPath,
        // A bundle holds the key, so it gets the key's owner and mode.
        mode: bundle ? (args.privateKeyMode ?? influx.KEY_FILE_MODE) : (args.certificateMode ?? influx.CERT_FILE_MODE),
        owner: bundle ? (args.privateKeyOwner ?? spec.serviceUser) : (args.certificateOwner ?? "root"),
        group: bundle ? (args.privateKeyGroup ?? spec.serviceUser) : (args.certificateGroup ?? "root"),
    };
    const keyFile: FileSpec = {
        path: keyPath,
        mode: args.privateKeyMode ?? influx.KEY_FILE_MODE,
        owner: args.privateKeyOwner ?? spec.serviceUser,
        group: args.privateKeyGroup ?? spec.serviceUser,
    };
    const caFile: FileSpec = { path: args.caCertificatePath ?? influx.NODE_CA_PATH, mode: influx.CERT_FILE_MODE, owner: "root", group: "root" };
    // Which files there are depends on the certificate's source: none to check without one.
    problems.push(...(kind === undefined || kind === "onHost" ? [] : [
        ...fileSpecProblems(`${spec.label}: certificate file`, certFile),
        ...fileSpecProblems(`${spec.label}: private key file`, keyFile),
        ...fileSpecProblems(`${spec.label}: CA file`, caFile),
    ]));
    // A provided certificate given as plain text is checked now, with the other arguments;
    // one given as an Output (e.g. a secret key) is checked once it resolves (resolveCertificate).
    const plain = chosen?.kind === "provided" && problems.length === 0 ? plainProvided(chosen.args, args.hostname ?? args.connection.host) : undefined;
    if (plain) {
        problems.push(...providedCertificateProblems(spec.label, plain.hostname, plain.pems));
    }
    if (problems.length > 0 || chosen === undefined) {
        throw refusal(problems.join("\n"), parent);
    }
    const sudo = args.sudo ?? (args.connection.sudo === true);
    const hostname = pulumi.output(args.hostname ?? args.connection.host);
    const opts = { parent };
    const material = resolveCertificate(spec.label, name, chosen, hostname, spec.extraDns, opts);

    const files: ComponentFile[] = [];
    if (material.certPem !== undefined) {
        files.push({ role: "cert", ...certFile, content: material.certPem, secret: material.bundle, readBy: "service" });
    }
    if (material.keyPem !== undefined) {
        files.push({ role: "key", ...keyFile, content: material.keyPem, secret: true, readBy: "service" });
    }
    if (material.caPem !== undefined) {
        // (The CA file is read by the verify command, not by the service.)
        files.push({ role: "ca", ...caFile, content: material.caPem, secret: false, readBy: "verify" });
    }
    const installed = installFiles(name, files, { connection: args.connection, sudo }, opts, args.fileInstaller ?? "transaction");
    const paths: NodePaths = material.onHostPaths
        ? { cert: material.onHostPaths.cert, key: material.onHostPaths.key ?? material.onHostPaths.cert, ca: material.caPem ? caFile.path : undefined }
        : { cert: certPath, key: keyPath, ca: material.caPem ? caFile.path : undefined };

    const facts = material.certPem ? pulumi.unsecret(material.certPem.apply(certificateFacts)) : undefined;

    // Plain extraEdits were checked above; an Output is checked once it resolves.
    const extraEdits = pulumi.output(args.extraEdits ?? []).apply((x) => {
        const late = Array.isArray(args.extraEdits) ? [] : extraEditsProblems(spec, x);
        if (late.length > 0) {
            throw refusal(late.join("\n"), parent);
        }
        return x;
    });
    const edits = pulumi.all([pulumi.output(spec.edits(paths, material)), extraEdits]).apply(([e, x]) => [...e, ...x]);
    const config = new TomlSettings(`${name}-config`, {
        connection: { ...args.connection, sudo },
        path: args.configPath ?? spec.configPath,
        edits,
        service: {
            restart: args.restartCommand ?? influx.restartCommand(args.serviceName ?? spec.serviceName),
            verify: args.verifyCommand ?? spec.verify(hostname, paths, material),
            revertVerify: args.revertVerifyCommand ?? spec.revertVerify(hostname),
            verifyTimeoutSeconds: args.verifyTimeoutSeconds,
            ...influx.serviceProbes(args.serviceName ?? spec.serviceName, args),
        },
        restartTriggers: installed.restartTriggers,
        verifyCredentials: args.verifyCredentials,
        files: installed.managed,
    }, { parent, dependsOn: installed.resources });

    return {
        config,
        hostname,
        material,
        paths,
        certificateSha256Fingerprint: facts ? facts.sha256Fingerprint : pulumi.output(undefined),
        notAfter: facts ? facts.notAfter : pulumi.output(undefined),
        // TomlSettings only gets an id after its verify command succeeded.
        verified: config.id.apply((id) => id !== undefined && id !== ""),
    };
}
