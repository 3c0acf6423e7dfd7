import { linkedHostOperation } from "../hostOperation";
import type { HostFile, SshConnection } from "../../ssh/types";
import type { SshLink } from "../../ssh/link";
import { fileIdOf } from "../../ssh/defaults";
import { applyTomlSettings, mergeUndo, readTomlValues } from "../../toml";
import type { TomlEdit } from "../../toml/types";
import { sameValue } from "./diff";
import { dropIfUntouched, entriesFor, journalPath, markApplied, parseJournal, readJournal, revertAll, saveJournal, unsure, type JournalEntry } from "./journal";
import { mapKeyIn, settingsToEdits } from "./settings";
import { waitUntilHealthy } from "./service";
import { isTransitionError, phaseOf, transition } from "./transition";
import { plannedPaths, planFiles, planRestore, refreshedContents } from "./managedFiles";
import { gateFor, type HealthGateResult } from "./healthGate";
import type { FilePrior, ServiceSpec, SettingsMap, TomlSettingsInputs, TomlSettingsOutputs } from "./types";
import type { ServicePhase, TransitionResult } from "./transition";

/**
 * The remote half of the TomlSettings provider. Each operation opens one SSH connection and
 * does all of its work through it; only when that connection is lost is another one opened
 * (SshLink), so a rollback can still happen.
 */

export function resourceId(inputs: TomlSettingsInputs): string {
    return fileIdOf(inputs.connection, inputs.path);
}

