/**
 * A stack's state and the engine's three operations on it, driven by a Pulumi program under
 * mocks: `runProgram` (up on an empty stack), `Deployment.update` (up again with a new program
 * version against the recorded state) and `Deployment.destroy`.
 *
 * Engine behaviour reproduced: operations start when their dependencies have finished (the
 * SDK's own registration order); Check before Diff/Create; Diff → same / update / replace,
 * with ignoreChanges, replaceOnChanges and deleteBeforeReplace applied; replaced and removed
 * resources are deleted after the program finished, dependents first; destroy deletes in
 * reverse creation order; a failed create records nothing, a failed update keeps the old
 * state, an init failure records the partial state; after a failure, operations in flight
 * finish but no new one starts (unless `continueOnError`); the run fails with every error.
 */
import { InitFailedError, type DiffPlan, type HandlerContext } from "./handler";
import { handlerFor } from "./handlers";
import { installMocks, type Registration } from "./mocks";
import type { Props, ResourceRecord, RunLog, RunOptions, StepOp, StepRecord } from "./types";
import { changedKeys, unwrapSecrets, wrapSecrets } from "./wire";
import { makeGate } from "./counters";
import { counters } from "./stepLog";
import { sameValue } from "../../provider/providers/compare";

export type Program = () => void | Promise<void>;

/** A run that failed. `deployment` holds whatever state was recorded, so tests can still destroy it. */
export class DeploymentError extends Error {
    constructor(readonly errors: readonly Error[], readonly deployment: Deployment, readonly log: RunLog) {
        super(`harness ${log.kind} failed:\n${errors.map((e) => `  - ${e.message}`).join("\n")}`);
        this.name = "DeploymentError";
    }
}

/**
 * The error a registration gets when the run stopped before its operation started. Not an
 * error of the run: the engine reports only the failures that stopped it.
 */
const NOT_STARTED = "harness: not started: the run stopped after a failure";

/** `pulumi up` of `program` on an empty stack. Throws a DeploymentError (with the partial deployment) on failure. */
export async function runProgram(program: Program, options: RunOptions = {}): Promise<Deployment> {
    const d = new Deployment(options);
    await d.update(program);
    return d;
}

function isCustom(r: { custom: boolean; type: string }): boolean {
    return r.custom && !r.type.startsWith("pulumi:providers:");
}

function record(reg: Registration, inputs: Props, secretInputs: string[], id: string, outputs: Props): ResourceRecord {
    const secretOutputs = [...new Set([...secretInputs, ...reg.options.additionalSecretOutputs])].filter((k) => k in outputs);
    return {
        type: reg.type, name: reg.name, urn: reg.urn, custom: reg.custom, parent: reg.parent,
        dependencies: reg.dependencies, propertyDependencies: reg.propertyDependencies, options: reg.options,
        id, inputs, secretInputs, outputs, secretOutputs,
    };
}

/**
 * The engine's shouldTriggerReplace (pkg/resource/deploy/step_generator.go, 3.274): no trigger
 * on either side (null/absent) is never a replacement — so setting a trigger for the first
 * time replaces nothing; two values replace when they differ.
 */
function triggersReplace(next: unknown, prev: unknown): boolean {
    if (next === undefined || next === null || prev === undefined || prev === null) return false;
    return !sameValue(next, prev);
}

