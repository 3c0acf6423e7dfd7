import { containsUnknown } from "./tomlSettings/unknown";

/**
 * Deep equality of JSON-like values (key order ignored, `undefined` members absent), used by
 * the providers' diffs. Anything holding a preview unknown counts as different.
 */
export function sameValue(a: unknown, b: unknown): boolean {
    if (containsUnknown(a) || containsUnknown(b)) {
        return false;
    }
    return JSON.stringify(canonicalJson(a)) === JSON.stringify(canonicalJson(b));
}

/** The value with object keys sorted and `undefined` members dropped, for comparison. */
export function canonicalJson(v: unknown): unknown {
    if (Array.isArray(v)) {
        return v.map(canonicalJson);
    }
    if (v !== null && typeof v === "object") {
        const rec = v as Record<string, unknown>;
        return Object.fromEntries(Object.keys(rec).sort().filter((k) => rec[k] !== undefined).map((k) => [k, canonicalJson(rec[k])]));
    }
    return v;
}
