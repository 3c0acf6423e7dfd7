import { onHost } from "../onHost";
import type { RemoteFile } from "../../ssh/types";
import { applyTomlSettings, readTomlValues, revertTomlSettings } from "../../toml";
import { sameValue } from "./diff";
import { mapKeyIn, settingsToEdits } from "./settings";
import { transition } from "./transition";
import type { SettingsMap, TomlSettingsInputs, TomlSettingsOutputs } from "./types";

/**
 * The remote half of the TomlSettings provider. Each operation opens exactly one SSH
 * connection and does all of its work through it.
 */

export function resourceId(inputs: TomlSettingsInputs): string {
    return `${inputs.connection.host}:${inputs.connection.port ?? 22}:${inputs.path}`;
}

/** The file's text; refuses missing files and bytes that would not survive a UTF-8 round trip. */
function textOf(file: RemoteFile, path: string): string {
    if (!file.exists) {
        throw new Error(`${path} does not exist`);
    }
    const text = file.content.toString("utf8");
    if (!Buffer.from(text, "utf8").equals(file.content)) {
        throw new Error(`${path} is not valid UTF-8; refusing to edit it`);
    }
    return text;
}

export async function create(inputs: TomlSettingsInputs): Promise<{ id: string; outs: TomlSettingsOutputs }> {
    return onHost("TomlSettings", inputs, "create", async (s) => {
        const file = await s.readFile(inputs.path);
        const { text: next, undo } = applyTomlSettings(textOf(file, inputs.path), settingsToEdits(inputs.settings));
        const r = await transition(s, {
            path: inputs.path, current: file, next, service: inputs.service, forceRestart: false,
            verify: inputs.service?.verify, rollbackVerify: inputs.service?.revertVerify, verifyUnchanged: true,
        });
        return {
            id: resourceId(inputs),
            outs: { ...inputs, undo, fileSha256: r.sha256, originalSha256: file.sha256, written: r.written, restarted: r.restarted },
        };
    });
}

export async function update(olds: TomlSettingsOutputs, news: TomlSettingsInputs): Promise<TomlSettingsOutputs> {
    return onHost("TomlSettings", news, "update", async (s) => {
        const file = await s.readFile(news.path);
        // Revert everything the old state manages, then apply the new set: keys dropped from the
        // set go back to how they were before this resource existed, kept keys land where they were.
        const base = revertTomlSettings(textOf(file, news.path), olds.undo);
        const { text: next, undo } = applyTomlSettings(base, settingsToEdits(news.settings));
        const r = await transition(s, {
            path: news.path, current: file, next, service: news.service,
            forceRestart: !sameValue(olds.restartTriggers ?? null, news.restartTriggers ?? null),
            verify: news.service?.verify, rollbackVerify: olds.service?.verify, verifyUnchanged: true,
        });
        return { ...news, undo, fileSha256: r.sha256, originalSha256: olds.originalSha256, written: r.written, restarted: r.restarted };
    });
}

export async function remove(props: TomlSettingsOutputs): Promise<void> {
    await onHost("TomlSettings", props, "delete", async (s) => {
        const file = await s.readFile(props.path);
        if (!file.exists) {
            // Nothing left to revert; the file's removal is someone else's decision.
            return;
        }
        const reverted = revertTomlSettings(textOf(file, props.path), props.undo);
        await transition(s, {
            path: props.path, current: file, next: reverted, service: props.service, forceRestart: false,
            verify: props.service?.revertVerify, rollbackVerify: props.service?.verify, verifyUnchanged: false,
        });
    });
}

/** Refresh: the managed keys' values as they are on the host now (missing keys are left out). */
export async function read(props: TomlSettingsOutputs): Promise<TomlSettingsOutputs> {
    return onHost("TomlSettings", props, "read", async (s) => {
        const file = await s.readFile(props.path);
        const keys = props.undo.keys;
        const settings: SettingsMap = {};
        const mapKey = (k: { table: string; index: number }) => mapKeyIn(props.settings ?? {}, k.table, k.index);
        for (const k of keys) {
            settings[mapKey(k)] ??= {};
        }
        if (file.exists) {
            const values = readTomlValues(textOf(file, props.path), keys);
            keys.forEach((k, i) => {
                const v = values[i];
                if (v !== undefined) {
                    settings[mapKey(k)][k.key] = v;
                }
            });
        }
        return { ...props, settings, fileSha256: file.sha256 };
    });
}