/** Top-level name of a replaceOnChanges/ignoreChanges path ("triggers[*]" → "triggers"). */
function topLevel(p: string): string {
    return p.split(/[.[]/)[0];
}

export class Deployment {
    private state: ResourceRecord[] = [];
    /** Every run on this stack, oldest first. */
    readonly history: RunLog[] = [];

    constructor(readonly options: RunOptions = {}) {}

    /** The stack's resources (components included), in creation order. */
    get resources(): readonly ResourceRecord[] {
        return this.state;
    }

    /** The latest run's log. */
    get last(): RunLog {
        return this.history[this.history.length - 1];
    }

    /** SSH connections over every run of this stack so far. */
    get sshConnections(): number {
        return this.history.reduce((n, r) => n + r.sshConnections, 0);
    }

    /** The one resource named `name` (of `type`, when given). Throws when there is none or several. */
    get(name: string, type?: string): ResourceRecord {
        const found = this.state.filter((r) => r.name === name && (type === undefined || r.type === type));
        if (found.length !== 1) {
            throw new Error(`harness: ${found.length} resources named ${name}${type ? ` of type ${type}` : ""}; have: ${this.state.map((r) => r.name).join(", ")}`);
        }
        return found[0];
    }

    byType(type: string): ResourceRecord[] {
        return this.state.filter((r) => r.type === type);
    }

    /**
     * `pulumi up` with `program` against the recorded state: unchanged resources are left
     * alone ("same"), changed ones updated or replaced, resources the program no longer
     * declares deleted. Returns the run's log; throws a DeploymentError on failure.
     */
    async update(program: Program): Promise<RunLog> {
        const kind = this.history.length === 0 && this.state.length === 0 ? "up" : "update";
        const prior = this.state;
        const priorByUrn = new Map(prior.map((r) => [r.urn, r]));
        const next: ResourceRecord[] = [];
        const seen = new Set<string>();
        const replaced: ResourceRecord[] = [];
        const errors: Error[] = [];
        const log = counters(kind, this.options);
        const gate = makeGate(this.options.parallel !== true);

        const onRegister = async (reg: Registration): Promise<{ id: string | undefined; state: Props }> => {
            const { plain, secret } = unwrapSecrets(reg.inputs);
            seen.add(reg.urn);
            if (!isCustom(reg)) {
                // Components (and explicit provider resources) have no effect of their own.
                next.push(record(reg, plain, secret, reg.custom ? "harness-provider" : "", plain));
                return { id: reg.custom ? "harness-provider" : undefined, state: reg.inputs };
            }
            const old = priorByUrn.get(reg.urn);
            const rec = await gate(() => {
                // `pulumi up` without --continue-on-error lets the operations in flight finish
                // after a failure but starts no new one; a resource not reached keeps its state.
                if (errors.length > 0 && this.options.continueOnError !== true) {
                    if (old) next.push(old);
                    this.options.log?.(`${kind} not started ${reg.type} ${reg.name}: the run stopped after a failure`);
                    return Promise.reject(new Error(`${NOT_STARTED} (${reg.type} ${reg.name})`));
                }
                return this.apply(reg, plain, secret, old, next, replaced, log).catch((e: Error) => {
                    errors.push(e);
                    throw e;
                });
            });
            return { id: rec.id, state: wrapSecrets(rec.outputs, rec.secretOutputs) };
        };

        const run = await installMocks(this.options.project ?? "harness", this.options.stack ?? "test", onRegister);
        try {
            try {
                await program();
            } catch (e) {
                errors.push(e as Error);
            }
            // A rejected input (an apply that throws) fails only as a stray rejection: a failure too.
            await run.settle(() => errors.length > 0 || run.stray.length > 0);
            const pending = run.pendingPromises();
            if (errors.length === 0 && run.stray.length === 0 && pending > 0) {
                errors.push(new Error(`the program left ${pending} Pulumi promise(s) pending: a real \`pulumi up\` fails on that at exit`));
            }
        } finally {
            run.dispose();
        }
        // Dependents of a failed resource fail in the SDK with a wrapped copy of its error; a
        // resource the run never started is no failure of its own.
        for (const e of run.stray) {
            if (!errors.some((x) => e.message.includes(x.message)) && !e.message.includes(NOT_STARTED)) errors.push(e);
        }

        let leftovers = prior.filter((r) => !seen.has(r.urn) || replaced.includes(r));
        if (errors.length === 0) {
            // Replaced and removed resources go last, dependents first (reverse creation order).
            for (const r of [...leftovers].reverse()) {
                try {
                    await this.remove(r, replaced.includes(r) ? "delete-replaced" : "delete", log);
                    leftovers = leftovers.filter((x) => x !== r);
                } catch (e) {
                    errors.push(e as Error);
                    break;
                }
            }
        }
        // What could not be deleted stays in state (older, so it is destroyed after the rest).
        this.state = [...leftovers, ...next];
        if (errors.length > 0) {
            // A failed run leaves the resources it never reached where they were: destroy
            // goes by the original order (dependents first), as the engine goes by dependencies.
            const pos = new Map(prior.map((r, i) => [r.urn, i]));
            this.state.sort((a, b) => (pos.get(a.urn) ?? Infinity) - (pos.get(b.urn) ?? Infinity));
        }
        const result = log.finish();
        this.history.push(result);
        if (errors.length > 0) {
            throw new DeploymentError(errors, this, result);
        }
        return result;
    }

    /**
     * `pulumi refresh`: each resource's provider Read replaces its recorded outputs (inputs
     * stay); resources without Read (remote.Command: pulumi-command's Read returns the state
     * as is) are left alone. Throws a DeploymentError on the first failure.
     */
    async refresh(): Promise<RunLog> {
        const log = counters("refresh", this.options);
        const errors: Error[] = [];
        for (const r of this.state) {
            if (!isCustom(r)) continue;
            const handler = handlerFor(r.type);
            if (!handler.read) continue;
            try {
                await log.step("read", r, async (ctx) => {
                    const outputs = await handler.read!(r, ctx);
                    this.state = this.state.map((x) => (x === r ? { ...r, outputs } : x));
                });
            } catch (e) {
                errors.push(e as Error);
                break;
            }
        }
        const result = log.finish();
        this.history.push(result);
        if (errors.length > 0) {
            throw new DeploymentError(errors, this, result);
        }
        return result;
    }

    /** `pulumi destroy`: deletes every resource, dependents first. Stops at the first failure (it stays in state). */
    async destroy(): Promise<RunLog> {
        const log = counters("destroy", this.options);
        const errors: Error[] = [];
        for (const r of [...this.state].reverse()) {
            try {
                await this.remove(r, "delete", log);
                this.state = this.state.filter((x) => x !== r);
            } catch (e) {
                errors.push(e as Error);
                break;
            }
        }
        const result = log.finish();
        this.history.push(result);
        if (errors.length > 0) {
            throw new DeploymentError(errors, this, result);
        }
        return result;
    }

    private async remove(r: ResourceRecord, op: StepOp, log: ReturnType<typeof counters>): Promise<void> {
        if (!isCustom(r)) return;
        if (r.options.protect) {
            throw new Error(`${r.type} ${r.name} is protected and cannot be deleted`);
        }
        if (r.options.retainOnDelete) return;
        const handler = handlerFor(r.type);
        await log.step(op, r, (ctx) => (handler.delete ? handler.delete(r, ctx) : Promise.resolve()));
    }

    /** Check, then create — or Diff and same/update/replace against the old state. */
    private async apply(
        reg: Registration,
        plain: Props,
        secret: string[],
        old: ResourceRecord | undefined,
        next: ResourceRecord[],
        replaced: ResourceRecord[],
        log: ReturnType<typeof counters>,
    ): Promise<ResourceRecord> {
        const handler = handlerFor(reg.type);
        const keep = (rec: ResourceRecord) => (next.push(rec), rec);
        const create = (op: StepOp, inputs: Props) =>
            log.step(op, reg, async (ctx) => {
                try {
                    const r = await handler.create(inputs, ctx);
                    return keep(record(reg, inputs, secret, r.id, r.outputs));
                } catch (e) {
                    if (e instanceof InitFailedError) keep(record(reg, inputs, secret, e.id, e.outputs));
                    throw e;
                }
            });
        if (!old) {
            const inputs = handler.check ? await log.untimed(reg, (ctx) => handler.check!(undefined, plain, ctx)) : plain;
            return create("create", inputs);
        }
        let inputs: Props = plain;
        let plan: DiffPlan;
        try {
            inputs = await log.untimed(reg, async (ctx) => {
                let checked = handler.check ? await handler.check(old.inputs, plain, ctx) : plain;
                checked = { ...checked };
                for (const p of reg.options.ignoreChanges.map(topLevel)) {
                    if (p in old.inputs) checked[p] = old.inputs[p];
                    else delete checked[p];
                }
                return checked;
            });
            plan = await log.untimed(reg, (ctx) => this.diff(handler, old, inputs, reg, ctx));
        } catch (e) {
            keep(old); // a failed check/diff changes nothing
            throw e;
        }
        if (plan.kind === "same") {
            // The engine stores the new inputs but keeps the outputs (and the __provider in them).
            return log.step("same", reg, async () => keep(record(reg, inputs, secret, old.id, old.outputs)));
        }
        if (plan.kind === "update") {
            return log.step("update", reg, async (ctx) => {
                try {
                    if (!handler.update) throw new Error(`${reg.type} ${reg.name}: the provider cannot update (${plan.keys.join(", ")})`);
                    return keep(record(reg, inputs, secret, old.id, await handler.update(old, inputs, ctx)));
                } catch (e) {
                    if (e instanceof InitFailedError) keep(record(reg, inputs, secret, e.id, e.outputs));
                    else keep(old); // a failed update keeps the old state
                    throw e;
                }
            });
        }
        if (plan.deleteBeforeReplace || reg.options.deleteBeforeReplace) {
            await log.step("delete-before-replace", old, async (ctx) => {
                try {
                    if (handler.delete) await handler.delete(old, ctx);
                } catch (e) {
                    keep(old);
                    throw e;
                }
            });
            return create("create-replacement", inputs);
        }
        try {
            const rec = await create("create-replacement", inputs);
            replaced.push(old);
            return rec;
        } catch (e) {
            keep(old); // the old resource is still there
            throw e;
        }
    }

    /** replacementTrigger; else the provider's Diff, or the engine's own input diff; then replaceOnChanges. */
    private async diff(handler: ReturnType<typeof handlerFor>, old: ResourceRecord, news: Props, reg: Registration, ctx: HandlerContext): Promise<DiffPlan> {
        if (triggersReplace(reg.options.replacementTrigger, old.options.replacementTrigger)) {
            return { kind: "replace", keys: ["replacementTrigger"], deleteBeforeReplace: false };
        }
        const keys = changedKeys(old.inputs, news);
        const plan: DiffPlan = handler.diff ? await handler.diff(old, news, ctx) : keys.length === 0 ? { kind: "same" } : { kind: "update", keys };
        const forced = reg.options.replaceOnChanges.map(topLevel);
        const forcedKeys = keys.filter((k) => forced.includes(k) || forced.includes("*"));
        if (plan.kind === "update" && forcedKeys.length > 0) {
            return { kind: "replace", keys: forcedKeys, deleteBeforeReplace: false };
        }
        return plan;
    }
}

export type { StepRecord };
