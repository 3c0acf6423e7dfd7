/**
 * The files a config references (certificate, key, CA file), moved in the config's own
 * transaction: each is written (or removed) with its previous version kept as a backup next
 * to it, and put back by a rename when anything after it fails. One transaction is the only
 * way a rotation can never leave a certificate and a key from different pairs, or a config
 * naming a file that was never written.
 */
import { sha256Hex } from "../../files/hash";
import type { SshSession } from "../../ssh/session";
import type { HostFile } from "../../ssh/types";

/** One file's move: from what was read at the start to `next` (null: the file goes away). */
export interface FileStep {
    path: string;
    /** The file as read at the start of the operation. */
    current: HostFile;
    /** The bytes it must have; null: it must not exist (a managed file given back, never there before). */
    next: Buffer | null;
    /** Mode, owner and group for `next` (a restored previous version keeps its own). */
    mode?: string;
    owner?: string;
    group?: string;
}

/** Whether a file already has `bytes` (null: absent) and — when given — the mode, owner and group. */
export function fileIs(f: HostFile, bytes: Buffer | null, attrs: { mode?: string; owner?: string; group?: string } = {}): boolean {
    if (bytes === null) {
        return !f.exists;
    }
    if (!f.exists || f.sha256 !== sha256Hex(bytes)) {
        return false;
    }
    const sameMode = attrs.mode === undefined || f.mode === undefined || parseInt(attrs.mode, 8) === parseInt(f.mode, 8);
    // Owner and group may be given as names or numeric ids; the read gives both.
    const samePrincipal = (want: string | undefined, name: string | undefined, id: string | undefined) =>
        want === undefined || name === undefined || want === name || want === id;
    return sameMode && samePrincipal(attrs.owner, f.owner, f.uid) && samePrincipal(attrs.group, f.group, f.gid);
}

/** Whether the step changes anything on the host. */
export function fileStepChanged(step: FileStep): boolean {
    return !fileIs(step.current, step.next, step);
}

/**
 * Writes (or removes) the step's file, compare-and-swap against the version read at the
 * start, keeping that version as a backup.
 */
export async function writeStep(s: SshSession, step: FileStep): Promise<void> {
    const expectedSha256 = step.current.exists ? step.current.sha256 : null;
    if (step.next === null) {
        if (step.current.exists) {
            await s.removeFile(step.path, { expectedSha256: step.current.sha256, keepBackup: true });
        }
        return;
    }
    await s.writeFileAtomic(step.path, step.next, { expectedSha256, mode: step.mode, owner: step.owner, group: step.group, keepBackup: true });
}

/**
 * Puts the step's file back as it was at the start: nothing to do when it still is; from the
 * backup (a rename) when it has what the step wrote; refuses when it has anything else.
 */
export async function putBack(s: SshSession, step: FileStep): Promise<void> {
    const now = await s.readFile(step.path);
    if (fileIs(now, step.current.exists ? step.current.content : null, step.current)) {
        return;
    }
    const nextSha = step.next === null ? null : sha256Hex(step.next);
    const isNext = step.next === null ? !now.exists : now.exists && now.sha256 === nextSha;
    if (!isNext) {
        throw new Error(`${step.path} now has content that is neither the previous nor the new one (${now.exists ? "changed by someone else" : "the file is missing"}); left as it is`);
    }
    if (!step.current.exists) {
        await s.removeFile(step.path, { expectedSha256: nextSha! });
        return;
    }
    if (!(await s.restoreBackup(step.path, nextSha))) {
        const c = step.current;
        await s.writeFileAtomic(step.path, c.content, { expectedSha256: nextSha, mode: c.mode && c.mode.padStart(4, "0"), owner: c.owner, group: c.group });
    }
}
