/**
 * The one rule set for what this package writes into a TOML file: values, key names and
 * table names. The pure editor (`edits.ts`), the TomlSettings provider's `check` and the
 * settings map all ask these functions, so a value accepted at check time is one the editor
 * can write, and the other way round.
 *
 * Each function returns why the input is refused, or undefined when it is fine. `skip`
 * lets a caller pass over placeholders (the engine's unknown preview values).
 */

/** A lone UTF-16 surrogate cannot be encoded as UTF-8, so it can never reach the file faithfully. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** C0 and C1 control characters and DEL: never part of a real key or table name. */
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

function describe(v: unknown): string {
    if (v === null) {
        return "null";
    }
    if (Array.isArray(v)) {
        return "an array";
    }
    return typeof v === "object" ? "an object" : String(typeof v);
}

/** Where in a value a problem is ("" for the value itself, "[1][0]" inside arrays) and why. */
export interface TomlValueProblem {
    readonly at: string;
    readonly reason: string;
}

/** Why `v` is not a TOML value this package writes (string, finite number, boolean, array of them). */
export function tomlValueProblem(v: unknown, skip?: (v: unknown) => boolean): TomlValueProblem | undefined {
    if (skip?.(v)) {
        return undefined;
    }
    if (typeof v === "string") {
        return LONE_SURROGATE.test(v) ? { at: "", reason: "the string contains a lone UTF-16 surrogate, which cannot be written as UTF-8" } : undefined;
    }
    if (typeof v === "number") {
        return Number.isFinite(v) ? undefined : { at: "", reason: `${v} cannot be written (only finite numbers are allowed)` };
    }
    if (typeof v === "boolean") {
        return undefined;
    }
    if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
            const p = tomlValueProblem(v[i], skip);
            if (p) {
                return { at: `[${i}]${p.at}`, reason: p.reason };
            }
        }
        return undefined;
    }
    return { at: "", reason: `expected a string, number, boolean or array of them, got ${describe(v)}` };
}

/** Why `key` cannot be a key name (quoted keys are written escaped, so quotes and `=` are fine). */
export function tomlKeyProblem(key: unknown): string | undefined {
    if (typeof key !== "string") {
        return `a key name must be a string, got ${describe(key)}`;
    }
    if (key.trim() === "") {
        return "empty key name";
    }
    if (CONTROL.test(key)) {
        return `key name ${JSON.stringify(key)} contains a control character (newline, NUL, …)`;
    }
    if (LONE_SURROGATE.test(key)) {
        return `key name ${JSON.stringify(key)} contains a lone UTF-16 surrogate`;
    }
    return undefined;
}

/**
 * Why `table` cannot be a dotted table path ("" is the root table). Segments are split on
 * `.`, so no segment can be empty (`a..b`, `.a`, `a.`) and each must be a valid key name.
 */
export function tomlTableProblem(table: unknown): string | undefined {
    if (typeof table !== "string") {
        return `a table name must be a string, got ${describe(table)}`;
    }
    if (table === "") {
        return undefined;
    }
    const segments = table.split(".");
    if (segments.some((s) => s.trim() === "")) {
        return `table name ${JSON.stringify(table)} has an empty segment in the dotted path`;
    }
    for (const s of segments) {
        const p = tomlKeyProblem(s);
        if (p) {
            return `table name ${JSON.stringify(table)}: ${p.replace(/^key name/, "segment")}`;
        }
    }
    return undefined;
}
