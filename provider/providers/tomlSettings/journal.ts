import type { SshSession } from "../../ssh/session";
import type { HostFile } from "../../ssh/types";
import { revertTomlSettings } from "../../toml";
import type { TomlUndo } from "../../toml/types";
import { checkUndo } from "../../toml/undo";
import { sameValue } from "../compare";

/**
 * The undo journal on the host: how to put back the keys a TomlSettings manages in a file,
 * written next to the file *before* the file is changed and removed when the keys are
 * reverted (delete).
 *
 * Why: Pulumi records a create only after it returned. When the CLI (or the CI runner) is
 * killed between our write and that record, the state has a "pending create" and no undo;
 * the next `up` creates again and, without the journal, would take the already applied
 * values for the file's original ones — `destroy` would then never go back to HTTP. With the
 * journal, a create or update first reverts what an interrupted run applied, so the undo it
 * records is relative to the true original.
 *
 * One journal per file, one entry per resource; a resource's entries are those sharing a
 * managed key with it (one resource per key is the package's rule). Written atomically with
 * compare-and-swap, mode 0600 (a managed value may be a secret; the config holds it anyway).
 */
export interface JournalEntry {
    /** SHA-256 of the file before the resource first changed it. */
    originalSha256: string;
    undo: TomlUndo;
    /** The resource's restart triggers when the entry was written. */
    restartTriggers: Record<string, string> | null;
    /** False from before the file is written until the service was restarted and verified. */
    applied: boolean;
    /** Managed files (certificate, key…) that did not exist before the resource first wrote them. */
    absentFiles?: string[];
}

interface JournalFile {
    version: 1;
    /** The config file it is about (for people who find it). */
    file: string;
    entries: JournalEntry[];
}

/** The journal read at the start of an operation: entries, and what the CAS write expects. */
export interface Journal {
    path: string;
    entries: JournalEntry[];
    /** sha256 of the journal as read; null when there was none. */
    sha256: string | null;
}

/** `/etc/influxdb/influxdb.conf` → `/etc/influxdb/.influxdb.conf.pitls-undo`. */
export function journalPath(file: string): string {
    const slash = file.lastIndexOf("/");
    return `${file.slice(0, slash + 1)}.${file.slice(slash + 1)}.pitls-undo`;
}

/** A managed key's identity in a file. */
export type KeyRef = { table: string; index?: number; key: string };
const refId = (k: KeyRef) => JSON.stringify([k.table, k.index ?? 0, k.key]);

export async function readJournal(s: SshSession, file: string): Promise<Journal> {
    return parseJournal(file, await s.readFile(journalPath(file)));
}

/** The journal of `file` from its journal file `f` as read from the host (readJournal, or read together with other files). */
export function parseJournal(file: string, f: HostFile): Journal {
    const path = journalPath(file);
    if (!f.exists) {
        return { path, entries: [], sha256: null };
    }
    let parsed: JournalFile;
    try {
        parsed = JSON.parse(f.content.toString("utf8")) as JournalFile;
        if (parsed.version !== 1 || !Array.isArray(parsed.entries)) {
            throw new Error("unsupported layout");
        }
        for (const e of parsed.entries) {
            checkUndo(e.undo);
        }
    } catch (e) {
        throw new Error(`the undo journal ${path} is unreadable (${(e as Error).message}); ` +
            `it records how to restore ${file}: repair or remove it by hand`);
    }
    return { path, entries: parsed.entries, sha256: f.sha256 };
}

/** Entries that manage any of `keys` (this resource's, by the one-resource-per-key rule). */
export function entriesFor(journal: Journal, keys: readonly KeyRef[]): JournalEntry[] {
    const ids = new Set(keys.map(refId));
    return journal.entries.filter((e) => e.undo.keys.some((k) => ids.has(refId(k))));
}

/** `text` with every given undo reverted (each is relative to the file's original text). */
export function revertAll(text: string, undos: readonly TomlUndo[]): string {
    return undos.reduce((t, u) => revertTomlSettings(t, u), text);
}

/**
 * Replaces `replaced` entries with `entry` (none: removes them) and returns the journal as
 * now on the host. The journal file goes when no entry is left. Compare-and-swap against
 * the journal as read.
 */
export async function saveJournal(s: SshSession, file: string, journal: Journal, replaced: readonly JournalEntry[], entry?: JournalEntry): Promise<Journal> {
    const entries = journal.entries.filter((e) => !replaced.includes(e)).concat(entry ? [entry] : []);
    if (entries.length === 0) {
        if (journal.sha256 !== null) {
            await s.removeFile(journal.path, { expectedSha256: journal.sha256 });
        }
        return { path: journal.path, entries, sha256: null };
    }
    const body: JournalFile = { version: 1, file, entries };
    const { sha256 } = await s.writeFileAtomic(journal.path, `${JSON.stringify(body, null, 1)}\n`, { mode: "0600", expectedSha256: journal.sha256 });
    return { path: journal.path, entries, sha256 };
}

/**
 * Whether the service must be restarted to be sure it runs what `entry` applies: an earlier
 * entry of the resource was never marked applied (the run was killed between the write and
 * the end of verify), or applied something else.
 */
export function unsure(earlier: readonly JournalEntry[], entry: JournalEntry): boolean {
    return earlier.some((e) => !e.applied || !sameValue(e.undo, entry.undo) || !sameValue(e.restartTriggers ?? null, entry.restartTriggers));
}

/** Marks `entry` applied once restart and verify passed (best effort: unmarked only costs a restart later). */
export async function markApplied(s: SshSession, file: string, journal: Journal, entry: JournalEntry): Promise<void> {
    await saveJournal(s, file, journal, [entry], { ...entry, applied: true }).catch(() => undefined);
}

/**
 * After a failed first create: the entry goes if the file is back as it was (best effort,
 * over the link's current or a new connection: the failure may have been the connection).
 */
export async function dropIfUntouched(link: { session(): Promise<SshSession> }, file: string, sha256: string, journal: Journal, entry: JournalEntry): Promise<void> {
    try {
        const s = await link.session();
        if ((await s.readFile(file)).sha256 === sha256) {
            await saveJournal(s, file, journal, [entry]);
        }
    } catch {
        // The entry stays: reverting it later is a no-op on an untouched file.
    }
}
