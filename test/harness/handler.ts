/**
 * What the harness needs from a stand-in for one resource type: the provider calls the
 * engine makes (Check, Diff, Create, Update, Delete), with plain values.
 */
import type { Props, ResourceRecord, RunOptions } from "./types";

/** Per-call context. */
export interface HandlerContext {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly options: RunOptions;
    /** Set by a handler to describe what ran (e.g. the command string), for the step log. */
    describe(detail: string): void;
}

/** A provider's answer to Diff, already reduced to what the engine does with it. */
export type DiffPlan =
    | { readonly kind: "same" }
    | { readonly kind: "update"; readonly keys: readonly string[] }
    | { readonly kind: "replace"; readonly keys: readonly string[]; readonly deleteBeforeReplace: boolean };

export interface Handler {
    /** Check (validation/defaulting of inputs). olds is undefined on create. */
    check?(olds: Props | undefined, news: Props, ctx: HandlerContext): Promise<Props>;
    create(inputs: Props, ctx: HandlerContext): Promise<{ id: string; outputs: Props }>;
    /** Diff stored state against new (checked) inputs. Missing: the engine's own input diff (any change = update). */
    diff?(old: ResourceRecord, news: Props, ctx: HandlerContext): Promise<DiffPlan>;
    update?(old: ResourceRecord, news: Props, ctx: HandlerContext): Promise<Props>;
    delete?(old: ResourceRecord, ctx: HandlerContext): Promise<void>;
    /** Read (refresh): the resource's current state. Missing: the state is kept as it is. */
    read?(old: ResourceRecord, ctx: HandlerContext): Promise<Props>;
}

/**
 * A create that failed after the resource came into existence (the dynamic provider's
 * ErrorResourceInitFailed): the engine records the partial state, then fails the run.
 */
export class InitFailedError extends Error {
    constructor(message: string, readonly id: string, readonly outputs: Props) {
        super(message);
        this.name = "InitFailedError";
    }
}
