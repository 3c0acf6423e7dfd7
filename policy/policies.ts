/**
 * The policies an organisation enforces on stacks that use pulumi-influxdb-tls. Each is a plain
 * `ResourceValidationPolicy` (tested by calling `validateResource` with what the examples
 * register); index.ts serves them as a pack.
 */
import { X509Certificate } from "node:crypto";
import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import {
    CLUSTER_TLS, CONNECTED_TYPES, REMOTE_COMMAND, TLS_CERTIFICATES, TOML_SETTINGS,
    connections, describe, hostFiles, keyName, serviceCommands, settings,
} from "./resources";

export const NO_INSECURE_TLS = "influxdb-tls-no-insecure-tls";
export const PRIVATE_KEY_MODE = "influxdb-tls-private-key-mode";
export const CERTIFICATE_VALIDITY = "influxdb-tls-certificate-validity";
export const SSH_HOST_KEY_PINNED = "influxdb-tls-ssh-host-key-pinned";
export const TLS_PROFILE = "influxdb-tls-tls-profile";

/** TOML keys that turn certificate verification off when true (meta, data and Telegraf/Kapacitor clients). */
const INSECURE_KEYS = new Set(["https-insecure-tls", "meta-insecure-tls", "data-insecure-tls", "insecure_skip_verify", "insecure-skip-verify"]);

/**
 * Command-line flags that skip certificate verification: `-unsafeSsl` (influx CLI; Go's flag
 * package takes one or two dashes and `=true`) and `--no-check-certificate` (wget) anywhere;
 * `-k`/`--insecure` after `influxd-ctl` or `curl` (also behind wrappers such as `env X=… curl`),
 * and curl's bundled short options such as `-sk`. (`-k` means something else elsewhere, e.g. journalctl.)
 */
function insecureFlag(argv: string[]): string | undefined {
    let tool: string | undefined;
    for (const a of argv) {
        if (/^--?unsafeSsl(=(true|1|t|TRUE|True))?$/.test(a) || a === "--no-check-certificate") return a;
        const base = a.split("/").pop();
        if (base === "curl" || base === "influxd-ctl") {
            tool = base;
            continue;
        }
        if (tool !== undefined && (a === "-k" || a === "--insecure" || (tool === "curl" && /^-[a-zA-Z]*k[a-zA-Z]*$/.test(a)))) return a;
    }
    return undefined;
}

const OPT_IN = `{"${NO_INSECURE_TLS}": {"allowInsecureTls": true}}`;

export const noInsecureTls: ResourceValidationPolicy = {
    name: NO_INSECURE_TLS,
    description: "No TLS without certificate verification (https-insecure-tls, meta-insecure-tls, data-insecure-tls, insecure_skip_verify, -k/-unsafeSsl verifies) unless the stack opts in.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowInsecureTls: { type: "boolean", default: false, description: "The stack accepts TLS without certificate verification (self-signed certificates, the guide's path)." },
        },
    },
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        if (args.type !== TOML_SETTINGS) return;
        if (args.getConfig<{ allowInsecureTls?: boolean }>().allowInsecureTls === true) return;
        const what = describe(args.name, args.props);
        for (const e of settings(args.props)) {
            if (INSECURE_KEYS.has(e.key) && e.value === true) {
                report(`${what}: ${keyName(e)} = true turns certificate verification off. Use certificates the clients can verify ` +
                    `(certificate: { issuedBy } or { provided: { …, caCertificatePem } }), or opt this stack in with the policy config ${OPT_IN}.`);
            }
        }
        for (const c of serviceCommands(args.props)) {
            const flag = insecureFlag(c.argv);
            if (flag !== undefined) {
                report(`${what}: ${c.role} runs "${c.argv[0]}" with ${flag}, which skips certificate verification. ` +
                    `Trust the CA instead (caCertificatePem), or opt this stack in with the policy config ${OPT_IN}.`);
            }
        }
    },
};

/** TOML keys that name a private key file. */
const PRIVATE_KEY_SETTINGS = new Set(["https-private-key", "tls_key", "ssl_key", "ssl-key", "private-key"]);

export const privateKeyMode: ResourceValidationPolicy = {
    name: PRIVATE_KEY_MODE,
    description: "Private key files are installed with mode 0600 or stricter.",
    enforcementLevel: "mandatory",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        const files = hostFiles(args.type, args.props);
        if (files.length === 0) return;
        const keyPaths = new Set(settings(args.props).filter((e) => PRIVATE_KEY_SETTINGS.has(e.key)).map((e) => String(e.value)));
        for (const f of files) {
            const isKey = keyPaths.has(f.path) || (f.content !== undefined && /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(f.content));
            if (!isKey) continue;
            const mode = parseInt(f.mode, 8);
            if (!/^0?[0-7]{3,4}$/.test(f.mode) || Number.isNaN(mode) || (mode & ~0o600) !== 0) {
                report(`${describe(args.name, args.props)}: private key file ${f.path} gets mode ${f.mode}; it must be 0600 or stricter ` +
                    `(no group or other access; InfluxDB 1.12.2+ refuses to start otherwise).`);
            }
        }
    },
};

const DAY_MS = 24 * 3600 * 1000;

