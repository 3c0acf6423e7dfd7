import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as ts from "typescript";

/*
 * Issue 11: `pulumi up/preview` load the examples (and the root project, which runs
 * examples/ca-signed) through ts-node, which type-checked them on every run (2–5 s of each
 * program run here). Their tsconfig sets `noCheck`, which @pulumi/pulumi's run script turns into
 * ts-node's transpileOnly; the types are still checked, by `npx tsc -p tsconfig.test.json` in CI.
 */
const root = path.join(__dirname, "../../../..");
const readConfig = (file: string) => ts.parseConfigFileTextToJson(file, fs.readFileSync(file, "utf8")).config as { compilerOptions?: Record<string, unknown>; include?: string[] };

describe("examples run transpile-only and are type-checked by the build", () => {
    const examples = fs.readdirSync(path.join(root, "examples")).filter((d) => fs.existsSync(path.join(root, "examples", d, "Pulumi.yaml")));

    it("every example's tsconfig sets noCheck", () => {
        assert.ok(examples.length >= 4, `examples found: ${examples.join(", ")}`);
        for (const e of examples) assert.equal(readConfig(path.join(root, "examples", e, "tsconfig.json")).compilerOptions?.noCheck, true, `examples/${e}/tsconfig.json`);
    });

    it("tsconfig.test.json (CI's type check) compiles every example, without noCheck", () => {
        const config = readConfig(path.join(root, "tsconfig.test.json"));
        assert.ok(config.include?.includes("examples/**/*.ts"), JSON.stringify(config.include));
        assert.notEqual(config.compilerOptions?.noCheck, true);
        assert.notEqual(readConfig(path.join(root, "tsconfig.json")).compilerOptions?.noCheck, true);
    });

    it("@pulumi/pulumi's run script takes transpileOnly from noCheck (an SDK that stops doing so fails here)", () => {
        const run = fs.readFileSync(require.resolve("@pulumi/pulumi/cmd/run/run.js"), "utf8");
        assert.match(run, /transpileOnly = compilerOptions\.noCheck/);
    });
});
