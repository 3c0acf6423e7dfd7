import type * as dynamic from "@pulumi/pulumi/dynamic";
import { checkInputs } from "./check";
import { normalizedIfKnown } from "../normalized";
import { diffInputs } from "./diff";
import * as operations from "./operations";
import type { TomlSettingsInputs, TomlSettingsOutputs } from "./types";
import { credentialProblems, withCredentials, withCredentialsDuring, withoutCredentials } from "./verifyCredentials";

/**
 * The dynamic provider behind TomlSettings. Methods are prototype methods that only call
 * module functions: the SDK serializes this object into state, and module references
 * serialize as `require("pulumi-influxdb-tls/bin/…")` in a consumer's project. check and diff
 * are pure (no SSH); create/read/update/delete each open one SSH connection (another only
 * when that one is lost). A failed create/update that cannot put the node back where it was
 * throws an init failure (id, properties, reasons): the engine records where the node is.
 */
export class TomlSettingsProvider implements dynamic.ResourceProvider<TomlSettingsInputs, TomlSettingsOutputs> {
    async check(_olds: TomlSettingsInputs, news: TomlSettingsInputs): Promise<dynamic.CheckResult<TomlSettingsInputs>> {
        const failures = [...checkInputs(news as unknown as Record<string, unknown>), ...credentialProblems(news.verifyCredentials)];
        // Defaults spelled out once, here: diff, ids and the SSH layer see the normalized form.
        return {
            inputs: failures.length === 0 ? {
                ...news, connection: normalizedIfKnown(news.connection),
                ...(news.healthGateConnection ? { healthGateConnection: normalizedIfKnown(news.healthGateConnection) } : {}),
            } : news,
            failures,
        };
    }

    async diff(_id: string, olds: TomlSettingsOutputs, news: TomlSettingsInputs): Promise<dynamic.DiffResult> {
        const d = diffInputs(olds as unknown as Record<string, unknown>, news as unknown as Record<string, unknown>);
        return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace };
    }

    async create(inputs: TomlSettingsInputs): Promise<dynamic.CreateResult<TomlSettingsOutputs>> {
        const r = await withCredentialsDuring(() => operations.create(withCredentials(inputs)));
        return { id: r.id, outs: withoutCredentials(r.outs) };
    }

    async read(id: string, props?: TomlSettingsOutputs): Promise<dynamic.ReadResult<TomlSettingsOutputs>> {
        if (!props) {
            // Import is not supported for dynamic resources; without stored state there is nothing to read.
            throw new Error(`TomlSettings ${id}: nothing to read without stored state (import is not supported)`);
        }
        return { id, props: withoutCredentials(await withCredentialsDuring(() => operations.read(withCredentials(props)))) };
    }

    async update(id: string, olds: TomlSettingsOutputs, news: TomlSettingsInputs): Promise<dynamic.UpdateResult<TomlSettingsOutputs>> {
        return { outs: withoutCredentials(await withCredentialsDuring(() => operations.update(id, withCredentials(olds), withCredentials(news)))) };
    }

    async delete(_id: string, props: TomlSettingsOutputs): Promise<void> {
        await operations.remove(withCredentials(props));
    }
}
