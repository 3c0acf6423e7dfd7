/**
 * The SDK's dynamic-provider host (node_modules/@pulumi/pulumi/cmd/dynamic-provider), in
 * process: the provider is loaded from the serialized `__provider` text with
 * require-from-string and `.handler()`, cached per text, and called the way the host calls
 * it — Check(olds, news), Diff(id, oldOutputs, news), Create(checked inputs),
 * Update(id, oldOutputs, news), Delete(id, outputs) — with every value sent through the
 * protobuf Struct round trip. Delete uses the `__provider` stored in state (the code from the
 * last create/update), exactly like `pulumi destroy`.
 */
import * as path from "node:path";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { InitFailedError, type DiffPlan, type Handler, type HandlerContext } from "./handler";
import type { Props, ResourceRecord } from "./types";
import { changedKeys, overTheWire } from "./wire";

const PROVIDER_KEY = "__provider";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

// The same require-from-string the host uses (a dependency of @pulumi/pulumi).
const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
// eslint-disable-next-line @typescript-eslint/no-var-requires
const requireFromString = require(require.resolve("require-from-string", { paths: [sdkDir] })) as (code: unknown) => { handler(): dynamic.ResourceProvider };

const cache = new Map<string, dynamic.ResourceProvider>();

async function providerOf(props: Props): Promise<dynamic.ResourceProvider> {
    const text = props[PROVIDER_KEY];
    let provider = cache.get(text as string);
    if (!provider) {
        // Throws "code must be a string, not undefined" when state lost __provider, as the host does.
        provider = requireFromString(text).handler();
        if (provider.configure) {
            // The host passes the stack config; the harness has none.
            // eslint-disable-next-line @typescript-eslint/no-var-requires
            const { Config } = require(path.join(sdkDir, "cmd/dynamic-provider/config")) as { Config: new (raw: Record<string, string>, project: string) => unknown };
            await provider.configure({ config: new Config({}, "harness") } as unknown as dynamic.ConfigureRequest);
        }
        cache.set(text as string, provider);
    }
    return provider;
}

function withProvider(outs: Props | undefined, from: Props): Props {
    return { ...(outs ?? {}), [PROVIDER_KEY]: from[PROVIDER_KEY] };
}

/** An error a dynamic provider throws with id/properties: the host turns it into ErrorResourceInitFailed. */
function initFailure(e: unknown, ctx: HandlerContext): never {
    const err = e as Error & { id?: string; properties?: Props };
    if (err && err.id) {
        throw new InitFailedError(`${ctx.name}: ${err.message}`, err.id, overTheWire(err.properties ?? {}, `${ctx.name} init-failure properties`));
    }
    throw e;
}

export const dynamicResource: Handler = {
    async check(olds, news, ctx) {
        const o = overTheWire(olds ?? {}, `${ctx.name} check olds`);
        const n = overTheWire(news, `${ctx.name} check news`);
        const provider = await providerOf(n[PROVIDER_KEY] === UNKNOWN ? o : n);
        if (!provider.check) {
            return n;
        }
        const result = await provider.check(o, n);
        const failures = result.failures ?? [];
        if (failures.length > 0) {
            throw new Error(`${ctx.type} resource '${ctx.name}': check failed: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
        }
        return { ...overTheWire(result.inputs ?? n, `${ctx.name} check result`), [PROVIDER_KEY]: n[PROVIDER_KEY] };
    },

    async create(inputs, ctx) {
        const props = overTheWire(inputs, `${ctx.name} create inputs`);
        const provider = await providerOf(props);
        let result: dynamic.CreateResult;
        try {
            result = await provider.create(props);
        } catch (e) {
            initFailure(e, ctx);
        }
        return { id: result.id, outputs: overTheWire(withProvider(result.outs, props), `${ctx.name} create outputs`) };
    },

    async diff(old: ResourceRecord, news: Props, ctx): Promise<DiffPlan> {
        const olds = overTheWire(old.outputs, `${ctx.name} diff olds`);
        const n = overTheWire(news, `${ctx.name} diff news`);
        const provider = await providerOf(n[PROVIDER_KEY] === UNKNOWN ? olds : n);
        if (provider.diff) {
            const r = await provider.diff(old.id, olds, n);
            if (r.changes === false) return { kind: "same" };
            if (r.changes === true) {
                const replaces = r.replaces ?? [];
                return replaces.length > 0
                    ? { kind: "replace", keys: replaces, deleteBeforeReplace: r.deleteBeforeReplace === true }
                    : { kind: "update", keys: [] };
            }
        }
        // DIFF_UNKNOWN: the engine compares old and new inputs itself, __provider included.
        const keys = changedKeys(old.inputs, news);
        return keys.length === 0 ? { kind: "same" } : { kind: "update", keys };
    },

    async update(old: ResourceRecord, news: Props, ctx) {
        const olds = overTheWire(old.outputs, `${ctx.name} update olds`);
        const n = overTheWire(news, `${ctx.name} update news`);
        const provider = await providerOf(n);
        let outs: Props | undefined;
        if (provider.update) {
            try {
                outs = (await provider.update(old.id, olds, n))?.outs;
            } catch (e) {
                initFailure(e, ctx);
            }
        }
        // No update method: stored outputs shrink to {__provider}, as with the real host.
        return overTheWire(withProvider(outs, n), `${ctx.name} update outputs`);
    },

    async read(old: ResourceRecord, ctx) {
        const props = overTheWire(old.outputs, `${ctx.name} read props`);
        const provider = await providerOf(props);
        if (!provider.read) return old.outputs;
        const r = await provider.read(old.id, props);
        return overTheWire(withProvider(r.props ?? props, props), `${ctx.name} read outputs`);
    },

    async delete(old: ResourceRecord, ctx) {
        const props = overTheWire(old.outputs, `${ctx.name} delete props`);
        const provider = await providerOf(props);
        if (provider.delete) {
            await provider.delete(old.id, props);
        }
    },
};
