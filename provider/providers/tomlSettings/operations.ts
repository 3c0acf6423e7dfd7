import { onHost } from "../onHost";
import type { RemoteFile } from "../../ssh/types";
import { applyTomlSettings, readTomlValues } from "../../toml";
import type { TomlEdit } from "../../toml/types";
import { sameValue } from "./diff";
import { dropIfUntouched, entriesFor, markApplied, readJournal, revertAll, saveJournal, unsure, type JournalEntry } from "./journal";
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

/** The keys a set of edits manages, for finding their journal entries. */
function editKeys(edits: readonly TomlEdit[]): { table: string; index?: number; key: string }[] {
    return edits.flatMap((e) => Object.keys(e.set).map((key) => ({ table: e.table, index: e.index, key })));
}

export async function create(inputs: TomlSettingsInputs): Promise<{ id: string; outs: TomlSettingsOutputs }> {
    return onHost("TomlSettings", inputs, "create", async (s) => {
        const file = await s.readFile(inputs.path);
        const edits = settingsToEdits(inputs.settings);
        // Entries left by an interrupted run of this resource (killed before Pulumi recorded
        // the create): revert them first, so the undo is relative to the true original.
        const journal = await readJournal(s, inputs.path);
        const interrupted = entriesFor(journal, editKeys(edits));
        const base = revertAll(textOf(file, inputs.path), interrupted.map((e) => e.undo));
        const { text: next, undo } = applyTomlSettings(base, edits);
        const entry: JournalEntry = {
            originalSha256: interrupted[0]?.originalSha256 ?? file.sha256, undo, restartTriggers: inputs.restartTriggers ?? null, applied: false,
        };
        const saved = await saveJournal(s, inputs.path, journal, interrupted, entry);
        const r = await transition(s, {
            path: inputs.path, current: file, next, service: inputs.service, forceRestart: unsure(interrupted, entry),
            verify: inputs.service?.verify, rollbackVerify: inputs.service?.revertVerify, verifyUnchanged: true,
        }).catch(async (e: Error) => {
            if (interrupted.length === 0) {
                await dropIfUntouched(s, inputs.path, file.sha256, saved, entry);
            }
            throw e;
        });
        await markApplied(s, inputs.path, saved, entry);
        return {
            id: resourceId(inputs),
            outs: { ...inputs, undo, fileSha256: r.sha256, originalSha256: entry.originalSha256, written: r.written, restarted: r.restarted },
        };
    });
}

export async function update(olds: TomlSettingsOutputs, news: TomlSettingsInputs): Promise<TomlSettingsOutputs> {
    return onHost("TomlSettings", news, "update", async (s) => {
        const file = await s.readFile(news.path);
        const edits = settingsToEdits(news.settings);
        const journal = await readJournal(s, news.path);
        const mine = entriesFor(journal, [...olds.undo.keys, ...editKeys(edits)]);
        // Revert everything the old state manages (and what an interrupted update may have
        // added: the journal), then apply the new set: keys dropped from the set go back to
        // how they were before this resource existed, kept keys land where they were.
        const base = revertAll(textOf(file, news.path), [olds.undo, ...mine.map((e) => e.undo)]);
        const { text: next, undo } = applyTomlSettings(base, edits);
        const entry: JournalEntry = { originalSha256: olds.originalSha256, undo, restartTriggers: news.restartTriggers ?? null, applied: false };
        const saved = await saveJournal(s, news.path, journal, mine, entry);
        const r = await transition(s, {
            path: news.path, current: file, next, service: news.service,
            forceRestart: !sameValue(olds.restartTriggers ?? null, news.restartTriggers ?? null) ||
                unsure(mine, { ...entry, undo: olds.undo, restartTriggers: olds.restartTriggers ?? null }),
            verify: news.service?.verify, rollbackVerify: olds.service?.verify, verifyUnchanged: true,
        });
        await markApplied(s, news.path, saved, entry);
        return { ...news, undo, fileSha256: r.sha256, originalSha256: olds.originalSha256, written: r.written, restarted: r.restarted };
    });
}

export async function remove(props: TomlSettingsOutputs): Promise<void> {
    await onHost("TomlSettings", props, "delete", async (s) => {
        const file = await s.readFile(props.path);
        const journal = await readJournal(s, props.path);
        const mine = entriesFor(journal, props.undo.keys);
        if (file.exists) {
            // The journal too: an interrupted update may have set keys the state does not know.
            const reverted = revertAll(textOf(file, props.path), [props.undo, ...mine.map((e) => e.undo)]);
            await transition(s, {
                path: props.path, current: file, next: reverted, service: props.service, forceRestart: false,
                verify: props.service?.revertVerify, rollbackVerify: props.service?.verify, verifyUnchanged: false,
            });
        }
        // (A missing file: nothing left to revert; the file's removal is someone else's decision.)
        await saveJournal(s, props.path, journal, mine);
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
