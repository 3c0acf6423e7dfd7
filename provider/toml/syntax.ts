import { type AST, ParseError, parseTOML } from "toml-eslint-parser";

/**
 * Where things are in a TOML text: toml-eslint-parser's syntax tree, which has exact ranges
 * for every key, value, header and comment. It only locates; what values mean is smol-toml's
 * job (tree.ts), which reads every document independently and checks each edit's result.
 *
 * The package is ESM-only; Node ≥ 20.19 loads it with `require()`, which is what this
 * CommonJS build (and the serialized providers, which refer to it as
 * `require("toml-eslint-parser")`) does.
 */

/** TOML 1.1, as smol-toml reads it (multi-line inline tables, `\e`, `\xHH`, times without seconds). */
const OPTIONS = { tomlVersion: "1.1" } as const;

/**
 * The syntax tree of `text`; every range indexes `text`. Throws the parser's ParseError.
 * - A leading byte order mark (which the parser refuses, and smol-toml skips) is read as a
 *   space: same length, so the ranges do not move.
 * - A newline is appended: toml-eslint-parser 1.0.3 gives a `0` that ends the text an empty
 *   range (`k = 0` → [4, 4]); a final newline changes nothing else in a valid document.
 */
export function parseSyntax(text: string): AST.TOMLProgram {
    return parseTOML(`${text.startsWith("\uFEFF") ? ` ${text.slice(1)}` : text}\n`, OPTIONS);
}

export { ParseError };

/** The key's segments, decoded (`a."b.c".'d'` → a, b.c, d). */
export function keyPath(key: AST.TOMLKey): string[] {
    return key.keys.map((k) => (k.type === "TOMLBare" ? k.name : k.value));
}

/**
 * `text` (one line: a comment's body) as a TOML document holding exactly one key/value or
 * one empty table header, or undefined when it is anything else or not TOML.
 */
export function oneStatement(text: string): AST.TOMLKeyValue | AST.TOMLTable | undefined {
    let program: AST.TOMLProgram;
    try {
        program = parseSyntax(text);
    } catch (e) {
        if (e instanceof ParseError) {
            return undefined;
        }
        throw e;
    }
    const top = program.body[0].body;
    if (top.length !== 1 || (top[0].type === "TOMLTable" && top[0].body.length > 0)) {
        return undefined;
    }
    return top[0];
}
