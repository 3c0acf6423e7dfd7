import type * as dynamic from "@pulumi/pulumi/dynamic";
import { sha256Hex } from "../../files";
import { sameValue } from "../compare";
import { fileIdOf, hostPortOf } from "../../ssh/defaults";
import { normalizedIfKnown } from "../normalized";
import * as operations from "./operations";
import type { RemoteFileInputs, RemoteFileOutputs } from "./types";

/**
 * A file written over SSH by our own SSH layer: the same contract as the `remote.Command`
 * file installs (content on stdin, final mode before the rename, guarded delete), for places
 * where the command provider plugin is not available. check and diff open no connection.
 */
export class RemoteFileProvider implements dynamic.ResourceProvider<RemoteFileInputs, RemoteFileOutputs> {
    async check(_olds: RemoteFileInputs, news: RemoteFileInputs): Promise<dynamic.CheckResult<RemoteFileInputs>> {
        const failures = operations.checkFile(news);
        // Defaults spelled out once, here: diff, ids and the SSH layer see the normalized form.
        return { inputs: failures.length === 0 ? { ...news, connection: normalizedIfKnown(news.connection) } : news, failures };
    }

    async diff(_id: string, olds: RemoteFileOutputs, news: RemoteFileInputs): Promise<dynamic.DiffResult> {
        const moved = !sameValue(olds.path, news.path) || !sameValue(olds.connection?.host, news.connection?.host) ||
            !sameValue(olds.connection && hostPortOf(olds.connection), news.connection && hostPortOf(news.connection));
        // A refresh that found the file changed or gone leaves sha256 != hash(content): rewrite it.
        const drifted = typeof news.content === "string" && olds.sha256 !== sha256Hex(news.content);
        // (State stored before check normalized connections: compared normalized too.)
        const changed = moved || drifted || !sameValue(normalizedIfKnown(olds.connection), normalizedIfKnown(news.connection)) ||
            ["content", "mode", "owner", "group"].some((k) => !sameValue((olds as unknown as Record<string, unknown>)[k], (news as unknown as Record<string, unknown>)[k]));
        // A new path or host is another file: create it first, delete the old one last (after the
        // config that depends on it moved to the new one), never delete-before-replace.
        return { changes: changed, replaces: moved ? ["path"] : [], deleteBeforeReplace: false };
    }

    async create(inputs: RemoteFileInputs): Promise<dynamic.CreateResult<RemoteFileOutputs>> {
        const outs = await operations.write(inputs, "create");
        return { id: fileIdOf(inputs.connection, inputs.path), outs };
    }

    async read(id: string, props?: RemoteFileOutputs): Promise<dynamic.ReadResult<RemoteFileOutputs>> {
        if (!props) throw new Error(`RemoteFile ${id}: nothing to read without stored state (import is not supported)`);
        return { id, props: await operations.read(props) };
    }

    async update(_id: string, _olds: RemoteFileOutputs, news: RemoteFileInputs): Promise<dynamic.UpdateResult<RemoteFileOutputs>> {
        return { outs: await operations.write(news, "update") };
    }

    async delete(_id: string, props: RemoteFileOutputs): Promise<void> {
        await operations.remove(props);
    }
}
