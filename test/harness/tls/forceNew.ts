/**
 * The tls provider's diff: every input is ForceNew, so any change replaces the resource
 * (create the new one, then drop the old one: delete only removes it from state).
 */
import type { DiffPlan } from "../handler";
import type { Props, ResourceRecord } from "../types";
import { changedKeys } from "../wire";

export async function forceNew(old: ResourceRecord, news: Props): Promise<DiffPlan> {
    const keys = changedKeys(old.inputs, news);
    return keys.length === 0 ? { kind: "same" } : { kind: "replace", keys, deleteBeforeReplace: false };
}
