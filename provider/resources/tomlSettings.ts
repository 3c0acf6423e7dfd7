import * as pulumi from "@pulumi/pulumi";
import { assertLoadableByEngine } from "./linkedCheckout";
import { editsToSettings } from "../providers/tomlSettings/settings";
import { tomlSettingsProvider } from "./providerInstances";
import { SCHEMA_VERSION, type ManagedFile, type SettingsMap } from "../providers/tomlSettings/types";
import type { TomlEdit, TomlUndo } from "../toml/types";
import { refusal } from "./refuse";
import { connectionTarget, type SshConnectionArgs } from "./connectionArgs";

/** How to restart and verify the service that reads the file. Commands are argv arrays (never shell strings). */
export interface ServiceArgs {
    /** Restart command, e.g. `["systemctl", "restart", "influxdb"]`. */
    readonly restart: pulumi.Input<pulumi.Input<string>[]>;
    /** Exits 0 once the service works with the settings applied; retried until the timeout. No check when omitted. */
    readonly verify?: pulumi.Input<pulumi.Input<string>[]>;
    /** Exits 0 once the service works with the settings reverted (after a rollback and on delete). No check when omitted. */
    readonly revertVerify?: pulumi.Input<pulumi.Input<string>[]>;
    /** Seconds to keep retrying a verify command. Defaults to 30. */
    readonly verifyTimeoutSeconds?: pulumi.Input<number>;
    /**
     * Exits 0 while the service runs, non-zero once it has exited, e.g. `["systemctl", "is-active", "influxdb"]`:
     * a failed verify attempt ends verification at once when the service has exited. No check when omitted.
     */
    readonly status?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Prints the tail of the service's log, e.g. `["journalctl", "-u", "influxdb", "-n", "20", "--no-pager", "-o", "cat"]`;
     * its output goes into the error when verification fails. None when omitted.
     */
    readonly logs?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Cluster health, checked after `verify` passes on create and update (never on delete, nor
     * after a rollback): the command is retried until every expected node is listed as
     * reachable, or `timeoutSeconds` pass — then the apply fails and is rolled back like a
     * failed verify. None when omitted.
     */
    readonly healthGate?: pulumi.Input<HealthGateArgs>;
}

/**
 * Checks on the host, in the same SSH connection, after the transaction's files are written and
 * before the config is written or the service restarted. Any failure: files rolled back, config
 * untouched, no restart, an error naming host, file and check. Fixed rules besides the arguments:
 * the key matches the certificate; the key's mode is at most 0600 and the certificate's at most
 * 0644 (a combined .pem — or any certificate file holding a private key — is held to the key's
 * rule). Read with Node's crypto (X509Certificate, createPrivateKey) from bytes read over SSH;
 * key bytes are never in an error, a log line, argv or state.
 */
export interface PreflightArgs {
    /** The certificate file as installed (a managed file, or one already on the host). */
    readonly certificatePath: pulumi.Input<string>;
    /** The private key file; may equal certificatePath (combined .pem). */
    readonly privateKeyPath: pulumi.Input<string>;
    /** Names clients use for the node: each must be covered by a subjectAltName (DNS or IP; the CN does not count). */
    readonly hostnames: pulumi.Input<pulumi.Input<string>[]>;
    /** The certificate must be valid now and for at least this many days (0: valid now). */
    readonly minValidityDays: pulumi.Input<number>;
    /** The user the service runs as: must be able to read both files (checked as that user on the host). */
    readonly serviceUser: pulumi.Input<string>;
}

/** A TOML key named like TomlEdit does: table path, array-of-tables index (default 0), key. */
export interface TomlKeyArgs {
    /** Dotted table path, e.g. "http" ("" = root). */
    readonly table: string;
    /** Entry of an array of tables. Defaults to 0. */
    readonly index?: number;
    /** The key, e.g. "https-enabled". */
    readonly key: string;
}

