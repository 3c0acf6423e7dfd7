import * as crypto from "node:crypto";
import * as path from "node:path";

/**
 * The environment for running the real CLI (build/bin) in isolation: no PULUMI_* variable of
 * the caller's, its own PULUMI_HOME under `tmp`, no update checks or plugin downloads, a random
 * passphrase for the stack's secrets; `extra` on top.
 */
export function isolatedCliEnv(bin: string, tmp: string, label: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const base = { ...process.env };
    for (const k of Object.keys(base)) if (k.startsWith("PULUMI_")) delete base[k];
    return {
        ...base,
        PATH: `${bin}:${process.env.PATH ?? ""}`,
        PULUMI_HOME: path.join(tmp, "home"),
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_CONFIG_PASSPHRASE: `${label}-${crypto.randomBytes(8).toString("hex")}`,
        ...extra,
    };
}
