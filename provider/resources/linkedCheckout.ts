import * as fs from "fs";
import * as path from "path";
import { refusal } from "./refuse";

/**
 * Refuses, at construction, a package the engine could not run. The SDK's closure serializer
 * stores a dynamic provider as `require("pulumi-influxdb-tls/bin/…")` only when our modules
 * live under a `node_modules` directory; loaded from anywhere else — a `file:` dependency on a
 * checkout, which npm installs as a symlink (node resolves it to the checkout's real path) —
 * it copies our modules into the state by value, and their `require("smol-toml")` etc. then
 * run in the dynamic-provider host, whose working directory is the program's. A consumer
 * project that only has a link to the checkout has none of our dependencies there, and every
 * preview failed with `Cannot find module 'smol-toml'` from inside the provider (issue 12 §4).
 * Fail at once instead, saying what to do.
 *
 * Not a problem (and not refused): an installed copy (`npm pack` tarball, `--install-links`),
 * or a program inside the checkout itself (the root project, the examples), which resolves the
 * dependencies from the checkout's own node_modules.
 */
export function linkedCheckoutProblem(packageDir: string, cwd: string, dependencies: readonly string[],
    resolve: (dep: string, from: string) => void): string | undefined {
    if (packageDir.split(path.sep).includes("node_modules")) {
        return undefined;
    }
    const missing = dependencies.filter((dep) => {
        try {
            resolve(dep, cwd);
            return false;
        } catch {
            return true;
        }
    });
    if (missing.length === 0) {
        return undefined;
    }
    return `pulumi-influxdb-tls is loaded from ${packageDir}, outside any node_modules (a \`file:\` dependency on a ` +
        `checkout, which npm links), so Pulumi would copy its provider code into the state, and that code cannot find ` +
        `${missing.join(", ")} from the program's directory ${cwd}. Install a copy instead: \`npm pack\` in the checkout and ` +
        "`npm install <path>/pulumi-influxdb-tls-<version>.tgz`, or `npm install --install-links <checkout>` after " +
        "`npm run build` there (or `install-links=true` in the project's .npmrc). See the README, \"Install\".";
}

let checked: string | undefined | null = null;

/** linkedCheckoutProblem for this copy of the package and this process, computed once. */
export function assertLoadableByEngine(): void {
    if (checked === null) {
        const packageDir = ownPackageDir();
        // The providers' own runtime dependencies; @pulumi/* come from the program anyway.
        const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
        const deps = Object.keys(pkg.dependencies ?? {}).filter((d) => !d.startsWith("@pulumi/"));
        checked = linkedCheckoutProblem(packageDir, process.cwd(), deps, (dep, from) => require.resolve(dep, { paths: [from] }));
    }
    if (checked !== undefined) {
        throw refusal(checked, undefined);
    }
}

/** The real path of the nearest directory above this file whose package.json is ours (bin/ and bin-test/ alike). */
function ownPackageDir(): string {
    for (let d = fs.realpathSync(__dirname); d !== path.dirname(d); d = path.dirname(d)) {
        const pj = path.join(d, "package.json");
        if (fs.existsSync(pj) && (JSON.parse(fs.readFileSync(pj, "utf8")) as { name?: string }).name === "pulumi-influxdb-tls") {
            return d;
        }
    }
    throw new Error(`no pulumi-influxdb-tls package.json above ${__dirname}`);
}
