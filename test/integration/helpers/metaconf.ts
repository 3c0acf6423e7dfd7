/** Meta-node config edits the integration tests make by hand, as a user following the guide would. */
import * as fs from "node:fs";
import * as path from "node:path";
import { hostLayout, type HostState } from "../../sandbox";
import { applyLineEdits } from "../../sandbox/influxconf";

/** Uncomments the three `[meta]` HTTPS keys of the host's influxdb-meta.conf in place (no restart). */
export function writeMetaHttps(h: HostState, certificate: string, privateKey: string): void {
    const conf = path.join(hostLayout(h.dir).etcInfluxdb, "influxdb-meta.conf");
    fs.writeFileSync(conf, applyLineEdits(fs.readFileSync(conf, "utf8"), [
        { from: "  # https-enabled = false", to: "  https-enabled = true" },
        { from: `  # https-certificate = ""`, to: `  https-certificate = "${certificate}"` },
        { from: `  # https-private-key = ""`, to: `  https-private-key = "${privateKey}"` },
    ], [], "config"));
}
