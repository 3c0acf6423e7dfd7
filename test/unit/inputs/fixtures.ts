import type { TomlSettingsInputs } from "../../../provider/providers/tomlSettings/types";

/** TomlSettings inputs that pass check; tests replace one field at a time. */
export const VALID_INPUTS: TomlSettingsInputs = {
    schemaVersion: 1,
    connection: { host: "127.0.10.1", user: "root", privateKey: "KEY", hostKey: "SHA256:" + "A".repeat(43) },
    target: "root@127.0.10.1:22",
    path: "/etc/influxdb/influxdb.conf",
    settings: { http: { "https-enabled": true } },
    service: { restart: ["systemctl", "restart", "influxdb"] },
};
