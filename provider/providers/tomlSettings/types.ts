import type { SshConnection } from "../../ssh/types";
import type { TomlUndo, TomlValue } from "../../toml/types";

/**
 * The table → key → value map stored as the resource's `settings` input. Shaped for
 * reviewers: `pulumi preview --diff` shows `settings.http.https-enabled: false => true`.
 * Keys are table paths ("http", "outputs.influxdb"); an array-of-tables entry other than the
 * first is written "outputs.influxdb#2"; the root table is "(root)".
 */
export type SettingsMap = Record<string, Record<string, TomlValue>>;

/** How to restart and check the service that reads the file. Commands are argv arrays. */
export interface ServiceSpec {
    /** Restart command, e.g. ["systemctl", "restart", "influxdb"]. */
    restart: string[];
    /** Command that exits 0 once the service works with the new settings; retried until the timeout. */
    verify?: string[];
    /**
     * Command that exits 0 once the service works with the settings reverted (used after a
     * rollback and by delete), e.g. a plain-HTTP `influx -execute 'SHOW DATABASES'`.
     */
    revertVerify?: string[];
    /** Seconds to keep retrying verify commands. Defaults to 30. */
    verifyTimeoutSeconds?: number;
    /**
     * Command that exits 0 while the service runs and non-zero once it has stopped or exited,
     * e.g. ["systemctl", "is-active", "influxdb"]. Checked after each failed verify attempt: a
     * service that has exited ends verification at once (no waiting out the timeout). Output
     * "activating" or "reloading" counts as still starting; exit 126/127 (no such command) is ignored.
     */
    status?: string[];
    /**
     * Command printing the tail of the service's log, e.g.
     * ["journalctl", "-u", "influxdb", "-n", "20", "--no-pager", "-o", "cat"]. Its output goes into
     * the error when verification fails, so the cause (`permission denied`, `tls: private key does
     * not match public key`) is shown instead of a retry count.
     */
    logs?: string[];
    /** Cluster health after verify passed, on create and update only (healthGate.ts). */
    healthGate?: HealthGateSpec;
    /** Set by the provider from the secret `verifyCredentials` input while an operation runs; never stored here. */
    verifyCredentials?: VerifyCredentials;
}

/** A TOML key as TomlEdit names it. */
export interface TomlKeyName {
    table: string;
    index?: number;
    key: string;
}

/** Cluster health, checked after verify passes (resources/tomlSettings.ts HealthGateArgs). */
export interface HealthGateSpec {
    /** Set by the provider from the secret `healthGateConnection` input while an operation runs; never stored here. */
    connection?: SshConnection;
    /** argv whose output is `influxd-ctl show`'s. */
    command: string[];
    /** "host:port" HTTP addresses that must be listed with a Version other than `unknown`. */
    expectNodes: string[];
    when: "always" | "protocolUnchanged";
    protocolKeys?: TomlKeyName[];
    /** Defaults to DEFAULT_HEALTH_GATE_TIMEOUT_SECONDS. */
    timeoutSeconds?: number;
}

/** Checks of the installed certificate and key before the config is written (preflight.ts). */
export interface PreflightSpec {
    certificatePath: string;
    privateKeyPath: string;
    hostnames: string[];
    minValidityDays: number;
    serviceUser: string;
}

/** User and password for verify commands on auth-enabled services (stdin → INFLUX_USERNAME / INFLUX_PASSWORD). */
export interface VerifyCredentials {
    username: string;
    password: string;
}

/** A file the config references (certificate, key, CA file), written in the config's transaction. */
export interface ManagedFile {
    /** Absolute path on the host. */
    path: string;
    /** Octal mode, e.g. "0600". */
    mode: string;
    /** Owner: a user name or numeric id. */
    owner: string;
    /** Group: a group name or numeric id. */
    group: string;
}

/** A managed file as it was before the resource first wrote it: destroy puts it back. */
export interface FilePrior {
    /** Base64 of its bytes; null: it did not exist (destroy removes it). */
    content: string | null;
    mode?: string;
    owner?: string;
    group?: string;
}

/** The provider's inputs, as the engine hands them over (plain values, no Outputs). */
export interface TomlSettingsInputs {
    /** Version of the state layout, so later releases can read what this one stored. */
    schemaVersion: number;
    connection: SshConnection;
    /** "user@host:port", shown to reviewers (the connection itself is secret). */
    target: string;
    path: string;
    settings: SettingsMap;
    service?: ServiceSpec;
    /** Changing any value restarts (and verifies) the service even when the file is unchanged. */
    restartTriggers?: Record<string, string>;
    /** Credentials for the verify commands (a secret input; see verifyCredentials.ts). */
    verifyCredentials?: VerifyCredentials;
    /**
     * Files the config references, moved in the same all-or-nothing step as its keys: written
     * before the config, put back with it when the restart or verify fails.
     */
    files?: ManagedFile[];
    /** Their contents, index by index (a secret input: a private key is one of them). */
    fileContents?: string[];
    /** Checks of the installed certificate and key before the config is written and the service restarted. */
    preflight?: PreflightSpec;
    /** Where the health gate's command runs when not on this host (a secret input: a data node's gate runs on a meta node). */
    healthGateConnection?: SshConnection;
}

/** What is stored in state: the inputs plus what is needed to revert. */
export interface TomlSettingsOutputs extends TomlSettingsInputs {
    /** How to put the managed keys back (plain JSON). */
    undo: TomlUndo;
    /** SHA-256 of the file as the provider last wrote or found it. */
    fileSha256: string;
    /** SHA-256 of the file before this resource first changed it. */
    originalSha256: string;
    /** Whether the last create/update wrote the file. */
    written: boolean;
    /** Whether the last create/update restarted the service. */
    restarted: boolean;
    /**
     * Whether the service passed its verify command the last time the provider checked (create,
     * update, refresh). False after an operation that failed and could not put the node back in
     * a verified state, or when a refresh finds the service not answering: the next update then
     * restarts and verifies it. Absent in state written before this field existed (= true).
     */
    healthy?: boolean;
    /**
     * Every managed file (by path) as it was before this resource first wrote it — also the
     * paths a failed update may have left written — for destroy to put back. A secret.
     */
    filePriors?: Record<string, FilePrior>;
    /**
     * With `service.healthGate`: what the gate did in the last create/update — "passed",
     * "skipped (protocol change)" or "not run (no restart)". Absent without a gate.
     */
    healthGateResult?: string;
}

export const SCHEMA_VERSION = 1;
export const DEFAULT_VERIFY_TIMEOUT_SECONDS = 30;
export const DEFAULT_HEALTH_GATE_TIMEOUT_SECONDS = 600;