/** The file's text; refuses missing files and bytes that would not survive a UTF-8 round trip. */
function textOf(file: HostFile, path: string): string {
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

/**
 * Create and update read the config, its undo journal and every managed file in one command
 * (one SSH channel instead of one per file): the same files, read at the same point, before
 * anything is written.
 */
async function readAtStart(link: SshLink, inputs: TomlSettingsInputs, before: Record<string, FilePrior>) {
    const others = plannedPaths(inputs, before);
    const [file, journalFile, ...rest] = await (await link.session()).readFiles([inputs.path, journalPath(inputs.path), ...others]);
    return { file, journal: parseJournal(inputs.path, journalFile), read: new Map(others.map((p, i) => [p, rest[i]])) };
}

export async function create(inputs: TomlSettingsInputs): Promise<{ id: string; outs: TomlSettingsOutputs }> {
    const id = resourceId(inputs);
    return linkedHostOperation("TomlSettings", inputs, "create", async (link) => {
        const { file, journal, read } = await readAtStart(link, inputs, {});
        const edits = settingsToEdits(inputs.settings);
        // Entries left by an interrupted run of this resource (killed before Pulumi recorded
        // the create): revert them first, so the undo is relative to the true original.
        const interrupted = entriesFor(journal, editKeys(edits));
        const base = revertAll(textOf(file, inputs.path), interrupted.map((e) => e.undo));
        const { text: next, undo } = applyTomlSettings(base, edits);
        const files = await planFiles(await link.session(), inputs, {}, interrupted.flatMap((e) => e.absentFiles ?? []), read);
        const entry: JournalEntry = {
            originalSha256: interrupted[0]?.originalSha256 ?? file.sha256, undo, restartTriggers: inputs.restartTriggers ?? null, applied: false,
            ...absentFilesOf(files.priors),
        };
        const saved = await saveJournal(await link.session(), inputs.path, journal, interrupted, entry);
        // undo, originalSha256 and the file priors describe the host as it was before: also what a failed create records.
        const known = { ...inputs, undo, originalSha256: entry.originalSha256, ...priorsOutput(files.priors) };
        const forward = gatedPhase(inputs.service, textOf(file, inputs.path), next, inputs.healthGateConnection);
        try {
            const r = await transition(link, {
                path: inputs.path, current: file, next, verifyUnchanged: true, files: files.steps, preflight: inputs.preflight,
                // Whether an interrupted run restarted the service is unknown: restart to be sure.
                forceRestart: unsure(interrupted, entry),
                forward: forward.phase,
                back: phaseOf(inputs.service, inputs.service?.revertVerify),
            });
            await markApplied(await link.session(), inputs.path, saved, entry);
            return { id, outs: { ...known, fileSha256: r.sha256, written: r.written, restarted: r.restarted, healthy: true, ...gateOutput(inputs.service, r, forward.skipped) } };
        } catch (e) {
            if (interrupted.length === 0) {
                await dropIfUntouched(link, inputs.path, file.sha256, saved, entry);
            }
            throw withPartialState(e, id, known);
        }
    });
}

export async function update(id: string, olds: TomlSettingsOutputs, news: TomlSettingsInputs): Promise<TomlSettingsOutputs> {
    return linkedHostOperation("TomlSettings", news, "update", async (link) => {
        const { file, journal, read } = await readAtStart(link, news, olds.filePriors ?? {});
        const edits = settingsToEdits(news.settings);
        const mine = entriesFor(journal, [...olds.undo.keys, ...editKeys(edits)]);
        // Revert everything the old state manages (and what an interrupted update may have
        // added: the journal), then apply the new set: keys dropped from the set go back to
        // how they were before this resource existed, kept keys land where they were.
        const base = revertAll(textOf(file, news.path), [olds.undo, ...mine.map((e) => e.undo)]);
        const { text: next, undo } = applyTomlSettings(base, edits);
        const files = await planFiles(await link.session(), news, olds.filePriors ?? {}, mine.flatMap((e) => e.absentFiles ?? []), read);
        const entry: JournalEntry = {
            originalSha256: olds.originalSha256, undo, restartTriggers: news.restartTriggers ?? null, applied: false,
            ...absentFilesOf({ ...olds.filePriors, ...files.priors }),
        };
        const saved = await saveJournal(await link.session(), news.path, journal, mine, entry);
        const forward = gatedPhase(news.service, textOf(file, news.path), next, news.healthGateConnection);
        try {
            const r = await transition(link, {
                path: news.path, current: file, next, verifyUnchanged: true, files: files.steps, preflight: news.preflight,
                // An unhealthy node (failed operation, or found down by refresh) is restarted and
                // verified; so is one an interrupted update may have left unrestarted.
                forceRestart: !sameValue(olds.restartTriggers ?? null, news.restartTriggers ?? null) || olds.healthy === false ||
                    unsure(mine, { ...entry, undo: olds.undo, restartTriggers: olds.restartTriggers ?? null }),
                forward: forward.phase,
                // A rollback returns to the old state: the old spec restarts and verifies it (the new
                // restart command may be what failed). Without an old spec, the new restart still
                // has to undo what the new restart did.
                back: olds.service
                    ? phaseOf(olds.service, olds.service.verify)
                    : news.service ? { restart: news.service.restart, check: {} } : undefined,
            });
            await markApplied(await link.session(), news.path, saved, entry);
            return {
                ...news, undo, fileSha256: r.sha256, originalSha256: olds.originalSha256, written: r.written, restarted: r.restarted, healthy: true,
                ...priorsOutput(files.priors), ...gateOutput(news.service, r, forward.skipped),
            };
        } catch (e) {
            // The file may hold the old or the new content: record an undo that reverts either,
            // and the priors of every file either side wrote.
            const known = { ...news, undo: mergeUndo(olds.undo, undo), originalSha256: olds.originalSha256, ...priorsOutput({ ...olds.filePriors, ...files.priors }) };
            throw withPartialState(e, id, known);
        }
    });
}

export async function remove(props: TomlSettingsOutputs): Promise<void> {
    await linkedHostOperation("TomlSettings", props, "delete", async (link) => {
        const file = await (await link.session()).readFile(props.path);
        const journal = await readJournal(await link.session(), props.path);
        const mine = entriesFor(journal, props.undo.keys);
        // The managed files go back to how they were before, in the same step as the config.
        const files = await planRestore(await link.session(), props);
        if (file.exists) {
            // The journal too: an interrupted update may have set keys the state does not know.
            const reverted = revertAll(textOf(file, props.path), [props.undo, ...mine.map((e) => e.undo)]);
            // A failed delete keeps the stored state (the engine records nothing new): its undo
            // reverts the file from either content.
            await transition(link, {
                path: props.path, current: file, next: reverted, files: files.steps,
                // A node the state calls unhealthy may already have the reverted file: make sure it runs.
                forceRestart: false, verifyUnchanged: props.healthy === false,
                forward: phaseOf(props.service, props.service?.revertVerify),
                back: phaseOf(props.service, props.service?.verify),
            });
        }
        // (A missing config: nothing left to revert; its removal was someone else's decision.
        // The managed files still go back.)
        if (!file.exists && files.steps.length > 0) {
            await transition(link, {
                path: props.path, current: file, next: "", files: files.steps, forceRestart: false, verifyUnchanged: false,
            });
        }
        await saveJournal(await link.session(), props.path, journal, mine);
    });
}

/**
 * A failed create/update whose node is not back where it was becomes an init failure: the
 * dynamic-provider host passes `id`, `properties` and `reasons` to the engine, which records
 * the properties (secrets re-marked by input name, like any output) and retries with an update
 * on the next `up`. `known` carries `__provider` (it is spread from the inputs the host passed
 * in), without which the recorded state could not be deleted.
 */
function withPartialState(e: unknown, id: string, known: Omit<TomlSettingsOutputs, "fileSha256" | "written" | "restarted">): unknown {
    if (!isTransitionError(e) || e.settled) {
        return e;
    }
    const props: TomlSettingsOutputs = {
        ...known, fileSha256: e.sha256 ?? "unknown", written: e.written, restarted: e.restarted, healthy: false,
    };
    // The engine shows (and stores as initErrors) the reasons, not the message: the whole story goes there.
    return Object.assign(new Error(e.message), { id, properties: props, reasons: [e.message] });
}

/**
 * Refresh: the managed keys' values as they are on the host now (missing keys are left out),
 * and whether the service answers. Health is part of drift: when the file still says what the
 * state says, the verify command runs (retried like after a restart, but ended at once when
 * the status command says the service has exited) and `healthy` records the answer; a
 * `healthy: false` makes diff report a change, so the next `up` restarts and verifies.
 */
export async function read(props: TomlSettingsOutputs): Promise<TomlSettingsOutputs> {
    return linkedHostOperation("TomlSettings", props, "read", async (link) => {
        const file = await (await link.session()).readFile(props.path);
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
        let healthy = props.healthy ?? true;
        const verify = props.service?.verify;
        // Drifted settings are a change anyway; which command would prove them is not known.
        if (file.exists && verify && sameSettings(props.settings ?? {}, settings)) {
            try {
                await waitUntilHealthy(link, phaseOf(props.service, verify)!.check);
                healthy = true;
            } catch {
                healthy = false;
            }
        }
        return { ...props, settings, fileSha256: file.sha256, healthy, ...contentsOutput(await refreshedContents(await link.session(), props)) };
    });
}

/**
 * The forward phase of a create or update: verify, then the health gate unless this apply
 * switches protocol (`when: "protocolUnchanged"`). Delete and rollbacks never gate: their
 * phases come from phaseOf alone.
 */
function gatedPhase(service: ServiceSpec | undefined, current: string, next: string, gateConnection: SshConnection | undefined):
    { phase?: ServicePhase; skipped: boolean } {
    const phase = phaseOf(service, service?.verify);
    const { gate, skipped } = gateFor(service, current, next);
    return { phase: phase && gate ? { ...phase, gate: gateConnection ? { ...gate, connection: gateConnection } : gate } : phase, skipped };
}

/** `healthGateResult`, only for resources with a gate. */
function gateOutput(service: ServiceSpec | undefined, r: TransitionResult, skipped: boolean): { healthGateResult?: HealthGateResult } {
    if (!service?.healthGate) {
        return {};
    }
    return { healthGateResult: r.gated ? "passed" : r.restarted && skipped ? "skipped (protocol change)" : "not run (no restart)" };
}

/** Paths whose prior is "did not exist", for the journal (only when there are any). */
function absentFilesOf(priors: Record<string, FilePrior>): { absentFiles?: string[] } {
    const absent = Object.entries(priors).filter(([, p]) => p.content === null).map(([path]) => path);
    return absent.length > 0 ? { absentFiles: absent } : {};
}

/** `filePriors` only for resources that manage files (state of others stays as it was). */
function priorsOutput(priors: Record<string, FilePrior>): { filePriors?: Record<string, FilePrior> } {
    return Object.keys(priors).length > 0 ? { filePriors: priors } : {};
}

function contentsOutput(contents: string[] | undefined): { fileContents?: string[] } {
    return contents === undefined ? {} : { fileContents: contents };
}

/** Every key of `stored` has the same value in `found`. */
function sameSettings(stored: SettingsMap, found: SettingsMap): boolean {
    return Object.entries(stored).every(([table, keys]) =>
        Object.entries(keys).every(([key, value]) => found[table] !== undefined && key in found[table] && sameValue(found[table][key], value)));
}
