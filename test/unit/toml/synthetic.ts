import fc from "fast-check";
import { parse } from "smol-toml";
import type { TomlEdit } from "../../../provider/toml";
import { tomlValue } from "./arbitraries";

/**
 * Synthetic documents with the constructs the real files lack (not a test file): values
 * that span lines and hold header-, key- and comment-like text, quoted/literal/dotted keys,
 * tabs, inline tables, spaced headers, arrays of tables, commented headers and settings.
 */

const KEYS = [
    { text: "k1", name: "k1" }, { text: "https-enabled", name: "https-enabled" }, { text: "urls", name: "urls" },
    { text: '"quoted key"', name: "quoted key" }, { text: "'lit'", name: "lit" }, { text: '"q.d"', name: "q.d" },
];
const VALUES = [
    "1", '"s"', "'lit # not a comment'", '[\n  "a", # c\n  # "b",\n  "c",\n]', '"""\n[http]\nk1 = 2\n# https-enabled = false\n"""',
    "'''\n[[out]]\n  urls = 1\n'''", '{ x = 1, y = "}" }', "1979-05-27 07:32:00Z", '"a\\"b # x"', '[[1, 2], ["]"]]', '"""a""""',
    "-0.0", "5.0", "true", "[ ]", '"""\\\n  folded"""', "0x1F", "1_000",
];
const TRAILERS = ["", " # comment", "\t#c", "  # k1 = 3"];
const COMMENTS = [
    "# k1 = 0", "#https-enabled=false", '# urls = ["x"]', "# [http]", "### [meta]", "# [[out]]", "# prose text", "##",
    '# "quoted key" = 5', "# lit = 'x' # old", "# urls = [", "# k1 = not toml", "  # q.d = 1",
];
const TABLES = [
    { header: ["[http]", "[ http ]", "[http] # the API"], name: "http" },
    { header: ["[meta]", "  [meta]"], name: "meta" },
    { header: ["[a.b]", "[ a . b ]"], name: "a.b" },
    { header: ['["q t"]'], name: "q t" },
];
const INDENTS = ["", "  ", "\t"];

type Item = { kind: "kv"; key: number; line: string } | { kind: "other"; line: string };

const item: fc.Arbitrary<Item> = fc.oneof(
    fc.tuple(fc.nat(KEYS.length - 1), fc.constantFrom(...INDENTS), fc.constantFrom(...VALUES), fc.constantFrom(...TRAILERS))
        .map(([key, ind, value, trail]): Item => ({ kind: "kv", key, line: `${ind}${KEYS[key].text} = ${value}${trail}` })),
    fc.tuple(fc.constantFrom(...INDENTS), fc.constantFrom(...COMMENTS)).map(([ind, c]): Item => ({ kind: "other", line: ind + c })),
    fc.constantFrom<Item>({ kind: "other", line: "" }, { kind: "other", line: "dotted.key = 1" }),
);

/** Items with each key (and the dotted key) at most once, as TOML requires. */
const body = fc.array(item, { maxLength: 7 }).map((items) => {
    const seen = new Set<string>();
    return items.filter((it) => {
        const id = it.kind === "kv" ? `k${it.key}` : it.line === "dotted.key = 1" ? "dotted" : "";
        if (id !== "" && seen.has(id)) {
            return false;
        }
        seen.add(id);
        return true;
    }).map((it) => it.line);
});

export interface Doc {
    text: string;
    tables: { table: string; entries: number }[];
}

/** A synthetic document (valid TOML) and its tables. */
export const syntheticDoc: fc.Arbitrary<Doc> = fc.record({
    root: body,
    plain: fc.subarray(TABLES).chain((ts) => fc.tuple(...ts.map((t) => fc.tuple(fc.constant(t.name), fc.constantFrom(...t.header), body)))),
    out: fc.array(body, { maxLength: 2 }),
    order: fc.nat(),
}).map(({ root, plain, out, order }) => {
    const sections = [...plain.map(([, header, lines]) => [header, ...lines]), ...out.map((lines) => ["[[out]]", ...lines])];
    const k = sections.length === 0 ? 0 : order % (sections.length + 1);
    const ordered = [...sections.slice(k), ...sections.slice(0, k)];
    return {
        text: [...root, ...ordered.flat()].join("\n"),
        tables: [{ table: "", entries: 0 }, ...plain.map(([name]) => ({ table: name, entries: 0 })), { table: "out", entries: out.length }],
    };
}).filter((d) => {
    try {
        parse(d.text);
        return true;
    } catch {
        return false;
    }
});

function editsOn(d: Doc): fc.Arbitrary<TomlEdit[]> {
    const table: fc.Arbitrary<{ table: string; index?: number }> = fc.constantFrom(...d.tables, { table: "zz", entries: 0 }).chain((t) =>
        t.table === "out" ? fc.nat(Math.max(0, t.entries - 1)).map((index) => ({ table: "out", index })) : fc.constant({ table: t.table }),
    );
    const setting = fc.record({ at: table, key: fc.constantFrom(...KEYS.map((k) => k.name), "new", "dotted.key"), value: tomlValue });
    return fc.uniqueArray(setting, { maxLength: 6, selector: (s) => `${s.at.table}\u0000${s.at.index ?? 0}\u0000${s.key}` })
        .map((ss) => ss.map((s): TomlEdit => ({ ...s.at, set: { [s.key]: s.value } })));
}

export const syntheticCase: fc.Arbitrary<{ text: string; e1: TomlEdit[]; e2: TomlEdit[] }> = syntheticDoc.chain((d) =>
    fc.record({ text: fc.constant(d.text), e1: editsOn(d), e2: editsOn(d) }),
);
