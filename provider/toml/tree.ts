import { parse } from "smol-toml";
import { TomlEditError, fromTomlError } from "./errors";

/**
 * The parsed side: smol-toml reads the documents (integers as bigint, so `5` and `5.0`
 * stay different), and these helpers walk, change and compare the resulting trees.
 */

export type Tree = Record<string, unknown>;

export function parseToml(text: string, what: string): Tree {
    try {
        return parse(text, { integersAsBigInt: true }) as Tree;
    } catch (e) {
        throw fromTomlError(e, text, what);
    }
}

export function isTable(v: unknown): v is Tree {
    return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

const has = (t: Tree, k: string): boolean => Object.prototype.hasOwnProperty.call(t, k);

/** Own-property set that also works for keys such as "__proto__". */
export function setKey(t: Tree, key: string, value: unknown): void {
    Object.defineProperty(t, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * The table at `path`, entry `index` when it is an array of tables (intermediate arrays
 * resolve to their last entry, as TOML headers do). With `create`, missing tables are made
 * (as an array with one entry when `array`). Returns undefined when missing or not a table.
 */
export function tableAt(root: Tree, path: readonly string[], index: number, create?: { array: boolean }): Tree | undefined {
    let node: Tree = root;
    for (let i = 0; i < path.length; i++) {
        const seg = path[i];
        const lastSeg = i === path.length - 1;
        if (!has(node, seg)) {
            if (!create) {
                return undefined;
            }
            const fresh: Tree = Object.create(null) as Tree;
            setKey(node, seg, lastSeg && create.array ? [fresh] : fresh);
        }
        let next = node[seg];
        if (Array.isArray(next)) {
            next = lastSeg ? next[index] : next[next.length - 1];
        } else if (lastSeg && index !== 0) {
            return undefined;
        }
        if (!isTable(next)) {
            return undefined;
        }
        node = next;
    }
    return node;
}

/**
 * Removes an array entry, or a table left empty, then any ancestors left empty that `keep`
 * does not vouch for (an ancestor with its own header stays, as `[outputs]` would).
 */
export function deleteTable(root: Tree, path: readonly string[], index: number, keep: (p: string[]) => boolean): void {
    const parents: Tree[] = [root];
    for (const seg of path.slice(0, -1)) {
        const next = tableAt(parents[parents.length - 1], [seg], 0);
        if (!next) {
            return;
        }
        parents.push(next);
    }
    const parent = parents[parents.length - 1];
    const leaf = path[path.length - 1];
    const cur = parent[leaf];
    if (Array.isArray(cur)) {
        cur.splice(index, 1);
        if (cur.length === 0) {
            delete parent[leaf];
        }
    } else if (isTable(cur) && Object.keys(cur).length === 0) {
        delete parent[leaf];
    } else {
        return; // still holds sub-tables: it stays, implicitly defined by them
    }
    for (let i = path.length - 1; i > 0; i--) {
        const t = parents[i];
        if (Object.keys(t).length > 0 || keep(path.slice(0, i))) {
            break;
        }
        delete parents[i - 1][path[i - 1]];
    }
}

/** The dotted path of the first difference between two parsed trees, or undefined when equal. */
export function firstDifference(a: unknown, b: unknown, at = ""): string | undefined {
    if (a instanceof Date || b instanceof Date) {
        return a instanceof Date && b instanceof Date && a.toISOString() === b.toISOString() ? undefined : at || "(root)";
    }
    if (Array.isArray(a) || Array.isArray(b)) {
        if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) {
            return at || "(root)";
        }
        for (let i = 0; i < a.length; i++) {
            const d = firstDifference(a[i], b[i], `${at}[${i}]`);
            if (d !== undefined) {
                return d;
            }
        }
        return undefined;
    }
    if (isTable(a) || isTable(b)) {
        if (!isTable(a) || !isTable(b)) {
            return at || "(root)";
        }
        const ka = Object.keys(a);
        const kb = Object.keys(b);
        if (ka.length !== kb.length || !ka.every((k) => has(b, k))) {
            const k = ka.find((x) => !has(b, x)) ?? kb.find((x) => !has(a, x)) ?? "";
            return at ? `${at}.${k}` : k;
        }
        for (const k of ka) {
            const d = firstDifference(a[k], b[k], at ? `${at}.${k}` : k);
            if (d !== undefined) {
                return d;
            }
        }
        return undefined;
    }
    return Object.is(a, b) ? undefined : at || "(root)";
}

/** Throws unless `actual` means exactly `expected`; names only the path, never values. */
export function assertSameMeaning(expected: Tree, actual: Tree, what: string): void {
    const d = firstDifference(expected, actual);
    if (d !== undefined) {
        throw new TomlEditError(`${what}: the result would not mean what was intended (first difference at ${d}); nothing was changed`);
    }
}
