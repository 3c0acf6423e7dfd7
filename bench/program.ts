/**
 * The Pulumi program the bench runs, in one of three forms (`--program`), to measure what a
 * user runs and what each step costs:
 * - "checkout": the example inside this repository (examples/ca-signed or examples/cluster-tls),
 *   TypeScript through ts-node (transpile-only), the package resolved to the checkout's bin/ —
 *   so the closure serializer inlines every module of the package into each dynamic
 *   resource's `__provider` (it only emits `require(…)` for modules under node_modules);
 * - "installed-ts": the same program in a consumer project with the package installed from the
 *   `npm pack` tarball (a copy in node_modules, as `npm install` makes it), still TypeScript
 *   through ts-node (transpile-only);
 * - "installed-js" (default): that consumer project with the program compiled by `tsc`
 *   beforehand (type-checked against the installed package) and `runtime.options.typescript:
 *   false`: no TypeScript compiler is loaded at all on `pulumi up`.
 * The consumer project is made once per tarball (sha256) under the bench's directory.
 */
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO } from "./hosts";

export const PROGRAM_KINDS = ["checkout", "installed-ts", "installed-js"] as const;
export type ProgramKind = (typeof PROGRAM_KINDS)[number];
/** ca-signed: the components per node (parallel mode); cluster-tls: ClusterTls (rolling mode). */
export type Example = "ca-signed" | "cluster-tls";

export interface BenchProgram {
    /** Where the CLI runs (the directory of Pulumi.yaml). */
    dir: string;
    /** The Pulumi project name: the namespace of its config keys. */
    project: string;
}

const PROJECT: Record<Example, string> = { "ca-signed": "ca-signed", "cluster-tls": "cluster-tls" };

function npm(args: string[], cwd: string): string {
    return execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
}

/** The program of `example` as `kind`; consumer projects are made under `base` (once per tarball). */
export function benchProgram(kind: ProgramKind, example: Example, base: string, log: (l: string) => void): BenchProgram {
    const project = PROJECT[example];
    if (kind === "checkout") {
        return { dir: path.join(REPO, "examples", example), project };
    }
    const consumer = consumerDir(base, log);
    const dir = path.join(consumer, `${example}-${kind}`);
    if (fs.existsSync(path.join(dir, ".ready"))) return { dir, project };
    fs.rmSync(dir, { recursive: true, force: true });
    const src = path.join(dir, "src");
    fs.mkdirSync(path.join(src, example), { recursive: true });
    fs.mkdirSync(path.join(src, "shared"), { recursive: true });
    fs.copyFileSync(path.join(REPO, "examples", example, "index.ts"), path.join(src, example, "index.ts"));
    fs.copyFileSync(path.join(REPO, "examples/shared/hosts.ts"), path.join(src, "shared/hosts.ts"));
    const compilerOptions = { target: "ES2022", module: "commonjs", moduleResolution: "node", strict: true, esModuleInterop: true, skipLibCheck: true, types: ["node"] };
    if (kind === "installed-ts") {
        // What the examples do: ts-node, transpile-only (noCheck), tsconfig beside the program (its working directory).
        fs.writeFileSync(path.join(src, example, "tsconfig.json"), JSON.stringify({ compilerOptions: { ...compilerOptions, noCheck: true }, files: ["index.ts", "../shared/hosts.ts"] }, null, 2));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${project}\nruntime: nodejs\nmain: src/${example}/index.ts\n`);
    } else {
        // Compiled (and type-checked against the installed package's declarations) before the run, as a CI job would.
        fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { ...compilerOptions, rootDir: "src", outDir: "out" }, files: [`src/${example}/index.ts`, "src/shared/hosts.ts"] }, null, 2));
        execFileSync(process.execPath, [path.join(REPO, "node_modules/typescript/bin/tsc"), "-p", dir], { stdio: ["ignore", "pipe", "pipe"] });
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${project}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: out/${example}/index.js\n`);
    }
    fs.writeFileSync(path.join(dir, ".ready"), "");
    log(`program ${example} as ${kind}: ${dir}`);
    return { dir, project };
}

/** Packed once per process: the tarball holds README.md too, and an edit during a bench must not make a second consumer (nor remove the first). */
const consumers = new Map<string, string>();
/** The tarball of this process's first pack, kept to install the same package again. */
let packed: { filename: string; bytes: Buffer } | undefined;

/** A consumer project (package.json + node_modules) with this repository's `npm pack` tarball installed (a copy, not a link). */
function consumerDir(base: string, log: (l: string) => void): string {
    const known = consumers.get(base);
    // Bringing up the next N's hosts clears the sandbox directory, the consumer project with it:
    // then the same tarball is installed again.
    if (known !== undefined && fs.existsSync(path.join(known, ".ready"))) return known;
    const dir = packAndInstall(base, log);
    consumers.set(base, dir);
    return dir;
}

function packAndInstall(base: string, log: (l: string) => void): string {
    const packDir = fs.mkdtempSync(path.join(base, "pack-"));
    try {
        if (packed === undefined) {
            // bin/ was just built (`npm run bench` builds first): prepack's clean build is not needed.
            const [info] = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", packDir], REPO)) as { filename: string }[];
            packed = { filename: info.filename, bytes: fs.readFileSync(path.join(packDir, info.filename)) };
        }
        const info = { filename: packed.filename };
        const tarball = path.join(packDir, info.filename);
        fs.writeFileSync(tarball, packed.bytes);
        const sha = crypto.createHash("sha256").update(fs.readFileSync(tarball)).digest("hex").slice(0, 16);
        const dir = path.join(base, `consumer-${sha}`);
        if (fs.existsSync(path.join(dir, ".ready"))) return dir;
        for (const old of fs.readdirSync(base)) if (old.startsWith("consumer-")) fs.rmSync(path.join(base, old), { recursive: true, force: true });
        fs.mkdirSync(dir, { recursive: true });
        const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "pitls-bench-consumer", version: "1.0.0", private: true }, null, 2));
        const t = Date.now();
        // The same @pulumi/pulumi as the package is tested with; @types/node as a `pulumi new typescript` project has.
        npm(["install", tarball, `@pulumi/pulumi@${pkg.dependencies["@pulumi/pulumi"]}`,
            `@types/node@${pkg.devDependencies["@types/node"]}`, "--prefer-offline", "--no-audit", "--no-fund"], dir);
        if (fs.lstatSync(path.join(dir, "node_modules/pulumi-influxdb-tls")).isSymbolicLink()) throw new Error("bench: the package was linked, not installed");
        fs.writeFileSync(path.join(dir, ".ready"), info.filename);
        log(`consumer project ${dir}: tarball installed in ${((Date.now() - t) / 1000).toFixed(1)} s`);
        return dir;
    } finally {
        fs.rmSync(packDir, { recursive: true, force: true });
    }
}
