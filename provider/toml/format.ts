import { TomlEditError } from "./errors";
import type { TomlValue } from "./types";
import { tomlValueProblem } from "./values";

/**
 * Writing values and keys as TOML text. Strings are basic strings with every quote,
 * backslash and control character escaped; numbers that are safe integers are written as
 * integers, other numbers as floats (TOML integers are 64-bit, JS cannot hold the ones
 * beyond 2^53 exactly, so those are written as floats); NaN and Infinity are refused.
 */

const BARE_KEY = /^[A-Za-z0-9_-]+$/;
const SHORT_ESCAPES: Record<string, string> = {
    '"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r",
};

export function formatString(s: string): string {
    let out = '"';
    for (const ch of s) {
        const code = ch.codePointAt(0) ?? 0;
        if (SHORT_ESCAPES[ch] !== undefined) {
            out += SHORT_ESCAPES[ch];
        } else if (code < 0x20 || code === 0x7f) {
            out += `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;
        } else {
            out += ch;
        }
    }
    return `${out}"`;
}

/** A key as written: bare when it can be, otherwise a quoted basic string. */
export function formatKey(key: string): string {
    return BARE_KEY.test(key) ? key : formatString(key);
}

/** A table header for a dotted table path. */
export function formatHeader(path: readonly string[], array: boolean): string {
    const name = path.map(formatKey).join(".");
    return array ? `[[${name}]]` : `[${name}]`;
}

function formatNumber(n: number): string {
    if (Number.isSafeInteger(n)) {
        return String(n === 0 ? 0 : n);
    }
    const s = String(n);
    return /[.eE]/.test(s) ? s : `${s}.0`;
}

/** The value as TOML text (assumes checkValue passed). */
export function formatValue(v: TomlValue): string {
    if (typeof v === "string") {
        return formatString(v);
    }
    if (typeof v === "number") {
        return formatNumber(v);
    }
    if (typeof v === "boolean") {
        return v ? "true" : "false";
    }
    return `[${v.map(formatValue).join(", ")}]`;
}

/** Throws, naming the setting, unless `v` is a TomlValue that can be written faithfully (rules: values.ts). */
export function checkValue(v: unknown, where: string): asserts v is TomlValue {
    const p = tomlValueProblem(v);
    if (p) {
        throw new TomlEditError(`invalid value for ${where}${p.at}: ${p.reason}`);
    }
}

/**
 * What smol-toml (with integersAsBigInt) gives back for the written value: integers as
 * bigint, floats as number. Used to check that the edited file means what was asked.
 */
export function parsedForm(v: TomlValue): unknown {
    if (typeof v === "number") {
        return Number.isSafeInteger(v) ? BigInt(v) : v;
    }
    if (Array.isArray(v)) {
        return v.map(parsedForm);
    }
    return v;
}
