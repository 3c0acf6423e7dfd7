/**
 * Turns InfluxDB Enterprise 1.6.2's default influxdb-meta.conf (test/fixtures; the file
 * influxdata's AMI template installs) into one meta host's file, the way the data-host file
 * is made: uncomment shipped defaults in place and fill the template's placeholders that a
 * meta node actually uses. Pure text; no I/O.
 */
import type { HostSpec } from "./hosts";
import { applyLineEdits, type LineEdit } from "./influxconf";

export function metaEdits(host: HostSpec): LineEdit[] {
    return [
        // The AMI template's placeholders; the stand-in advertises `hostname` in /show.
        { from: `hostname = "<__HOST_NAME__>"`, to: `hostname = "${host.name}"` },
        { from: `  dir = "<__META_DIR__>"`, to: `  dir = "/var/lib/influxdb/meta"` },
        // Defaults ":8089" / ":8091" mean every interface; each host answers on its own address only.
        { from: `  # bind-address = ":8089"`, to: `  bind-address = "${host.address}:8089"` },
        { from: `  # http-bind-address = ":8091"`, to: `  http-bind-address = "${host.address}:8091"` },
    ];
}

/** Lines the default must contain unchanged: HTTPS off, as shipped, so tests start from plain HTTP. */
const REQUIRED: readonly string[] = ["[meta]", "  # https-enabled = false", `  # https-certificate = ""`, `  # https-private-key = ""`];

export function metaConfFor(defaultText: string, host: HostSpec): string {
    return applyLineEdits(defaultText, metaEdits(host), REQUIRED, "influxdb-meta.conf");
}
