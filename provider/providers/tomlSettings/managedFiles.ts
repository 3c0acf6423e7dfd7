/**
 * Planning the moves of the files a TomlSettings manages (fileSteps.ts does them): what each
 * file must become in a create, update or delete, and what it was before the resource first
 * wrote it (the priors destroy puts back, byte for byte).
 */
import type { SshSession } from "../../ssh/session";
import type { HostFile } from "../../ssh/types";
import { fileIs, type FileStep } from "./fileSteps";
import type { FilePrior, ManagedFile, TomlSettingsInputs, TomlSettingsOutputs } from "./types";

export interface FilesPlan {
    steps: FileStep[];
    /** Priors of the files the new inputs manage. */
    priors: Record<string, FilePrior>;
}

function priorOf(f: HostFile): FilePrior {
    return f.exists ? { content: f.content.toString("base64"), mode: f.mode?.padStart(4, "0"), owner: f.owner, group: f.group } : { content: null };
}

/** The step that puts a file back as its prior says. */
function restoreStep(path: string, current: HostFile, prior: FilePrior): FileStep {
    return { path, current, next: prior.content === null ? null : Buffer.from(prior.content, "base64"), mode: prior.mode, owner: prior.owner, group: prior.group };
}

function contentsOf(inputs: TomlSettingsInputs): { file: ManagedFile; content: string }[] {
    return (inputs.files ?? []).map((file, i) => ({ file, content: inputs.fileContents?.[i] ?? "" }));
}

/** Every path planFiles reads for `news` with `before`: read in one command with the config at the start of create/update. */
export function plannedPaths(news: TomlSettingsInputs, before: Record<string, FilePrior> = {}): string[] {
    return [...new Set([...contentsOf(news).map(({ file }) => file.path), ...Object.keys(before)])];
}

/**
 * Create and update: each file of `news` to its content; each path managed before and not
 * any more back to its prior. `before`: the priors recorded so far; `absent`: paths an
 * interrupted run of this resource recorded as not existing before it wrote them.
 */
export async function planFiles(s: SshSession, news: TomlSettingsInputs, before: Record<string, FilePrior> = {}, absent: readonly string[] = [], read: ReadonlyMap<string, HostFile> = new Map()): Promise<FilesPlan> {
    const steps: FileStep[] = [];
    const priors: Record<string, FilePrior> = {};
    // `read`: the files as read at the start of the operation (in one command with the config), else read here.
    const readFile = async (path: string) => read.get(path) ?? s.readFile(path);
    for (const { file, content } of contentsOf(news)) {
        const current = await readFile(file.path);
        priors[file.path] = before[file.path] ?? (absent.includes(file.path) ? { content: null } : priorOf(current));
        steps.push({ ...file, current, next: Buffer.from(content, "utf8") });
    }
    for (const [path, prior] of Object.entries(before)) {
        if (!(path in priors)) {
            steps.push(restoreStep(path, await readFile(path), prior));
        }
    }
    return { steps, priors };
}

/**
 * Delete: every file the state knows back to its prior — unless someone else changed a file
 * since this resource wrote it (it then stays as it is, and is named in `left`).
 */
export async function planRestore(s: SshSession, props: TomlSettingsOutputs): Promise<{ steps: FileStep[]; left: string[] }> {
    const ours = new Map(contentsOf(props).map(({ file, content }) => [file.path, Buffer.from(content, "utf8")]));
    const steps: FileStep[] = [];
    const left: string[] = [];
    for (const [path, prior] of Object.entries(props.filePriors ?? {})) {
        const current = await s.readFile(path);
        const mine = ours.get(path);
        const priorBytes = prior.content === null ? null : Buffer.from(prior.content, "base64");
        if (mine !== undefined && !fileIs(current, mine) && !fileIs(current, priorBytes)) {
            left.push(path);
            continue;
        }
        steps.push(restoreStep(path, current, prior));
    }
    return { steps, left };
}

/**
 * Refresh: the stored contents, with "" for every file that no longer has them on the host
 * (changed, missing, other mode or owner): the next `up` sees a change and writes it again.
 */
export async function refreshedContents(s: SshSession, props: TomlSettingsOutputs): Promise<string[] | undefined> {
    if (!props.files || props.files.length === 0) {
        return props.fileContents;
    }
    const out: string[] = [];
    for (const { file, content } of contentsOf(props)) {
        const now = await s.readFile(file.path);
        out.push(fileIs(now, Buffer.from(content, "utf8"), file) ? content : "");
    }
    return out;
}
