/**
 * Hooking a program run into the SDK's mock monitor (runtime/mocks.js). The mock monitor's
 * registerResource awaits `mocks.newResource` before it answers with the URN, and the SDK
 * only registers a resource once every dependency's URN is known: a dependent is therefore
 * registered only after its dependencies' operations finished — the engine's order.
 *
 * The mock's newResource sees neither the parent, the dependencies nor the resource options:
 * watchRegistrations (monitor.ts) reads them from the request.
 */
import * as pulumi from "@pulumi/pulumi";
import { watchRegistrations } from "./monitor";
import type { Props, RegisteredResource } from "./types";

/** One RegisterResource call, with everything the engine would see. */
export interface Registration extends RegisteredResource {
    /** Inputs as the mock received them: secrets still wrapped. */
    readonly inputs: Props;
}

export type OnRegister = (reg: Registration) => Promise<{ id: string | undefined; state: Props }>;

// Internal to the SDK (not in its .d.ts): waits until every pending RPC has finished.
const waitForRPCs = (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs;

// Internal SDK state: the set of pending promises its exit hook reports as leaks.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const sdkState = require("@pulumi/pulumi/runtime/state") as { getStore(): { leakCandidates: Set<unknown> } };

let active = false;

export interface MockRun {
    /** Resolves once the program and every registration it caused have finished. */
    settle(failed?: () => boolean): Promise<void>;
    /** Errors the SDK raised outside any registration (program failures, dependents of failed resources). */
    readonly stray: Error[];
    /**
     * Promises the SDK still tracks as pending. A real `pulumi up` fails at exit when there
     * are any ("The Pulumi runtime detected that N promises were still active").
     */
    pendingPromises(): number;
    dispose(): void;
}

/**
 * setMocks for one run. setMocks resets the SDK's global settings (monitor, RPC queue, stack
 * resource), so it may be called again for the next run in the same process — but two runs
 * must not overlap, which is enforced here.
 */
export async function installMocks(project: string, stack: string, onRegister: OnRegister): Promise<MockRun> {
    if (active) {
        throw new Error("harness: another program run is in progress in this process (pulumi's runtime state is global)");
    }
    active = true;
    let registering: () => RegisteredResource | undefined = () => undefined;
    const inflight = new Set<Promise<unknown>>();
    let registrations = 0;
    const mocks: pulumi.runtime.Mocks = {
        newResource(args) {
            const seen = registering();
            if (!seen || seen.type !== args.type || seen.name !== args.name) {
                throw new Error(`harness: ${args.type} ${args.name}: reading or importing existing resources is not supported`);
            }
            if (args.id) {
                throw new Error(`harness: ${args.type} ${args.name}: import (id ${args.id}) is not supported`);
            }
            registrations++;
            const op = onRegister({ ...seen, inputs: args.inputs });
            const tracked = op.then(() => undefined, () => undefined).finally(() => inflight.delete(tracked));
            inflight.add(tracked);
            return op;
        },
        call(args) {
            throw new Error(`harness: invoke ${args.token} is not supported (no provider function stand-ins)`);
        },
    };
    await pulumi.runtime.setMocks(mocks, project, stack, false);
    registering = watchRegistrations();

    // A failed registration makes the SDK reject promises nobody awaits (the dependents'
    // registrations). In a real `pulumi up` that ends the program with an error; here they are
    // collected and reported by the run instead of crashing the test file. node:test's own
    // listeners are put back afterwards.
    const stray: Error[] = [];
    const saved = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    const onStray = (e: unknown) => stray.push(e instanceof Error ? e : new Error(String(e)));
    process.on("unhandledRejection", onStray);

    const tick = () => new Promise((r) => setImmediate(r));
    return {
        stray,
        async settle(failed = () => false) {
            // Until a full pass sees no new registration and nothing in flight: apply callbacks
            // may register resources after the RPC queue first drained. Once a registration has
            // failed, dependents that wait for its outputs may never be sent (the SDK leaves
            // them pending): the CLI ends the program with the error then, and so does this.
            // (Only after 1 s without progress, so rejections the SDK still delivers land here.)
            let stuck = false;
            const idleAfterFailure = () => new Promise<void>((resolve) => {
                let idleSince = Date.now();
                const t = setInterval(() => {
                    if (!failed() || inflight.size > 0) idleSince = Date.now();
                    else if (Date.now() - idleSince >= 1000) {
                        stuck = true;
                        clearInterval(t);
                        resolve();
                    }
                }, 50);
                void waitForRPCs().finally(() => clearInterval(t));
            });
            for (;;) {
                const seen = registrations;
                await Promise.race([waitForRPCs(), idleAfterFailure()]);
                if (stuck) break;
                while (inflight.size > 0) await Promise.all([...inflight]);
                await tick();
                await tick();
                if (registrations === seen && inflight.size === 0) break;
            }
        },
        pendingPromises() {
            return sdkState.getStore().leakCandidates.size;
        },
        dispose() {
            // Otherwise the SDK's exit hook reports this run's leftovers and sets exit code 1.
            sdkState.getStore().leakCandidates = new Set();
            process.removeListener("unhandledRejection", onStray);
            for (const l of saved) process.on("unhandledRejection", l);
            active = false;
        },
    };
}