/** Cluster health, checked after `verify` passes, retried until timeoutSeconds. */
export interface HealthGateArgs {
    /** argv run on the host, e.g. ["influxd-ctl", "-bind-tls", "-bind", "meta1.example:8091", "show"]. Its output is read as `influxd-ctl show`'s. */
    readonly command: pulumi.Input<pulumi.Input<string>[]>;
    /** HTTP addresses ("host:port") of every meta and data node that the output must list as reachable (a Version other than `unknown`). */
    readonly expectNodes: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * "always", or "protocolUnchanged": skipped when this apply changes the value of one of
     * `protocolKeys` (the node switches HTTP <-> HTTPS, when peers still on the other protocol
     * cannot be reached).
     */
    readonly when: pulumi.Input<"always" | "protocolUnchanged">;
    /** The keys whose change means a protocol switch (required with "protocolUnchanged"), e.g. `{ table: "http", key: "https-enabled" }`. */
    readonly protocolKeys?: pulumi.Input<pulumi.Input<TomlKeyArgs>[]>;
    /** Seconds to keep retrying the command. Defaults to 600 (data nodes with many shards take minutes to start). */
    readonly timeoutSeconds?: pulumi.Input<number>;
    /**
     * Where `command` runs when not on the resource's own host: influxd-ctl ships with the meta
     * nodes only, so a data node's gate runs on a meta node (ClusterTls). Stored as the secret
     * input `healthGateConnection`, never inside the plain `service`. Defaults to the resource's
     * connection. (An addition to INTERFACES.md §A.)
     */
    readonly connection?: pulumi.Input<SshConnectionArgs>;
}

/**
 * User and password for the verify commands of an auth-enabled service. Stored as a secret;
 * sent on the verify command's stdin to a constant wrapper that sets INFLUX_USERNAME and
 * INFLUX_PASSWORD (read by the `influx` CLI) and runs the command — never in argv, `ps` or errors.
 */
export interface VerifyCredentialsArgs {
    /** User name (INFLUX_USERNAME). */
    readonly username: pulumi.Input<string>;
    /** Password (INFLUX_PASSWORD). */
    readonly password: pulumi.Input<string>;
}

/** A file the TOML file references (certificate, key, CA file), written in the same transaction as the keys. */
export interface ManagedFileArgs {
    /** Absolute path on the host. */
    readonly path: pulumi.Input<string>;
    /** Octal mode, e.g. "0600". */
    readonly mode: pulumi.Input<string>;
    /** Owner: a user name or numeric id. */
    readonly owner: pulumi.Input<string>;
    /** Group: a group name or numeric id. */
    readonly group: pulumi.Input<string>;
    /** The file's text. Stored as a secret whatever it is (a private key is one of them). */
    readonly content: pulumi.Input<string>;
}

/** Arguments of TomlSettings: which keys of which TOML file on which host, and the service that reads it. */
export interface TomlSettingsArgs {
    /** SSH connection to the host (stored as a secret). */
    readonly connection: pulumi.Input<SshConnectionArgs>;
    /** Absolute path of the TOML file on the host, e.g. "/etc/influxdb/influxdb.conf". */
    readonly path: pulumi.Input<string>;
    /** Keys to set, per table. Keys not named here are never touched. */
    readonly edits: pulumi.Input<TomlEdit[]>;
    /** Service to restart when the file changes, and how to verify it. No restart when omitted. */
    readonly service?: pulumi.Input<ServiceArgs>;
    /**
     * Values whose change restarts (and verifies) the service even when the file itself does
     * not change, e.g. `{ certificate: sha256OfCert }` so a rotated certificate is picked up.
     */
    readonly restartTriggers?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Credentials for `service.verify` / `revertVerify` on an auth-enabled service (a secret). No credentials when omitted. */
    readonly verifyCredentials?: pulumi.Input<VerifyCredentialsArgs>;
    /**
     * Files the TOML file references, moved in the same all-or-nothing step as the keys: each is
     * written (its previous version kept) before the TOML file, and when the restart or verify
     * fails, every file and the TOML file go back together. A changed content, path, owner or
     * mode is an update; destroy puts every file back as it was before (removed when it did not
     * exist). `pulumi preview --diff` shows `files` (paths, owners, modes) and a masked `fileContents`.
     */
    readonly files?: pulumi.Input<pulumi.Input<ManagedFileArgs>[]>;
    /**
     * Checks of the installed certificate and key on the host before the config is written and
     * the service restarted (see PreflightArgs). Create and update only. None when omitted.
     */
    readonly preflight?: pulumi.Input<PreflightArgs>;
}

/** Outputs stored encrypted whatever the inputs: they carry (or hash) the file's text. */
const SECRET_OUTPUTS = ["undo", "fileSha256", "originalSha256", "fileContents", "filePriors"];

/**
 * Sets keys in a TOML file on a host over SSH, restarts and verifies the service, and on
 * destroy puts the file back (byte for byte where nobody else touched it).
 *
 * `pulumi preview --diff` shows each key as `settings.<table>.<key>`; a change of host, port
 * or path replaces the resource (the old file is reverted first).
 */
