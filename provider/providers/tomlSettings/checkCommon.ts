import { UNKNOWN } from "./unknown";

/** Records one check failure: the property it is about and why. */
export type Fail = (property: string, reason: string) => void;

export function isRecord(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** False for a value unknown during preview (checked again once known). */
export function isKnown(v: unknown): boolean {
    return v !== UNKNOWN;
}

/** An argv array: non-empty strings, no NUL, a program that is not an option. */
export function checkArgv(v: unknown, prop: string, fail: Fail): void {
    if (!isKnown(v)) {
        return;
    }
    if (!Array.isArray(v) || v.length === 0 || v.some((a) => a !== UNKNOWN && typeof a !== "string")) {
        fail(prop, "must be a non-empty argv array of strings, e.g. [\"systemctl\", \"restart\", \"influxdb\"]");
    } else if (v.some((a) => typeof a === "string" && a.includes("\0"))) {
        fail(prop, "arguments must not contain NUL bytes (no command line can carry them)");
    } else if (typeof v[0] === "string" && (v[0].trim() === "" || v[0].startsWith("-"))) {
        fail(prop, `the program (first element) must be a command name or path, got ${JSON.stringify(v[0].slice(0, 80))}`);
    }
}
