import { isCompareAndSwapError } from "../../ssh/errors";
import { sha256Hex } from "../../files/hash";
import { withLink, type SshLink } from "../../ssh/link";
import type { HostFile } from "../../ssh/types";
import { fileStepChanged, putBack, writeStep, type FileStep } from "./fileSteps";
import { type HealthCheck, waitUntilHealthy } from "./service";
import { waitForClusterHealth } from "./healthGate";
import { runPreflight } from "./preflight";
import type { HealthGateSpec, PreflightSpec, ServiceSpec } from "./types";

/** What moving a file from one text to another did. */
export interface TransitionResult {
    written: boolean;
    restarted: boolean;
    sha256: string;
    /** Whether the forward phase's health gate ran and passed. */
    gated: boolean;
}

/** How to restart the service and prove it works, for one side of a transition. */
export interface ServicePhase {
    restart: string[];
    check: HealthCheck;
    /** Cluster health once `check` passed (forward phase of create/update only): its failure fails the step. */
    gate?: HealthGateSpec;
}

/** The phase for a service spec with a given verify command (undefined when there is no service). */
export function phaseOf(spec: ServiceSpec | undefined, verify: string[] | undefined): ServicePhase | undefined {
    if (!spec) {
        return undefined;
    }
    return { restart: spec.restart, check: { verify, timeoutSeconds: spec.verifyTimeoutSeconds, status: spec.status, logs: spec.logs, credentials: spec.verifyCredentials } };
}

export interface TransitionPlan {
    path: string;
    /** The file as read at the start of the operation (the rollback target). */
    current: HostFile;
    next: string;
    /** Restart and verify in the new state; undefined: no service to restart. */
    forward?: ServicePhase;
    /** Restart and verify after `current` is put back: the service spec of the state the node came from. */
    back?: ServicePhase;
    /** Restart even if the file does not change (restart triggers changed, or the node was unhealthy). */
    forceRestart: boolean;
    /** With an unchanged file: verify, and restart to repair a service that fails. */
    verifyUnchanged: boolean;
    /**
     * Files the config references (certificate, key, CA), moved in the same step: written
     * before the config, put back with it when anything fails.
     */
    files?: FileStep[];
    /**
     * Checks of the installed certificate and key, after the files are written and before the
     * config is written or the service restarted: a failure puts the files back, leaves the
     * config untouched and restarts nothing.
     */
    preflight?: PreflightSpec;
}

/** Where the config file is after a failed transition. */
export type FileAt = "current" | "next" | "unknown";

/**
 * A transition failed. `settled`: the node is where it was before (file as read, and — when the
 * service was restarted — verified with the `back` phase), so there is nothing new to record.
 * Otherwise `file`, `sha256` and `healthy: false` say where the node is, for the state.
 * Recognised by name: serialized providers may carry their own copy of the class.
 */
export class TransitionError extends Error {
    constructor(
        message: string,
        readonly settled: boolean,
        readonly file: FileAt,
        /** SHA-256 of the file when known. */
        readonly sha256: string | undefined,
        /** Whether the file was (or may have been) written and the service restarted. */
        readonly written: boolean,
        readonly restarted: boolean,
    ) {
        super(message);
        this.message = message;
        this.name = "TransitionError";
    }
}

export function isTransitionError(e: unknown): e is TransitionError {
    return e instanceof Error && e.name === "TransitionError";
}

/**
 * Moves the file to `next` as one all-or-nothing step: write atomically (compare-and-swap
 * against the bytes read at the start), restart, verify; if anything fails, put the previous
 * bytes back, restart with the previous service spec and verify it — over a new connection
 * when the first one was lost — and fail. A node is never left half-applied; when even the
 * rollback fails, the TransitionError says where the node is.
 */
export async function transition(link: SshLink, plan: TransitionPlan): Promise<TransitionResult> {
    const nextBytes = Buffer.from(plan.next, "utf8");
    const changed = !nextBytes.equals(plan.current.content);
    const files = (plan.files ?? []).filter(fileStepChanged);
    if (!changed && files.length === 0 && !plan.forceRestart) {
        const restarted = plan.verifyUnchanged && plan.forward ? await repairIfUnhealthy(link, plan, plan.forward) : false;
        return { written: false, restarted, sha256: plan.current.sha256, gated: false };
    }
    const nextSha = sha256Hex(nextBytes);
    let restartTried = false;
    let gated = false;
    // Steps whose write was started: a connection lost mid-write may or may not have renamed.
    const started: FileStep[] = [];
    let configStarted = false;
    try {
        for (const f of files) {
            started.push(f);
            await writeStep(await link.session(), f);
        }
        if (plan.preflight) {
            await runPreflight(link, plan.preflight);
        }
        if (changed) {
            configStarted = true;
            // The replaced config is kept as a hard link: the rollback renames it back, which needs no free space.
            await (await link.session()).writeFileAtomic(plan.path, nextBytes, { expectedSha256: plan.current.sha256, keepBackup: true });
        }
        if (plan.forward) {
            restartTried = true;
            await (await link.session()).run(plan.forward.restart);
            await waitUntilHealthy(link, plan.forward.check);
            if (plan.forward.gate) {
                const gate = plan.forward.gate;
                // A gate run elsewhere (a data node's, on a meta node) gets its own connection, closed after it.
                await (gate.connection ? withLink(gate.connection, (l) => waitForClusterHealth(l, gate)) : waitForClusterHealth(link, gate));
                gated = true;
            }
        }
    } catch (failure) {
        let configTouched = configStarted;
        if (isCompareAndSwapError(failure)) {
            // The step that found its file changed by someone else replaced nothing.
            if (configStarted) {
                configTouched = false;
            } else {
                started.pop();
            }
            if (started.length === 0 && !configTouched) {
                await dropBackups(link, plan, []);
                throw failure;
            }
        }
        return rollBack(link, plan, failure as Error, configTouched ? nextSha : undefined, restartTried, started);
    }
    await dropBackups(link, plan, files);
    // `written` is about the config file itself (its own output); the files' writes show as the restart.
    return { written: changed, restarted: restartTried, sha256: changed ? nextSha : plan.current.sha256, gated };
}

