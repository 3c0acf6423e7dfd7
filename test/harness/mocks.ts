/**
 * Hooking a program run into the SDK's mock monitor (runtime/mocks.js). The mock monitor's
 * registerResource awaits `mocks.newResource` before it answers with the URN, and the SDK
 * only registers a resource once every dependency's URN is known: a dependent is therefore
 * registered only after its dependencies' operations finished — the engine's order.
 *
 * The mock's newResource sees neither the parent, the dependencies nor the resource options,
 * so registerResource is wrapped to read them from the RegisterResourceRequest. The SDK calls
 * newResource synchronously inside registerResource, so the request is handed over in a
 * variable that is set just around that call.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Props, RegisteredResource } from "./types";

/** One RegisterResource call, with everything the engine would see. */
export interface Registration extends RegisteredResource {
    /** Inputs as the mock received them: secrets still wrapped. */
    readonly inputs: Props;
}

export type OnRegister = (reg: Registration) => Promise<{ id: string | undefined; state: Props }>;

/* The parts of runtime/mocks.js MockMonitor and the protobuf request that are used here. */
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(fn: (v: { getUrnsList(): string[] }, k: string) => void): void };
    getDeletebeforereplace(): boolean;
    getReplaceonchangesList(): string[];
    getIgnorechangesList(): string[];
    getAdditionalsecretoutputsList(): string[];
    getProtect(): boolean;
    getRetainondelete(): boolean;
}
interface MockMonitorLike {
    registerResource(req: RegisterRequest, cb: unknown): unknown;
    newUrn(parent: string, type: string, name: string): string;
}

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
    let handoff: Registration | undefined;
    const inflight = new Set<Promise<unknown>>();
    let registrations = 0;
    const mocks: pulumi.runtime.Mocks = {
        newResource(args) {
            const reg = handoff;
            handoff = undefined;
            if (!reg || reg.type !== args.type || reg.name !== args.name) {
                throw new Error(`harness: ${args.type} ${args.name}: reading or importing existing resources is not supported`);
            }
            if (args.id) {
                throw new Error(`harness: ${args.type} ${args.name}: import (id ${args.id}) is not supported`);
            }
            registrations++;
            const op = onRegister({ ...reg, inputs: args.inputs });
            const tracked = op.then(() => undefined, () => undefined).finally(() => inflight.delete(tracked));
            inflight.add(tracked);
            return op;
        },
        call(args) {
            throw new Error(`harness: invoke ${args.token} is not supported (no provider function stand-ins)`);
        },
    };
    await pulumi.runtime.setMocks(mocks, project, stack, false);
    const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitorLike;
    const original = monitor.registerResource;
    monitor.registerResource = function (req: RegisterRequest, cb: unknown) {
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((v, k) => (propertyDependencies[k] = v.getUrnsList()));
        handoff = {
            type: req.getType(),
            name: req.getName(),
            urn: monitor.newUrn(req.getParent(), req.getType(), req.getName()),
            custom: req.getCustom(),
            parent: req.getParent(),
            dependencies: req.getDependenciesList(),
            propertyDependencies,
            options: {
                deleteBeforeReplace: req.getDeletebeforereplace(),
                replaceOnChanges: req.getReplaceonchangesList(),
                ignoreChanges: req.getIgnorechangesList(),
                additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
                protect: req.getProtect(),
                retainOnDelete: req.getRetainondelete(),
            },
            inputs: {},
        };
        try {
            return original.call(this, req, cb);
        } finally {
            handoff = undefined;
        }
    };

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
            const idleAfterFailure = () => new Promise<void>((resolve) => {
                const t = setInterval(() => {
                    if (failed() && inflight.size === 0) {
                        clearInterval(t);
                        resolve();
                    }
                }, 50);
            });
            for (;;) {
                const seen = registrations;
                await Promise.race([waitForRPCs(), idleAfterFailure()]);
                if (failed() && inflight.size === 0) break;
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
