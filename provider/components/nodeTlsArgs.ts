import type * as pulumi from "@pulumi/pulumi";
import type { SshConnectionArgs } from "../resources/connectionArgs";
import type { HealthGateArgs, VerifyCredentialsArgs } from "../resources/tomlSettings";
import type { TomlEdit } from "../toml/types";
import type { CertificateArgs } from "./certificateArgs";
import type { FileInstaller } from "./fileInstall";

/** Arguments every node component (meta node, data node) shares. */
export interface NodeTlsArgs {
    /**
     * SSH connection to the node. The host key must be pinned with the public key line
     * ("ssh-ed25519 AAAA…", as `ssh-keyscan` prints it after the host name), which both the
     * file installs and the config edits check, unless `insecureIgnoreHostKey` is true.
     */
    readonly connection: SshConnectionArgs;
    /** The name clients use for this node (URLs, default SANs, verification). Defaults to `connection.host`. */
    readonly hostname?: pulumi.Input<string>;
    /** Where the certificate comes from: exactly one of selfSigned, provided, onHost, issuedBy. */
    readonly certificate: CertificateArgs;
    /**
     * Certificate path on the host. Defaults to the guide's names: /etc/ssl/influxdb-selfsigned.crt
     * (self-signed), /etc/ssl/influxdb.pem (bundle), /etc/ssl/influxdb.crt (otherwise).
     */
    readonly certificatePath?: string;
    /** Private key path. Defaults to /etc/ssl/influxdb-selfsigned.key (self-signed) or /etc/ssl/influxdb.key. */
    readonly privateKeyPath?: string;
    /** Where the CA certificate is installed on the node so verification trusts it (when a CA is known). Defaults to /etc/ssl/influxdb-ca.pem. */
    readonly caCertificatePath?: string;
    /**
     * Also install the CA (when one is known) at this path of the host's system trust directory,
     * e.g. /etc/ssl/certs/influxdb-tls-ca.pem: InfluxDB verifies its cluster peers against the
     * system roots, and Go reads every file in /etc/ssl/certs. Removed again on destroy. Not set
     * by default on a single node; ClusterTls sets it for a private CA (`trustCaSystemWide`).
     */
    readonly systemTrustCaPath?: string;
    /** Certificate file owner. Defaults to "root". */
    readonly certificateOwner?: string;
    /** Certificate file group. Defaults to "root". */
    readonly certificateGroup?: string;
    /** Certificate file mode. Defaults to "0644". */
    readonly certificateMode?: string;
    /**
     * Private key file owner. Defaults to the service user ("influxdb"): the guide's
     * `root:root 600` leaves the key unreadable and influxd exits with "permission denied".
     */
    readonly privateKeyOwner?: string;
    /** Private key file group. Defaults to the service user's group ("influxdb"). */
    readonly privateKeyGroup?: string;
    /** Private key file mode. Defaults to "0600" (InfluxDB 1.12.3+ refuses looser keys). */
    readonly privateKeyMode?: string;
    /** Configuration file. Defaults to the role's (/etc/influxdb/influxdb-meta.conf or /etc/influxdb/influxdb.conf). */
    readonly configPath?: string;
    /** systemd service name. Defaults to the role's ("influxdb-meta" or "influxdb"). */
    readonly serviceName?: string;
    /** Restart command (argv). Defaults to `systemctl restart <serviceName>` (never `start`: guide erratum 3). */
    readonly restartCommand?: string[];
    /** Command proving HTTPS works (argv). Defaults to the role's (`influxd-ctl … -bind-tls [-k] show`, `influx -ssl [-unsafeSsl] …`). */
    readonly verifyCommand?: pulumi.Input<pulumi.Input<string>[]>;
    /** Command proving plain HTTP works again after destroy (argv). Defaults to the role's HTTP check. */
    readonly revertVerifyCommand?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * User and password for the verify commands when the node has authentication on
     * (`[http] auth-enabled`). Stored as a secret and given to the verify command as
     * INFLUX_USERNAME / INFLUX_PASSWORD (read by `influx`), through its stdin: never in argv,
     * so never in `ps` or an error. (`influxd-ctl` does not read these variables.) Defaults to none.
     */
    readonly verifyCredentials?: pulumi.Input<VerifyCredentialsArgs>;
    /** Seconds to keep retrying the verify command after a restart. Defaults to 30. */
    readonly verifyTimeoutSeconds?: number;
    /**
     * Exits 0 while the service runs, non-zero once it has exited (argv): a failed verify attempt
     * then ends verification at once instead of retrying until the timeout. Defaults to
     * `systemctl is-active <serviceName>` unless restartCommand is given (then none).
     */
    readonly statusCommand?: string[];
    /**
     * Prints the tail of the service's log (argv); its output goes into the error when
     * verification fails. Defaults to `journalctl -u <serviceName> -n 20 --no-pager -o cat`
     * unless restartCommand is given (then none).
     */
    readonly logCommand?: string[];
    /**
     * Further keys to set in the same file (checked against the guide's misspellings and wrong
     * sections). May be an Output: give a secret (`pulumi.secret([...])`, or
     * `cfg.requireSecret("s").apply((s) => [{ table: "meta", set: { "shared-secret": s } }])`)
     * and the settings, and everything derived from them, are stored encrypted.
     */
    readonly extraEdits?: pulumi.Input<TomlEdit[]>;
    /**
     * How the certificate files are installed (see FileInstaller): "transaction" — by the
     * config's resource, in the same all-or-nothing step as its keys (the default); "command"
     * (one @pulumi/command `remote.Command` per file) or "ssh" (one `RemoteFile` per file):
     * separate resources, which a failed restart cannot roll back.
     */
    readonly fileInstaller?: FileInstaller;
    /**
     * Preflight (before the config is written and the service restarted, in the same SSH
     * connection): the installed certificate must be valid now and for at least this many days,
     * besides matching the key, naming `hostname` in a subjectAltName, modes at most 0600 (key)
     * and 0644 (certificate), and both readable by the service user. A self-signed or issued
     * certificate whose `validityDays` is shorter is refused at once. Defaults to 7.
     */
    readonly minValidityDays?: number;
    /**
     * Cluster health checked after the node's own verify passed (create and update; never on
     * destroy): e.g. `influxd-ctl show` must list every node as reachable. A failed gate is a
     * failed apply: rolled back like a failed verify. ClusterTls builds it. Defaults to none.
     */
    readonly healthGate?: pulumi.Input<HealthGateArgs>;
    /** Run remote commands through `sudo -n` (for a non-root login with NOPASSWD sudo). Defaults to `connection.sudo`, else false. */
    readonly sudo?: boolean;
    /**
     * The InfluxDB Enterprise release on the host (e.g. "1.11.8"). When given, every key set in
     * the file (the role's and `extraEdits`) is checked against the release's TLS keys
     * (provider/influx/versions.ts) before anything runs: a key the release does not read is
     * refused, naming the key and the version. Defaults to none (no check).
     */
    readonly version?: string;
}