/** After a transition that ended with every file where it should be: the backups go (best effort). */
async function dropBackups(link: SshLink, plan: TransitionPlan, files: FileStep[]): Promise<void> {
    try {
        // One command for all of them (each path its own BACKUP_SCRIPT "drop", as before).
        await (await link.session()).dropBackups([...files.map((f) => f.path), plan.path]);
    } catch {
        // A leftover backup is a hard link to a previous version (same owner and mode): harmless, replaced next time.
    }
}

/** Verifies a service whose file does not change; restarts it once when that fails. Returns whether it restarted. */
async function repairIfUnhealthy(link: SshLink, plan: TransitionPlan, phase: ServicePhase): Promise<boolean> {
    try {
        await waitUntilHealthy(link, phase.check);
        return false;
    } catch (first) {
        try {
            await (await link.session()).run(phase.restart);
            await waitUntilHealthy(link, phase.check);
            return true;
        } catch (second) {
            throw new TransitionError(
                `${(first as Error).message}\nRestarted to repair it, still failing: ${(second as Error).message}\n` +
                `${plan.path} on ${link.target} is unchanged (sha256 ${plan.current.sha256}); the service does not pass verification.`,
                false, "current", plan.current.sha256, false, true);
        }
    }
}

async function rollBack(link: SshLink, plan: TransitionPlan, failure: Error, nextSha: string | undefined, restartTried: boolean, files: FileStep[]): Promise<never> {
    const where = `${plan.path} on ${link.target}`;
    const previous = plan.current.sha256;
    let file: FileAt = "unknown";
    let sha: string | undefined;
    let problem: Error | undefined;
    // A second round when the connection was lost again during the first.
    for (let round = 1; round <= 2; round++) {
        try {
            const s = await link.session();
            // (The config was not replaced when its write found it changed by someone else: nothing to check.)
            const now = nextSha === undefined ? plan.current : await s.readFile(plan.path);
            if (now.sha256 === previous) {
                file = "current";
            } else if (nextSha !== undefined && now.sha256 === nextSha) {
                file = "next";
                sha = nextSha;
                // By rename from the backup (works on a full disk); by a write when there is none.
                if (!(await s.restoreBackup(plan.path, nextSha))) {
                    await s.writeFileAtomic(plan.path, plan.current.content, { expectedSha256: nextSha });
                }
                file = "current";
            } else {
                sha = now.sha256;
                throw new Error(`${plan.path} now has content that is neither the previous nor the new one (${now.exists ? "changed by someone else" : "the file is missing"}); left as it is`);
            }
            sha = previous;
            // The certificate files go back in reverse order (the config no longer names any new path).
            for (const f of [...files].reverse()) {
                await putBack(s, f);
            }
            if (restartTried && plan.back) {
                await s.run(plan.back.restart);
                await waitUntilHealthy(link, plan.back.check);
            }
            problem = undefined;
            break;
        } catch (e) {
            problem = e as Error;
            if (!link.lost) {
                break;
            }
        }
    }
    const reconnected = link.reconnects > 0 ? ` (over a new connection: the first one was lost)` : "";
    const others = files.length > 0 ? ` (and ${files.map((f) => f.path).join(", ")})` : "";
    if (problem === undefined) {
        await dropBackups(link, plan, files);
        const done = restartTried
            ? `Rolled back${reconnected}: ${where}${others} has its previous content again and the service was restarted` +
              (plan.back?.check.verify ? " and verified." : ".")
            : `Nothing was changed${reconnected}: ${where}${others} has its previous content and the service was not restarted.`;
        throw new TransitionError(`${failure.message}\n${done}`, true, "current", previous, nextSha !== undefined || files.length > 0, restartTried);
    }
    throw new TransitionError(
        `${failure.message}\nROLLBACK FAILED for ${where}${others}${reconnected}: ${problem.message}\n${whereNow(file, sha, plan.path)}`,
        false, file, sha, nextSha !== undefined || files.length > 0, restartTried);
}

/** One sentence on where the node is after a failed rollback. */
function whereNow(file: FileAt, sha: string | undefined, path: string): string {
    switch (file) {
        case "current":
            return `Node state: ${path} has its previous content again (sha256 ${sha}); the service is not verified. ` +
                `The recorded state says so; the next update restarts and verifies it, destroy reverts the file.`;
        case "next":
            return `Node state: ${path} has the new content (sha256 ${sha}); the service is not verified. ` +
                `The recorded state says so; the next update restarts and verifies it, destroy reverts the file.`;
        default:
            return `Node state: the content of ${path} is not known${sha ? ` (sha256 ${sha})` : ""}; the service is not verified. ` +
                `The recorded state can revert either content; the next update or destroy converges it.`;
    }
}
