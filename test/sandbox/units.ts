/**
 * Services the sandbox's systemctl shim can run on a host, by role. Mirrors the
 * packages' systemd units (Debian's influxdb.service: User/Group influxdb, ExecStart
 * below). Meta and Telegraf stand-ins will add `influxdb-meta` and `telegraf` here.
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

export function unitsForRoles(roles: readonly HostRole[]): UnitSpec[] {
    return roles.includes("data") ? [INFLUXDB_UNIT] : [];
}
