/**
 * Services the sandbox's systemctl shim can run on a host, by role. Mirrors the
 * packages' systemd units: influxdb.service (real influxd: Debian's 1.6.7, or 1.13.2 on
 * /usr/bin/influxd), telegraf.service (the real Telegraf 1.37.2 built from the Go module
 * proxy, at /usr/local/sbin/telegraf), and InfluxDB Enterprise's influxdb-meta unit, whose
 * ExecStart runs a STAND-IN (standins/, see README) installed on the namespace's PATH.
 */
import type { HostRole } from "./hosts";

export const UNIT_NAME_RE = /^[A-Za-z0-9@._-]+$/;

export interface UnitSpec {
    /** Unit name without ".service", as given to systemctl. */
    readonly name: string;
    /** Command line; split on blanks by the shim. */
    readonly execStart: string;
    readonly user: string;
    readonly group: string;
}

export const INFLUXDB_UNIT: UnitSpec = {
    name: "influxdb",
    execStart: "/usr/bin/influxd -config /etc/influxdb/influxdb.conf",
    user: "influxdb",
    group: "influxdb",
};

/** influxdb-meta.service runs `/usr/bin/influxd-meta -config …` as influxdb; here the stand-in's wrapper. */
export const INFLUXDB_META_UNIT: UnitSpec = {
    name: "influxdb-meta",
    execStart: "/usr/local/sbin/influxd-meta -config /etc/influxdb/influxdb-meta.conf",
    user: "influxdb",
    group: "influxdb",
};

/** telegraf.service runs `/usr/bin/telegraf -config … -config-directory …` as telegraf; here from /usr/local/sbin. */
export const TELEGRAF_UNIT: UnitSpec = {
    name: "telegraf",
    execStart: "/usr/local/sbin/telegraf -config /etc/telegraf/telegraf.conf -config-directory /etc/telegraf/telegraf.d",
    user: "telegraf",
    group: "telegraf",
};

export function unitsForRoles(roles: readonly HostRole[]): UnitSpec[] {
    const units: UnitSpec[] = [];
    if (roles.includes("data")) units.push(INFLUXDB_UNIT);
    if (roles.includes("meta")) units.push(INFLUXDB_META_UNIT);
    if (roles.includes("telegraf")) units.push(TELEGRAF_UNIT);
    return units;
}