export const certificateValidity: ResourceValidationPolicy = {
    name: CERTIFICATE_VALIDITY,
    description: "Certificates (made by @pulumi/tls or provided as PEM) are valid for at least minValidityDays.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minValidityDays: { type: "integer", minimum: 0, default: 14, description: "Days a certificate must still be valid (provided PEM: from now; made here: its validity period)." },
        },
    },
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        const minDays = args.getConfig<{ minValidityDays?: number }>().minValidityDays ?? 14;
        if (TLS_CERTIFICATES.includes(args.type)) {
            const hours = Number(args.props.validityPeriodHours);
            if (Number.isFinite(hours) && hours < minDays * 24) {
                report(`${args.name}: the certificate is made valid for ${hours} hours (${(hours / 24).toFixed(1)} days); ` +
                    `policy requires at least ${minDays} days (validityDays >= ${minDays}).`);
            }
            return;
        }
        const now = Date.now();
        for (const f of hostFiles(args.type, args.props)) {
            for (const pem of certificatesIn(f.content)) {
                let cert: X509Certificate;
                try {
                    cert = new X509Certificate(pem);
                } catch {
                    report(`${describe(args.name, args.props)}: ${f.path} holds a CERTIFICATE block that does not parse as X.509.`);
                    continue;
                }
                const notAfter = new Date(cert.validTo);
                const daysLeft = (notAfter.getTime() - now) / DAY_MS;
                if (daysLeft < minDays) {
                    report(`${describe(args.name, args.props)}: certificate "${cert.subject.replace(/\n/g, ", ")}" in ${f.path} expires ` +
                        `${notAfter.toISOString()} (${daysLeft < 0 ? "already expired" : `in ${daysLeft.toFixed(1)} days`}); ` +
                        `policy requires at least ${minDays} days of validity.`);
                }
            }
        }
    },
};

function certificatesIn(content: string | undefined): string[] {
    if (content === undefined) return [];
    return content.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}

export const sshHostKeyPinned: ResourceValidationPolicy = {
    name: SSH_HOST_KEY_PINNED,
    description: "Every SSH connection (and bastion) pins the host key: a hostKey is given and insecureIgnoreHostKey is not set.",
    enforcementLevel: "mandatory",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        if (!CONNECTED_TYPES.includes(args.type)) return;
        for (const { where, connection } of connections(args.props)) {
            const host = `${connection.host ?? "?"}${connection.port ? `:${connection.port}` : ""}`;
            if (connection.insecureIgnoreHostKey === true) {
                report(`${args.name}: ${where} to ${host} sets insecureIgnoreHostKey, so any host key is accepted (a man in the middle gets the key files). Pin it with hostKey ("SHA256:…" or the public key line).`);
            } else if (typeof connection.hostKey !== "string" || connection.hostKey.trim() === "") {
                const detail = args.type === REMOTE_COMMAND ? "@pulumi/command accepts any host key without it" : "the connection cannot be checked";
                report(`${args.name}: ${where} to ${host} pins no host key (${detail}). Give hostKey ("SHA256:…" or the public key line).`);
            }
        }
    },
};

/** TLS profiles from weakest to strongest (issue 10: "default" leaves [tls] alone). */
const PROFILES = ["default", "modern", "fips"];
/** `[tls] min-version` values InfluxDB 1.x accepts, weakest first. */
const TLS_VERSIONS = ["tls1.0", "tls1.1", "tls1.2", "tls1.3"];

export const tlsProfile: ResourceValidationPolicy = {
    name: TLS_PROFILE,
    description: "ClusterTls uses a tlsProfile of at least \"modern\"; no node config allows TLS below 1.2; with requireOnEveryNode, every InfluxDB node config sets [tls] min-version.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minimumProfile: { type: "string", enum: ["modern", "fips"], default: "modern", description: "The weakest tlsProfile ClusterTls may use." },
            requireOnEveryNode: { type: "boolean", default: false, description: "Every meta/data node config must set [tls] min-version (tls1.2 or later), also outside ClusterTls." },
        },
    },
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        const config = args.getConfig<{ minimumProfile?: string; requireOnEveryNode?: boolean }>();
        const minimum = config.minimumProfile ?? "modern";
        if (args.type === CLUSTER_TLS) {
            const profile = args.props.tlsProfile ?? "default";
            if (PROFILES.indexOf(String(profile)) < PROFILES.indexOf(minimum)) {
                report(`${args.name}: tlsProfile is "${profile}"; policy requires "${minimum}" or stronger (${PROFILES.slice(PROFILES.indexOf(minimum)).map((p) => `"${p}"`).join(" or ")}).`);
            }
            return;
        }
        if (args.type !== TOML_SETTINGS) return;
        const tls = settings(args.props).filter((e) => e.table === "tls");
        const minVersion = tls.find((e) => e.key === "min-version");
        const what = describe(args.name, args.props);
        if (minVersion !== undefined) {
            const i = TLS_VERSIONS.indexOf(String(minVersion.value).toLowerCase());
            if (i >= 0 && i < TLS_VERSIONS.indexOf("tls1.2")) {
                report(`${what}: [tls] min-version = "${minVersion.value}" allows TLS below 1.2; policy requires tls1.2 or later (tlsProfile "modern").`);
            }
        } else if (config.requireOnEveryNode === true && isInfluxNodeConfig(args.props)) {
            report(`${what}: no [tls] min-version is set, so the node accepts its built-in TLS versions; policy requires tlsProfile "${minimum}" ([tls] min-version = "tls1.2" and a cipher list).`);
        }
    },
};

/** A meta or data node's config (it sets [meta]/[http] keys), not Telegraf's. */
function isInfluxNodeConfig(props: Record<string, any>): boolean {
    return settings(props).some((e) => e.table === "meta" || e.table === "http" || e.table === "cluster");
}

export const policies: ResourceValidationPolicy[] = [noInsecureTls, privateKeyMode, certificateValidity, sshHostKeyPinned, tlsProfile];
