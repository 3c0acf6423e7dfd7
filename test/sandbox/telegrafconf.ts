/**
 * A Telegraf host's telegraf.conf: `telegraf config` of the 1.37.2 build (the release's
 * default file: [agent], the default inputs that are built in — inputs.mem — and every
 * output commented out) plus what a user adds before Telegraf can start at all: one
 * `[[outputs.influxdb]]`, on plain HTTP to the sandbox's first data host (the state before
 * HTTPS; with no data host, its own address, where nothing answers). Pure text; no I/O.
 */
import type { HostSpec } from "./hosts";

export const SANDBOX_TELEGRAF_MARK = "# pitls sandbox: the default file enables no output; this host's, as a user adds it.";

export function sandboxTelegrafConf(defaultConf: string, allHosts: readonly HostSpec[]): string {
    if (/^\[\[outputs\./m.test(defaultConf)) throw new Error("telegraf config: expected every output commented out in the default file");
    if (!/^\[\[inputs\.mem\]\]$/m.test(defaultConf)) throw new Error("telegraf config: expected [[inputs.mem]] enabled in the default file");
    const data = allHosts.find((h) => h.roles.includes("data"));
    const url = `http://${data ? data.name : "localhost"}:8086`;
    return `${defaultConf}${defaultConf.endsWith("\n") ? "" : "\n"}\n${SANDBOX_TELEGRAF_MARK}\n[[outputs.influxdb]]\n  urls = ["${url}"]\n`;
}
