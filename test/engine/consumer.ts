/**
 * A consumer project: a temp dir whose node_modules holds pulumi-influxdb-tls installed from
 * the `npm pack` tarball (a real copy, as a user's `npm install` makes it) — or, with
 * `install`, the other ways a user may install a checkout: a `file:` dependency (npm links it)
 * or `npm install --install-links <checkout>` (a packed copy). The closure
 * serializer emits `require("pulumi-influxdb-tls/bin/…")` only for modules under
 * node_modules; from the repo itself (or a link) it inlines our modules by value, so only a
 * packed install shows what the engine stores in state.
 *
 * Cached per tarball hash under the temp dir so several test files in one run share one
 * install (~10 s); a new build gives a new hash and a fresh project.
 */
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface Consumer {
    /** The consumer project's directory (cwd for the dynamic-provider host). */
    dir: string;
    /** Its package.json name: what PULUMI_NODEJS_PROJECT is set to. */
    project: string;
    /** sha256 of the packed tarball. */
    tarballSha256: string;
    /** Wall time of this call; `reused` when the cached project was taken. */
    setupMs: number;
    reused: boolean;
    /** The tarball's path while the process runs (kept beside the cached project). */
    tarball: string;
}

/**
 * How the package gets into the consumer's node_modules:
 * - "tarball": `npm install <the npm pack tarball>` (what the README recommends);
 * - "link": `"pulumi-influxdb-tls": "file:<checkout>"` in package.json (npm makes a symlink);
 * - "install-links": `npm install --install-links <checkout>` (npm packs the directory and copies it).
 */
export type InstallMode = "tarball" | "link" | "install-links";

const PROJECT = "pitls-engine-consumer";
const CACHE_ROOT = path.join(os.tmpdir(), "pitls-engine-consumer");

/** The repo root: the nearest package.json named pulumi-influxdb-tls above this file. */
export function repoRoot(): string {
    for (let d = __dirname; d !== path.dirname(d); d = path.dirname(d)) {
        const pj = path.join(d, "package.json");
        if (fs.existsSync(pj) && JSON.parse(fs.readFileSync(pj, "utf8")).name === "pulumi-influxdb-tls") {
            return d;
        }
    }
    throw new Error(`no pulumi-influxdb-tls package.json above ${__dirname}`);
}

function tsFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts"))
        .map((e) => path.join(e.parentPath, e.name));
}

/** True when some provider/**.ts has no bin/**.js or is newer than it (the tarball would ship old code). */
function binIsStale(root: string): boolean {
    return tsFiles(path.join(root, "provider")).some((ts) => {
        const js = path.join(root, "bin", path.relative(path.join(root, "provider"), ts)).replace(/\.ts$/, ".js");
        return !fs.existsSync(js) || fs.statSync(js).mtimeMs < fs.statSync(ts).mtimeMs;
    });
}

function npm(args: string[], cwd: string): string {
    return execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
}

/** Packs the repo (building first if bin/ is stale) and returns a consumer project with the tarball installed. */
export function consumerProject(opts: { log?: (line: string) => void; install?: InstallMode } = {}): Consumer {
    const mode = opts.install ?? "tarball";
    const log = opts.log ?? (() => undefined);
    const started = Date.now();
    const root = repoRoot();
    if (binIsStale(root)) {
        log("bin/ is older than provider/: npm run build");
        try {
            npm(["run", "build"], root);
        } catch (e) {
            // tsc emits despite type errors (others may be mid-edit); the pack takes what was emitted.
            log(`npm run build reported errors: ${String((e as { stdout?: string }).stdout ?? e).slice(0, 2000)}`);
        }
    }
    const packDir = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-pack-"));
    try {
        // npm pack normalizes mtimes, so the hash only changes when the shipped bytes do. bin/ is
        // fresh (built above), so prepack's clean build is skipped (test/unit/pack tests it).
        const [info] = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", packDir], root)) as { filename: string }[];
        const tarball = path.join(packDir, info.filename);
        const sha = crypto.createHash("sha256").update(fs.readFileSync(tarball)).digest("hex");
        const dir = path.join(CACHE_ROOT, `${sha.slice(0, 16)}${mode === "tarball" ? "" : `-${mode}`}`);
        const kept = path.join(CACHE_ROOT, `${sha.slice(0, 16)}.tgz`);
        fs.mkdirSync(CACHE_ROOT, { recursive: true });
        fs.copyFileSync(tarball, kept);
        if (fs.existsSync(path.join(dir, ".ready"))) {
            return { dir, project: PROJECT, tarballSha256: sha, setupMs: Date.now() - started, reused: true, tarball: kept };
        }
        // Build in a scratch dir and rename into place: two test files racing both end with a complete project.
        const scratch = fs.mkdtempSync(path.join(CACHE_ROOT, "tmp-"));
        const dependencies = mode === "link" ? { "pulumi-influxdb-tls": `file:${root}` } : undefined;
        fs.writeFileSync(path.join(scratch, "package.json"), JSON.stringify({ name: PROJECT, version: "1.0.0", private: true, dependencies }, null, 2));
        fs.writeFileSync(path.join(scratch, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: nodejs\n`);
        try {
            // --prefer-offline: everything is in the npm cache after the repo's own `npm ci`.
            const what = mode === "tarball" ? [tarball] : mode === "install-links" ? ["--install-links", root] : [];
            // @types/node as in a `pulumi new typescript` project (the type-check test needs it).
            npm(["install", ...what, "@pulumi/pulumi@3.248.0", "@types/node@20.19.43", "--prefer-offline", "--no-audit", "--no-fund"], scratch);
            const installed = path.join(scratch, "node_modules", "pulumi-influxdb-tls");
            if (fs.lstatSync(installed).isSymbolicLink() !== (mode === "link")) {
                throw new Error(`${installed} is ${mode === "link" ? "not " : ""}a link after a "${mode}" install`);
            }
        } catch (e) {
            fs.rmSync(scratch, { recursive: true, force: true });
            throw e;
        }
        fs.writeFileSync(path.join(scratch, ".ready"), sha);
        try {
            fs.renameSync(scratch, dir);
        } catch {
            fs.rmSync(scratch, { recursive: true, force: true }); // another process won the race
        }
        // Older builds' projects are dead weight.
        for (const old of fs.readdirSync(CACHE_ROOT)) {
            if (!old.startsWith(sha.slice(0, 16)) && !old.startsWith("tmp-")) {
                fs.rmSync(path.join(CACHE_ROOT, old), { recursive: true, force: true });
            }
        }
        return { dir, project: PROJECT, tarballSha256: sha, setupMs: Date.now() - started, reused: false, tarball: kept };
    } finally {
        fs.rmSync(packDir, { recursive: true, force: true });
    }
}
