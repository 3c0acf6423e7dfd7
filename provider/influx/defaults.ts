/**
 * What the vendor's HTTPS guide uses, in one place. Components apply these defaults once
 * (`args.x ?? DEFAULTS.x`) and document them in their Args.
 */
export const META_CONFIG_PATH = "/etc/influxdb/influxdb-meta.conf";
export const DATA_CONFIG_PATH = "/etc/influxdb/influxdb.conf";
export const TELEGRAF_CONFIG_PATH = "/etc/telegraf/telegraf.conf";

export const META_SERVICE = "influxdb-meta";
export const DATA_SERVICE = "influxdb";
export const TELEGRAF_SERVICE = "telegraf";

/** The user each service runs as: the private key must be readable by it (guide erratum 4). */
export const META_SERVICE_USER = "influxdb";
export const DATA_SERVICE_USER = "influxdb";
export const TELEGRAF_SERVICE_USER = "telegraf";

/** The guide's file names under /etc/ssl. */
export const SELF_SIGNED_CERT_PATH = "/etc/ssl/influxdb-selfsigned.crt";
export const SELF_SIGNED_KEY_PATH = "/etc/ssl/influxdb-selfsigned.key";
export const CA_SIGNED_CERT_PATH = "/etc/ssl/influxdb.crt";
export const CA_SIGNED_KEY_PATH = "/etc/ssl/influxdb.key";
export const BUNDLE_PATH = "/etc/ssl/influxdb.pem";
export const TELEGRAF_CA_PATH = "/etc/telegraf/influxdb-ca.pem";
/** Where a node keeps the CA certificate its own verification trusts (SSL_CERT_FILE). */
export const NODE_CA_PATH = "/etc/ssl/influxdb-ca.pem";

export const DATA_HTTP_PORT = 8086;
export const META_HTTP_PORT = 8091;

/** The guide's NUMBER_OF_DAYS is the user's choice; one year is a common one. */
export const DEFAULT_VALIDITY_DAYS = 365;
export const DEFAULT_EARLY_RENEWAL_DAYS = 30;
export const DEFAULT_RSA_BITS = 2048;

export const CERT_FILE_MODE = "0644";
export const KEY_FILE_MODE = "0600";

/** `systemctl restart <service>`: the guide's CA path says `start`, which does not reload config (erratum 3). */
export function restartCommand(service: string): string[] {
    return ["systemctl", "restart", service];
}

/** Lines of the service's log put into a verification error. */
export const LOG_TAIL_LINES = 20;

/**
 * The status and log commands for a systemd service: `systemctl is-active <service>` (so a
 * service that exited ends verification at once) and `journalctl -u <service> -n 20 --no-pager
 * -o cat` (its own words go into the error). Defaults only while the restart command is
 * systemd's: a custom restart command may run a service systemd does not know, whose
 * `is-active` would say "inactive" while it runs.
 */
export function serviceProbes(
    service: string,
    args: { readonly restartCommand?: string[]; readonly statusCommand?: string[]; readonly logCommand?: string[] },
): { status?: string[]; logs?: string[] } {
    const systemd = args.restartCommand === undefined;
    return {
        status: args.statusCommand ?? (systemd ? ["systemctl", "is-active", service] : undefined),
        logs: args.logCommand ?? (systemd ? ["journalctl", "-u", service, "-n", String(LOG_TAIL_LINES), "--no-pager", "-o", "cat"] : undefined),
    };
}
