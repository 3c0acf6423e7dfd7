/**
 * The package as users get it (issue 12 §4): `npm pack` on a fresh checkout builds first
 * (prepack) and ships exactly the compiled JS, the declarations, README, LICENSE, CHANGELOG and
 * package.json; the tarball installed in a fresh consumer project type-checks a strict
 * TypeScript program and runs it under mocks.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { consumerProject, repoRoot } from "../../engine/consumer";

const root = repoRoot();
const ALWAYS = ["CHANGELOG.md", "LICENSE", "README.md", "package.json"];

function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts"))
        .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

/** What a pack of `dir` must hold: the four files, and for every provider/**.ts its .js and .d.ts. */
function expectedFiles(dir: string): string[] {
    const compiled = sources(path.join(dir, "provider")).flatMap((f) => {
        const base = path.join("bin", f.replace(/\.ts$/, ""));
        return [`${base}.js`, `${base}.d.ts`];
    });
    return [...ALWAYS, ...compiled].sort();
}

describe("npm package: pack, install, type-check, run", { timeout: 300_000 }, () => {
    it("npm pack on a fresh checkout (no bin/) builds first and ships exactly JS, declarations, README, LICENSE, CHANGELOG", () => {
        // A fresh clone: the committed and new files of the working tree, no bin/; node_modules
        // linked (npm ci is not what is tested here).
        const clone = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-clone-"));
        try {
            const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" })
                .split("\0").filter((f) => f !== "" && fs.existsSync(path.join(root, f)));
            for (const f of files) {
                fs.mkdirSync(path.dirname(path.join(clone, f)), { recursive: true });
                fs.copyFileSync(path.join(root, f), path.join(clone, f));
            }
            fs.symlinkSync(path.join(root, "node_modules"), path.join(clone, "node_modules"));
            assert.equal(fs.existsSync(path.join(clone, "bin")), false);
            // A stale compiled file whose source is gone must not ship.
            fs.mkdirSync(path.join(clone, "bin"));
            fs.writeFileSync(path.join(clone, "bin", "gone.js"), "module.exports = 1;\n");
            const t = Date.now();
            const out = execFileSync("npm", ["pack", "--json", "--pack-destination", clone], { cwd: clone, encoding: "utf8", maxBuffer: 64 << 20 });
            const [info] = JSON.parse(out.slice(out.indexOf("[\n"))) as { filename: string; files: { path: string }[]; version: string }[];
            console.log(`npm pack on a fresh checkout (prepack build included): ${Date.now() - t} ms, ${info.files.length} files, ${info.filename}`);
            const packed = info.files.map((f) => f.path).sort();
            assert.deepEqual(packed, expectedFiles(clone));
            // The tarball itself says the same (npm's JSON is what it meant to pack).
            const listed = execFileSync("tar", ["-tzf", path.join(clone, info.filename)], { encoding: "utf8" })
                .split("\n").filter((l) => l !== "" && !l.endsWith("/")).map((l) => l.replace(/^package\//, "")).sort();
            assert.deepEqual(listed, packed);
            assert.match(fs.readFileSync(path.join(root, "CHANGELOG.md"), "utf8"), new RegExp(`^## ${info.version.replace(/\./g, "\\.")} `, "m"),
                "CHANGELOG.md has a section for the package's version");
            assert.match(fs.readFileSync(path.join(root, "LICENSE"), "utf8"), /Apache License\s+Version 2\.0/);
        } finally {
            fs.rmSync(clone, { recursive: true, force: true });
        }
    });

    it("the tarball in a fresh consumer: a strict TypeScript program type-checks against it and runs under mocks", () => {
        const consumer = consumerProject({ log: (l) => console.log(`consumer: ${l}`) });
        console.log(`consumer project ${consumer.dir} (${consumer.reused ? "reused" : "packed + installed"}) in ${consumer.setupMs} ms`);
        const dir = fs.mkdtempSync(path.join(consumer.dir, "typecheck-"));
        try {
            fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({
                compilerOptions: {
                    target: "ES2022", module: "commonjs", moduleResolution: "node", strict: true, noImplicitAny: true,
                    exactOptionalPropertyTypes: false, noUnusedLocals: true, skipLibCheck: false, esModuleInterop: true,
                    outDir: "out", types: ["node"],
                },
                files: ["index.ts"],
            }, null, 2));
            fs.writeFileSync(path.join(dir, "index.ts"), PROGRAM);
            const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
            try {
                execFileSync(process.execPath, [tsc, "-p", dir], { cwd: dir, encoding: "utf8" });
            } catch (e) {
                assert.fail(`tsc against the installed package failed:\n${(e as { stdout?: string }).stdout}`);
            }
            const ran = execFileSync(process.execPath, [path.join(dir, "out", "index.js")], { cwd: consumer.dir, encoding: "utf8", timeout: 60_000 });
            const result = JSON.parse(ran.trim().split("\n").pop()!) as { types: string[]; telegrafUrls: string[]; applied: string };
            assert.deepEqual(result.types.sort(), [
                "influxdb-tls:index:KapacitorInfluxdbTls",
                "influxdb-tls:index:TelegrafOutputTls",
                "pulumi-nodejs:dynamic/influxdb-tls:TomlSettings",
                "pulumi-nodejs:dynamic/influxdb-tls:TomlSettings",
                "pulumi-nodejs:dynamic/influxdb-tls:TomlSettings",
            ]);
            assert.deepEqual(result.telegrafUrls, ["https://data1.example:8086"]);
            assert.equal(result.applied, "[http]\nhttps-enabled = true\n");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

// A user's program, written against the package's public types only.
const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import {
    applyTomlSettings, revertTomlSettings, KapacitorInfluxdbTls, TelegrafOutputTls, TomlSettings,
    type SshConnectionArgs, type TomlEdit,
} from "pulumi-influxdb-tls";

const types: string[] = [];
pulumi.runtime.setMocks({
    newResource: (a: pulumi.runtime.MockResourceArgs) => {
        types.push(a.type);
        return { id: a.name + "-id", state: a.inputs };
    },
    call: (a: pulumi.runtime.MockCallArgs) => a.inputs,
}, "consumer", "dev", false);

const connection: SshConnectionArgs = { host: "tele1.example", privateKey: "unused under mocks", hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHf3JzO7x4v4D8Vv6dG7ZsU3fM5lS9dGQ2Wm3TtF6YtA" };
const edits: TomlEdit[] = [{ table: "http", set: { "https-enabled": true } }];
const { text, undo } = applyTomlSettings("[http]\\n  # https-enabled = false\\n", edits);
if (revertTomlSettings(text, undo) !== "[http]\\n  # https-enabled = false\\n") throw new Error("revert");

const tele = new TelegrafOutputTls("tele1", { connection, urls: ["https://data1.example:8086"] });
new KapacitorInfluxdbTls("kap1", { connection: { ...connection, host: "kap1.example" }, urls: ["https://data1.example:8086"] });
new TomlSettings("conf", { connection, path: "/etc/influxdb/influxdb.conf", edits, service: { restart: ["systemctl", "restart", "influxdb"] } });
const urls: pulumi.Output<string[]> = tele.urls;
urls.apply((u) => setTimeout(() => console.log(JSON.stringify({ types, telegrafUrls: u, applied: text.replace(/^  /m, "") })), 200));
`;
