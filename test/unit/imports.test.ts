import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

/**
 * The import graph of provider/ (read from the sources): no module imports itself through
 * others, and no import runs back up the layers (components → resources → providers →
 * ssh/toml/files/influx/inputs/tls). A circle worked only by the order Node happens to load
 * modules in; an upward import would pull a component into a serialized provider.
 */
const ROOT = path.join(__dirname, "../../../provider");
const LAYER: Record<string, number> = { components: 3, resources: 2, providers: 1, ssh: 0, toml: 0, files: 0, influx: 0, inputs: 0, tls: 0, preview: 0 };

function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        return e.isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
    });
}

function importsOf(file: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    return [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+"(\.[^"]+)"/gms)].map((m) => {
        const target = path.join(path.dirname(file), m[1]);
        return fs.existsSync(`${target}.ts`) ? `${target}.ts` : path.join(target, "index.ts");
    });
}

const graph = new Map(sources(ROOT).map((f) => [f, importsOf(f)]));
const rel = (f: string) => path.relative(ROOT, f);
const layerOf = (f: string) => LAYER[rel(f).split(path.sep)[0]];

describe("provider/ import graph", () => {
    it("has no import circle", () => {
        const circles: string[] = [];
        const state = new Map<string, "open" | "done">();
        const stack: string[] = [];
        const visit = (f: string): void => {
            state.set(f, "open");
            stack.push(f);
            for (const d of graph.get(f) ?? []) {
                if (state.get(d) === "open") circles.push([...stack.slice(stack.indexOf(d)), d].map(rel).join(" → "));
                else if (!state.has(d)) visit(d);
            }
            stack.pop();
            state.set(f, "done");
        };
        [...graph.keys()].forEach((f) => state.has(f) || visit(f));
        assert.deepEqual(circles, []);
    });

    it("imports only downwards: components → resources → providers → ssh/toml/files/influx/inputs/tls", () => {
        const upward = [...graph].flatMap(([f, deps]) => deps
            .filter((d) => layerOf(f) !== undefined && layerOf(d) !== undefined && layerOf(d) > layerOf(f))
            .map((d) => `${rel(f)} → ${rel(d)}`));
        assert.deepEqual(upward, []);
    });
});
