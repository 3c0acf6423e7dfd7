/**
 * During preview the engine hands dynamic providers this string wherever a value is not
 * known yet (pulumi-dynamic-providers.md). Validation skips such values and diff treats them
 * as changes.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when v is, or contains, an unknown value. */
export function containsUnknown(v: unknown): boolean {
    if (v === UNKNOWN) {
        return true;
    }
    if (Array.isArray(v)) {
        return v.some(containsUnknown);
    }
    if (v !== null && typeof v === "object") {
        return Object.values(v as Record<string, unknown>).some(containsUnknown);
    }
    return false;
}
