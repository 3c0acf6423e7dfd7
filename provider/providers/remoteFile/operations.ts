import { fileSpecFailures, sha256Hex } from "../../files";
import { isCompareAndSwapError } from "../../ssh/errors";
import { hostOperation } from "../hostOperation";
import type { RemoteFileInputs, RemoteFileOutputs } from "./types";

/** The remote half of RemoteFile: one SSH connection per operation; content only on stdin. */

/** check's failures, each under the property it is about (not guessed from the message: a path may well contain ": mode"). */
export function checkFile(news: RemoteFileInputs): { property: string; reason: string }[] {
    return fileSpecFailures(news).map((f): { property: string; reason: string } => ({ property: f.property, reason: `file: ${f.reason}` }))
        .concat(typeof news.content === "string" ? [] : [{ property: "content", reason: "must be a string" }]);
}

/** Writes the file atomically (temp file in the same directory, owner and mode set, rename). */
export async function write(inputs: RemoteFileInputs, what: string): Promise<RemoteFileOutputs> {
    return hostOperation("RemoteFile", inputs, what, async (s) => {
        const { sha256, writeId } = await s.writeFileAtomic(inputs.path, inputs.content, { mode: inputs.mode, owner: inputs.owner, group: inputs.group });
        return { ...inputs, sha256, writeId };
    });
}

/** Removes the file only while it still has the bytes this resource wrote. */
export async function remove(props: RemoteFileOutputs): Promise<void> {
    await hostOperation("RemoteFile", props, "delete", async (s) => {
        try {
            // The bytes this resource wrote are its content (not `sha256`, which a refresh may
            // have set to someone else's bytes).
            await s.removeFile(props.path, { expectedSha256: sha256Hex(props.content) });
        } catch (e) {
            // Someone (or a successor resource) replaced the file since: it is theirs now.
            if (!isCompareAndSwapError(e)) throw e;
        }
    });
}

/** Refresh: the file's current hash ("" when it is gone), so a later diff rewrites it. */
export async function read(props: RemoteFileOutputs): Promise<RemoteFileOutputs> {
    return hostOperation("RemoteFile", props, "read", async (s) => {
        const f = await s.readFile(props.path);
        return { ...props, sha256: f.exists ? f.sha256 : "" };
    });
}
