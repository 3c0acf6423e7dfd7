import type { SshSession } from "../../ssh/session";
import type { RemoteFile } from "../../ssh/types";
import { restartService, waitUntilHealthy } from "./service";
import type { ServiceSpec } from "./types";

/** What moving a file from one text to another did. */
export interface TransitionResult {
    written: boolean;
    restarted: boolean;
    sha256: string;
}

export interface TransitionPlan {
    path: string;
    /** The file as read at the start of the operation (the rollback target). */
    current: RemoteFile;
    next: string;
    service?: ServiceSpec;
    /** Restart even if the file does not change (restart triggers changed). */
    forceRestart: boolean;
    /** Proves the service works in the new state. */
    verify?: string[];
    /** Proves the service works again after a rollback to `current`. */
    rollbackVerify?: string[];
    /** Run `verify` even when nothing was written or restarted. */
    verifyUnchanged: boolean;
}

/**
 * Moves the file to `next` as one all-or-nothing step: write atomically (compare-and-swap
 * against the bytes read at the start), restart, verify; if restart or verify fails, put the
 * previous bytes back, restart again and fail — a node is never left half-applied.
 */
export async function transition(session: SshSession, plan: TransitionPlan): Promise<TransitionResult> {
    const nextBytes = Buffer.from(plan.next, "utf8");
    const changed = !nextBytes.equals(plan.current.content);
    if (!changed && !plan.forceRestart) {
        if (plan.verifyUnchanged) {
            await waitUntilHealthy(session, plan.verify, plan.service?.verifyTimeoutSeconds, plan.service?.verifyCredentials);
        }
        return { written: false, restarted: false, sha256: plan.current.sha256 };
    }
    let sha256 = plan.current.sha256;
    if (changed) {
        sha256 = (await session.writeFileAtomic(plan.path, nextBytes, { expectedSha256: plan.current.sha256 })).sha256;
    }
    const service = plan.service;
    if (!service) {
        return { written: changed, restarted: false, sha256 };
    }
    try {
        await restartService(session, service);
        await waitUntilHealthy(session, plan.verify, service.verifyTimeoutSeconds, service.verifyCredentials);
    } catch (failure) {
        await rollBack(session, plan, changed ? sha256 : undefined, failure as Error);
    }
    return { written: changed, restarted: true, sha256 };
}

async function rollBack(session: SshSession, plan: TransitionPlan, writtenSha: string | undefined, failure: Error): Promise<never> {
    const where = `${plan.path} on ${session.target}`;
    try {
        if (writtenSha !== undefined) {
            await session.writeFileAtomic(plan.path, plan.current.content, { expectedSha256: writtenSha });
        }
        await restartService(session, plan.service!);
        await waitUntilHealthy(session, plan.rollbackVerify, plan.service!.verifyTimeoutSeconds, plan.service!.verifyCredentials);
    } catch (rollbackFailure) {
        throw new Error(
            `${failure.message}\nROLLBACK FAILED for ${where}: ${(rollbackFailure as Error).message}. ` +
            `The file or service may need manual repair.`);
    }
    throw new Error(
        `${failure.message}\nRolled back: ${where} has its previous content again and the service was restarted.`);
}
