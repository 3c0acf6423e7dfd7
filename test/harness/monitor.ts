/**
 * The SDK's mock monitor (runtime/mocks.js) gives `mocks.newResource` neither the parent, the
 * dependencies nor the resource options, so its registerResource is wrapped to read them from
 * the RegisterResourceRequest. The SDK calls newResource synchronously inside
 * registerResource, so the request is handed over in a variable set just around that call.
 */
import * as pulumi from "@pulumi/pulumi";
import type { RegisteredResource } from "./types";

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
    getReplacementTrigger(): { toJavaScript(): unknown } | undefined;
}
interface MockMonitorLike {
    registerResource(req: RegisterRequest, cb: unknown): unknown;
    newUrn(parent: string, type: string, name: string): string;
}

/**
 * Wraps the current mock monitor (call after each setMocks). The returned function gives the
 * registration whose newResource is running, and undefined anywhere else (e.g. a read).
 */
export function watchRegistrations(): () => RegisteredResource | undefined {
    const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitorLike;
    const original = monitor.registerResource;
    let current: RegisteredResource | undefined;
    monitor.registerResource = function (req: RegisterRequest, cb: unknown) {
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((v, k) => (propertyDependencies[k] = v.getUrnsList()));
        current = {
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
                replacementTrigger: req.getReplacementTrigger()?.toJavaScript() ?? undefined,
            },
        };
        try {
            return original.call(this, req, cb);
        } finally {
            current = undefined;
        }
    };
    return () => current;
}
