/**
 * What the policies read from the resources this package registers. Dynamic resources do not
 * match `validateResourceOfType` (no static `__pulumiType`), so everything goes by the type token
 * and the raw `props` (the resource's inputs, secrets already unwrapped by the analyzer).
 * No import from the package: a policy pack must load without the package's internals.
 */

/** `TomlSettings` (provider/resources/tomlSettings.ts): one TOML file on one host. */
export const TOML_SETTINGS = "pulumi-nodejs:dynamic/influxdb-tls:TomlSettings";
/** `RemoteFile` (fileInstaller "ssh"): one file on one host. */
export const REMOTE_FILE = "pulumi-nodejs:dynamic/influxdb-tls:RemoteFile";
/** `remote.Command` of @pulumi/command (fileInstaller "command"): one file written by the package's install script. */
export const REMOTE_COMMAND = "command:remote:Command";
/** Certificates made by @pulumi/tls (selfSigned, issuedBy). */
export const TLS_CERTIFICATES = ["tls:index/selfSignedCert:SelfSignedCert", "tls:index/locallySignedCert:LocallySignedCert"];
/** The ClusterTls component (issue 10): its props carry `tlsProfile` when the component passes it on. */
export const CLUSTER_TLS = "influxdb-tls:index:ClusterTls";

/** Names a resource in a message the way a reviewer finds it: name, target and file. */
export function describe(name: string, props: Record<string, any>): string {
    const where = [typeof props.target === "string" ? props.target : undefined, typeof props.path === "string" ? props.path : undefined]
        .filter((s) => s !== undefined).join(" ");
    return where ? `${name} (${where})` : name;
}

/** One file this resource puts on a host: path, mode and (possibly unknown) text. */
export interface HostFile {
    readonly path: string;
    readonly mode: string;
    readonly content: string | undefined;
}

/** The install script's trailing arguments (provider/files/commands.ts): `pitls-write <path> <mode> <owner> <group> <expect>`. */
const INSTALL_ARGS = /pitls-write (\S+) (\S+) (\S+) (\S+) \S+$/;

/** Every file the resource writes, for the three installers. */
export function hostFiles(type: string, props: Record<string, any>): HostFile[] {
    if (type === TOML_SETTINGS && Array.isArray(props.files)) {
        const contents = known(() => (Array.isArray(props.fileContents) ? props.fileContents.map((_: unknown, i: number) => known(() => props.fileContents[i])) : []));
        return props.files.map((f: any, i: number) => ({ path: String(f.path), mode: String(f.mode), content: text(contents?.[i]) }));
    }
    if (type === REMOTE_FILE) return [{ path: String(props.path), mode: String(props.mode), content: text(known(() => props.content)) }];
    if (type === REMOTE_COMMAND) {
        const m = INSTALL_ARGS.exec(String(props.create ?? ""));
        if (m) return [{ path: unquote(m[1]), mode: unquote(m[2]), content: text(known(() => props.stdin)) }];
    }
    return [];
}

/**
 * A value that may not be known yet: during a preview, the contents of a certificate or key
 * another resource makes are unknown, and @pulumi/policy throws on reading one (which would
 * skip the whole policy for the resource). Unknown contents count as "not known"; the paths and
 * modes, always known, are still checked. `pulumi up` runs the policies again with the values.
 */
function known<T>(read: () => T): T | undefined {
    try {
        return read();
    } catch (e) {
        if ((e as Error)?.constructor?.name === "UnknownValueError") return undefined;
        throw e;
    }
}

function text(v: unknown): string | undefined {
    return typeof v === "string" ? v : undefined;
}

function unquote(s: string): string {
    return s.replace(/^'(.*)'$/, "$1");
}

/** A TOML key the resource sets: table (as in `settings`, e.g. `outputs.influxdb#0`), key, value. */
export interface SettingEntry {
    readonly table: string;
    readonly key: string;
    readonly value: unknown;
}

/** The keys the resource sets; none while they are unknown (a preview where an edit depends on another resource). */
export function settings(props: Record<string, any>): SettingEntry[] {
    return known(() => readSettings(props)) ?? [];
}

function readSettings(props: Record<string, any>): SettingEntry[] {
    const out: SettingEntry[] = [];
    const s = props.settings;
    if (!s || typeof s !== "object") return out;
    for (const [table, keys] of Object.entries(s as Record<string, unknown>)) {
        if (!keys || typeof keys !== "object") continue;
        for (const [key, value] of Object.entries(keys as Record<string, unknown>)) out.push({ table, key, value });
    }
    return out;
}

/** "[meta] https-insecure-tls" — the table as the TOML file spells it (`outputs.influxdb#0` is the first `[[outputs.influxdb]]`). */
export function keyName(e: SettingEntry): string {
    const m = /^(.*)#(\d+)$/.exec(e.table);
    return m ? `[[${m[1]}]] #${Number(m[2]) + 1} ${e.key}` : `[${e.table}] ${e.key}`;
}

/** Every argv command of the service (restart, verify, revertVerify, status, logs, healthGate.command), with its role. */
export function serviceCommands(props: Record<string, any>): { role: string; argv: string[] }[] {
    const service = props.service;
    if (!service || typeof service !== "object") return [];
    const out: { role: string; argv: string[] }[] = [];
    for (const role of ["restart", "verify", "revertVerify", "status", "logs"]) {
        if (Array.isArray(service[role])) out.push({ role: `service.${role}`, argv: service[role].map(String) });
    }
    if (service.healthGate && Array.isArray(service.healthGate.command)) {
        out.push({ role: "service.healthGate.command", argv: service.healthGate.command.map(String) });
    }
    return out;
}

/** An SSH connection and the bastions it goes through, each with where it sits ("connection", "connection.proxy"). */
export function connections(props: Record<string, any>): { where: string; connection: Record<string, any> }[] {
    const out: { where: string; connection: Record<string, any> }[] = [];
    let c = props.connection;
    let where = "connection";
    while (c && typeof c === "object") {
        out.push({ where, connection: c });
        c = c.proxy;
        where += ".proxy";
    }
    return out;
}

/** The resource types that carry an SSH connection of this package. */
export const CONNECTED_TYPES = [TOML_SETTINGS, REMOTE_FILE, REMOTE_COMMAND];