export class TomlSettings extends pulumi.dynamic.Resource {
    /** "user@host:port" the file lives on. */
    declare public readonly target: pulumi.Output<string>;
    /** Absolute path of the TOML file on the host. */
    declare public readonly path: pulumi.Output<string>;
    /** Managed keys per table as last applied (after a refresh: as found on the host). */
    declare public readonly settings: pulumi.Output<SettingsMap>;
    /** How to revert the managed keys (plain JSON; a secret: it holds the managed lines' old and new text). */
    declare public readonly undo: pulumi.Output<TomlUndo>;
    /** SHA-256 of the file after the last apply (a secret, as the file may hold secrets). */
    declare public readonly fileSha256: pulumi.Output<string>;
    /** SHA-256 of the file before this resource first changed it (a secret). */
    declare public readonly originalSha256: pulumi.Output<string>;
    /** Whether the last create/update wrote the file. */
    declare public readonly written: pulumi.Output<boolean>;
    /** Whether the last create/update restarted the service. */
    declare public readonly restarted: pulumi.Output<boolean>;
    /**
     * Whether the service passed its verify command when last checked (create, update, refresh).
     * False after a failed operation that could not put the node back in a verified state, or a
     * refresh that found the service not answering; the next `up` then restarts and verifies it.
     */
    declare public readonly healthy: pulumi.Output<boolean>;
    /**
     * With `service.healthGate`: what the gate did in the last create/update — "passed",
     * "skipped (protocol change)" or "not run (no restart)".
     */
    declare public readonly healthGateResult: pulumi.Output<string | undefined>;
    /** The managed files' paths, owners and modes. */
    declare public readonly files: pulumi.Output<ManagedFile[] | undefined>;

    constructor(name: string, args: TomlSettingsArgs, opts?: pulumi.CustomResourceOptions) {
        assertLoadableByEngine();
        const settings = pulumi.output(args.edits).apply((edits) => {
            try {
                return editsToSettings(edits);
            } catch (e) {
                throw refusal(`TomlSettings ${name}: ${(e as Error).message}`, undefined);
            }
        });
        // Paths, owners and modes stay reviewable; the contents are secret as a whole.
        const files = args.files === undefined ? undefined : pulumi.output(args.files);
        const { service, gateConnection } = splitGateConnection(args.service);
        super(tomlSettingsProvider(), name, {
            schemaVersion: SCHEMA_VERSION,
            connection: pulumi.secret(args.connection),
            target: connectionTarget(args.connection),
            path: args.path,
            settings,
            service,
            // The gate's own connection carries credentials: stored encrypted, apart from the reviewable service commands.
            healthGateConnection: gateConnection === undefined ? undefined : pulumi.secret(gateConnection),
            restartTriggers: args.restartTriggers,
            verifyCredentials: args.verifyCredentials === undefined ? undefined : pulumi.secret(args.verifyCredentials),
            preflight: args.preflight,
            files: files && pulumi.unsecret(files.apply((fs) => fs.map((f): ManagedFile => ({ path: f.path, mode: f.mode, owner: f.owner, group: f.group })))),
            fileContents: files && pulumi.secret(files.apply((fs) => fs.map((f) => f.content))),
            filePriors: undefined,
            undo: undefined,
            fileSha256: undefined,
            originalSha256: undefined,
            written: undefined,
            restarted: undefined,
            healthy: undefined,
            healthGateResult: undefined,
        }, {
            ...opts,
            // `undo` holds the old and new text of every managed line, so a secret set through the
            // edits (or one already in the file) would sit in it in plain text; the file hashes are
            // hashes of text that holds such secrets. `settings` needs nothing here: the engine
            // re-marks it secret whenever its input is (same name).
            additionalSecretOutputs: [...new Set([...(opts?.additionalSecretOutputs ?? []), ...SECRET_OUTPUTS])],
        }, "influxdb-tls", "TomlSettings");
    }
}

/**
 * Moves `service.healthGate.connection` (credentials) out of `service` (plain, reviewable
 * commands). Given as Outputs, the service is unwrapped whole and, if the connection holds a
 * secret, becomes a secret as a whole: never a key in plain text.
 */
function splitGateConnection(s: pulumi.Input<ServiceArgs> | undefined):
    { service: pulumi.Input<ServiceArgs> | undefined; gateConnection?: pulumi.Input<SshConnectionArgs> } {
    if (s === undefined || pulumi.Output.isInstance(s) || isPromise(s)) {
        return { service: s };
    }
    const gate = (s as ServiceArgs).healthGate;
    if (gate === undefined || pulumi.Output.isInstance(gate) || isPromise(gate)) {
        return { service: s };
    }
    const { connection, ...rest } = gate as HealthGateArgs;
    return connection === undefined ? { service: s } : { service: { ...(s as ServiceArgs), healthGate: rest }, gateConnection: connection };
}

function isPromise(v: unknown): boolean {
    return typeof (v as { then?: unknown } | undefined)?.then === "function";
}
