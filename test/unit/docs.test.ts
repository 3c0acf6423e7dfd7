/**
 * The API reference (issue 12 §4): `npm run docs` (TypeDoc, typedoc.json) generates docs/api
 * from the JSDoc of whatever provider/index.ts exports — no list of components anywhere — and
 * fails on any warning, an undocumented export, argument or property included. The committed
 * docs/api must be what it generates now.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { repoRoot } from "../engine/consumer";

const root = repoRoot();

function files(dir: string): Map<string, string> {
    return new Map(fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile())
        .map((e) => { const f = path.join(e.parentPath, e.name); return [path.relative(dir, f), fs.readFileSync(f, "utf8")]; }));
}

describe("API reference (TypeDoc)", { timeout: 180_000 }, () => {
    it("npm run docs generates without a warning, and docs/api is up to date", () => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-docs-"));
        try {
            const t = Date.now();
            const r = spawnSync("npm", ["run", "docs", "--", "--out", out], { cwd: root, encoding: "utf8" });
            console.log(`npm run docs: ${Date.now() - t} ms`);
            assert.equal(r.status, 0, `npm run docs failed (warnings are errors):\n${r.stdout}\n${r.stderr}`);
            assert.doesNotMatch(r.stdout + r.stderr, /\[warning\]/);
            const fresh = files(out);
            const committed = files(path.join(root, "docs", "api"));
            const differ = [...new Set([...fresh.keys(), ...committed.keys()])].filter((f) => fresh.get(f) !== committed.get(f));
            assert.deepEqual(differ, [], "docs/api differs from what `npm run docs` generates now: run `npm run docs` and commit docs/api");
            // Every component the package exports has a page (from the exports, not from a list).
            const index = fs.readFileSync(path.join(root, "bin", "index.d.ts"), "utf8");
            assert.ok(index.length > 0);
            const pkg = require(path.join(root, "bin", "index.js")) as Record<string, unknown>;
            for (const [name, v] of Object.entries(pkg)) {
                if (typeof v === "function" && /^[A-Z]/.test(name)) {
                    assert.ok(fresh.has(`classes/${name}.md`), `classes/${name}.md`);
                }
            }
        } finally {
            fs.rmSync(out, { recursive: true, force: true });
        }
    });

    it("the same options refuse an undocumented argument (notDocumented is an error)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-docs-gate-"));
        try {
            fs.writeFileSync(path.join(dir, "index.ts"), "/** Documented. */\nexport interface SomeArgs {\n    readonly undocumentedArgument?: string;\n}\n");
            fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, types: [] }, files: ["index.ts"] }));
            const typedoc = path.join(root, "node_modules", "typedoc", "bin", "typedoc");
            // The repo's options, only pointed at this program.
            fs.writeFileSync(path.join(dir, "typedoc.json"), JSON.stringify({
                extends: [path.join(root, "typedoc.json")], entryPoints: ["index.ts"], tsconfig: "tsconfig.json", out: "out",
            }));
            const r = spawnSync(process.execPath, [typedoc, "--options", path.join(dir, "typedoc.json")], { cwd: dir, encoding: "utf8" });
            assert.notEqual(r.status, 0);
            assert.match(r.stdout + r.stderr, /SomeArgs\.undocumentedArgument \(Property\).*does not have any documentation/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
