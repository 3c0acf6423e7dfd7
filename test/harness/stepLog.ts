/**
 * The log of one run: a StepRecord per provider operation with its wall time and SSH use,
 * and the run's totals.
 */
import { since, snapshot } from "./counters";
import type { HandlerContext } from "./handler";
import type { RunLog, RunOptions, StepOp, StepRecord } from "./types";

type Target = { type: string; name: string; urn: string };

export interface StepLog {
    /** Run one provider operation as a logged step. */
    step<T>(op: StepOp, target: Target, fn: (ctx: HandlerContext) => Promise<T>): Promise<T>;
    /** Run a provider call that is part of planning (Check, Diff): not a step of its own. */
    untimed<T>(target: Target, fn: (ctx: HandlerContext) => Promise<T>): Promise<T>;
    finish(): RunLog;
}

export function counters(kind: RunLog["kind"], options: RunOptions): StepLog {
    const steps: StepRecord[] = [];
    const started = Date.now();
    const start = snapshot();
    const attribute = options.parallel !== true;
    const ctxFor = (t: Target, describe: (d: string) => void): HandlerContext => ({ type: t.type, name: t.name, urn: t.urn, options, describe });
    return {
        async step(op, t, fn) {
            let detail: string | undefined;
            let error: string | undefined;
            const t0 = Date.now();
            const s0 = snapshot();
            try {
                return await fn(ctxFor(t, (d) => (detail = d)));
            } catch (e) {
                error = (e as Error).message;
                throw e;
            } finally {
                const used = since(s0);
                const rec: StepRecord = {
                    op, type: t.type, name: t.name, urn: t.urn, ms: Date.now() - t0,
                    ...(attribute ? { sshConnections: used.connections, sshCommands: used.commands } : {}),
                    ...(detail !== undefined ? { detail } : {}),
                    ...(error !== undefined ? { error } : {}),
                };
                steps.push(rec);
                options.log?.(`${kind} ${op} ${t.type} ${t.name}: ${rec.ms} ms` +
                    (attribute ? `, ${used.connections} ssh connection(s)` : "") + (error ? ` FAILED: ${error.split("\n")[0]}` : ""));
            }
        },
        untimed(t, fn) {
            return fn(ctxFor(t, () => undefined));
        },
        finish() {
            const used = since(start);
            return { kind, steps, wallMs: Date.now() - started, sshConnections: used.connections, sshCommands: used.commands };
        },
    };
}
