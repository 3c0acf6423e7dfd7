/**
 * Turns the Debian package's default influxdb.conf into one sandbox host's file,
 * editing as a human would: uncomment the shipped default line and change its
 * value in place, so the file stays the real default apart from these lines.
 * Pure text functions; no I/O.
 */
import type { InfluxdVersion } from "./hosts";

export interface LineEdit {
    /** A whole line that must occur exactly once in the default file. */
    readonly from: string;
    readonly to: string;
}

/**
 * The only changes made to the default for a data host at `address`. Upstream's default
 * (1.13.2) reports usage unless told not to: `reporting-disabled = true`, uncommented in place.
 */
export function sandboxEdits(address: string, version: InfluxdVersion = "1.6.7"): LineEdit[] {
    return [
        // RPC service for backup/restore; its default 127.0.0.1:8088 would collide between hosts.
        { from: `# bind-address = "127.0.0.1:8088"`, to: `bind-address = "${address}:8088"` },
        // [http] defaults to ":8086", all interfaces; each host must answer on its own address only.
        { from: `  # bind-address = ":8086"`, to: `  bind-address = "${address}:8086"` },
        ...(version === "1.6.7" ? [] : [{ from: "# reporting-disabled = false", to: "reporting-disabled = true" }]),
    ];
}

/**
 * Lines the default must already contain. Debian's 1.6.7 build renamed upstream's
 * `reporting-disabled` to `reporting-enabled` (the binary only knows
 * toml:"reporting-enabled"; `reporting-disabled = true` would be silently ignored)
 * and ships it set to false, so no usage report goes to usage.influxdata.com.
 */
export const REQUIRED_DEFAULT_LINES: readonly string[] = ["reporting-enabled = false"];

/** The lines each version's default must contain (upstream's has none to require: its reporting line is edited). */
export function requiredDefaultLines(version: InfluxdVersion): readonly string[] {
    return version === "1.6.7" ? REQUIRED_DEFAULT_LINES : [];
}

/** `required` and `file` default to influxdb.conf's; metaconf.ts passes influxdb-meta.conf's. */
export function applyLineEdits(
    text: string,
    edits: readonly LineEdit[],
    required: readonly string[] = REQUIRED_DEFAULT_LINES,
    file = "influxdb.conf",
): string {
    const lines = text.split("\n");
    for (const line of required) {
        if (!lines.includes(line)) throw new Error(`${file}: expected line not found: ${JSON.stringify(line)}`);
    }
    for (const { from, to } of edits) {
        const at = lines.flatMap((l, i) => (l === from ? [i] : []));
        if (at.length !== 1) {
            throw new Error(`${file}: expected line ${JSON.stringify(from)} once, found ${at.length} times`);
        }
        lines[at[0]!] = to;
    }
    return lines.join("\n");
}

/**
 * Checks `influxd config` output (the effective config) for a sandbox host: no usage
 * reporting, no unix socket (its path is shared between hosts), and every enabled
 * listener bound to the host's own address. Returns the problems found.
 */
export function effectiveConfigProblems(effective: string, address: string, version: InfluxdVersion = "1.6.7"): string[] {
    const sections = new Map<string, Map<string, string>>();
    let current = new Map<string, string>();
    sections.set("(root)", current);
    let count = 0;
    for (const raw of effective.split("\n")) {
        const line = raw.trim();
        const header = /^\[\[?([^\]]+)\]\]?$/.exec(line);
        if (header) {
            current = new Map();
            sections.set(`${header[1]}#${count++}`, current);
            continue;
        }
        const kv = /^([\w-]+)\s*=\s*(.*)$/.exec(line);
        if (kv) current.set(kv[1]!, kv[2]!);
    }
    const problems: string[] = [];
    // Debian's 1.6.7 calls the key reporting-enabled; upstream's reporting-disabled.
    const root = sections.get("(root)");
    if (version === "1.6.7" ? root?.get("reporting-enabled") !== "false" : root?.get("reporting-disabled") !== "true") {
        problems.push(version === "1.6.7" ? "reporting-enabled is not false" : "reporting-disabled is not true");
    }
    for (const [name, keys] of sections) {
        const section = name.replace(/#\d+$/, "");
        if (section === "http" && keys.get("unix-socket-enabled") !== "false") problems.push("[http] unix socket enabled");
        const bind = keys.get("bind-address");
        if (bind === undefined || keys.get("enabled") === "false") continue;
        if (!bind.startsWith(`"${address}:`)) problems.push(`[${section}] listens on ${bind}, not ${address}`);
    }
    return problems;
}
