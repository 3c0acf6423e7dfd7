/**
 * Command-line flags the way Go's `flag` package reads them, because the programs the
 * stand-ins replace (influxd-meta, influxd-ctl, telegraf) are Go programs: `-name` and
 * `--name` are the same, values come as `-name value` or `-name=value`, booleans take no
 * value (`-k`, or `-k=false`), parsing stops at the first non-flag argument or `--`, and an
 * unknown flag is an error (Go then prints usage and exits 2).
 */

export interface FlagSpec {
    /** Flags without a value, e.g. "bind-tls", "k". */
    readonly bools: readonly string[];
    /** Flags taking a value, e.g. "bind", "config". */
    readonly values: readonly string[];
}

export interface ParsedFlags {
    readonly bools: ReadonlySet<string>;
    readonly values: ReadonlyMap<string, string>;
    /** Arguments after the flags, e.g. ["show"]. */
    readonly rest: readonly string[];
}

/** Go's wording, so callers can print it as the real program would. Exit status 2. */
export class FlagError extends Error {}

export function parseGoFlags(argv: readonly string[], spec: FlagSpec): ParsedFlags {
    const bools = new Set<string>();
    const values = new Map<string, string>();
    let i = 0;
    for (; i < argv.length; i++) {
        const arg = argv[i]!;
        if (arg === "--") {
            i++;
            break;
        }
        if (!arg.startsWith("-") || arg === "-") break;
        const body = arg.replace(/^--?/, "");
        const eq = body.indexOf("=");
        const name = eq < 0 ? body : body.slice(0, eq);
        const inline = eq < 0 ? undefined : body.slice(eq + 1);
        if (spec.bools.includes(name)) {
            if (inline === undefined || inline === "true" || inline === "1") bools.add(name);
            else if (inline === "false" || inline === "0") bools.delete(name);
            else throw new FlagError(`invalid boolean value "${inline}" for -${name}: parse error`);
        } else if (spec.values.includes(name)) {
            const value = inline ?? argv[++i];
            if (value === undefined) throw new FlagError(`flag needs an argument: -${name}`);
            values.set(name, value);
        } else {
            throw new FlagError(`flag provided but not defined: -${name}`);
        }
    }
    return { bools, values, rest: argv.slice(i) };
}
