/**
 * The root project is the main job: the root Pulumi.yaml runs examples/cluster-tls (ClusterTls)
 * and its stack config template (the root Pulumi.sandbox.yaml, what npm start writes) sets the
 * keys that program reads in the root project's namespace; the CLI tests' and the bench's
 * project, examples/ca-signed, keeps its own Pulumi.yaml and config.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

/** bin-test/test/unit/examples → the repo root. */
const ROOT = path.resolve(__dirname, "../../../..");
const field = (yaml: string, key: string) => yaml.match(new RegExp(`^${key}:\\s*(\\S+)`, "m"))?.[1];
const configKeys = (yaml: string) => [...yaml.matchAll(/^ {2}([\w-]+):(\w+):/gm)].map((m) => `${m[1]}:${m[2]}`);

describe("the root project (the main job)", () => {
    const project = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
    const config = fs.readFileSync(path.join(ROOT, "Pulumi.sandbox.yaml"), "utf8");

    it("runs examples/cluster-tls/index.ts by file name (a directory would run package.json's main, the library)", () => {
        assert.equal(field(project, "main"), "examples/cluster-tls/index.ts");
        assert.ok(fs.existsSync(path.join(ROOT, "examples/cluster-tls/index.ts")));
    });

    it("its stack config sets what the program reads, in the project's namespace, with provided certificates (certDir)", () => {
        const name = field(project, "name");
        assert.equal(name, "pulumi-influxdb-tls");
        const program = fs.readFileSync(path.join(ROOT, "examples/cluster-tls/index.ts"), "utf8") + fs.readFileSync(path.join(ROOT, "examples/shared/hosts.ts"), "utf8");
        const keys = configKeys(config);
        assert.deepEqual(keys.filter((k) => !k.startsWith(`${name}:`)), [], "every key in the root project's namespace");
        for (const k of ["sandboxState", "certDir", "version"]) assert.ok(keys.includes(`${name}:${k}`), `${name}:${k} is set`);
        for (const k of keys) assert.ok(program.includes(`"${k.split(":")[1]}"`), `${k} is read by the program`);
    });

    it("examples/ca-signed (the CLI tests' and the bench's project) has its own Pulumi.yaml and config namespace", () => {
        const caSigned = fs.readFileSync(path.join(ROOT, "examples/ca-signed/Pulumi.yaml"), "utf8");
        assert.equal(field(caSigned, "name"), "ca-signed");
        assert.equal(field(caSigned, "main"), "index.ts");
        const keys = configKeys(fs.readFileSync(path.join(ROOT, "examples/ca-signed/Pulumi.sandbox.yaml"), "utf8"));
        assert.deepEqual(keys, ["ca-signed:sandboxState", "ca-signed:certDir", "ca-signed:layout"]);
    });
});
