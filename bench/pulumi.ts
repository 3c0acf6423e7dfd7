/**
 * This package through the real CLI (build/bin/pulumi, v3.274.1): the examples/ca-signed project
 * (its own Pulumi.yaml, run in its directory: the per-node components the bench has always
 * measured, not the root project's ClusterTls) on its own stack `bench`, file backend and
 * PULUMI_HOME under the sandbox directory, stack config = examples/ca-signed/Pulumi.sandbox.yaml
 * with the bench's absolute paths.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { SandboxState } from "../test/sandbox";
import { REPO } from "./hosts";
import { timedRun, type Timed } from "./spawn";

export type CliRun = Timed;

/** The project the bench runs: examples/ca-signed (per-node MetaNodeTls/DataNodeTls/TelegrafOutputTls). */
const PROJECT_DIR = path.join(REPO, "examples/ca-signed");

export class PulumiBench {
    private readonly env: NodeJS.ProcessEnv;
    private readonly configFile: string;
    private readonly bin = path.join(REPO, "build/bin");

    constructor(state: SandboxState, certDir: string) {
        const base = path.join(state.dir, "bench-pulumi");
        fs.mkdirSync(path.join(base, "backend"), { recursive: true });
        const env = { ...process.env };
        for (const k of Object.keys(env)) if (k.startsWith("PULUMI_")) delete env[k];
        this.env = {
            ...env,
            PATH: `${this.bin}:${process.env.PATH ?? ""}`,
            PULUMI_HOME: path.join(base, "home"),
            PULUMI_BACKEND_URL: `file://${path.join(base, "backend")}`,
            PULUMI_CONFIG_PASSPHRASE: "bench-local-test-hosts-only",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_SKIP_CONFIRMATIONS: "true",
        };
        if (!fs.existsSync(path.join(this.bin, "pulumi"))) throw new Error(`bench: ${this.bin}/pulumi missing: run bash scripts/build-pulumi.sh`);
        this.configFile = path.join(base, "Pulumi.bench.yaml");
        let salt = "";
        const stacks = JSON.parse(this.cli(["stack", "ls", "--json"]) || "[]") as { name: string }[];
        if (!stacks.some((s) => s.name === "bench" || s.name.endsWith("/bench"))) {
            // `stack init` writes the encryption salt next to Pulumi.yaml: let that be a scratch copy.
            const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-bench-"));
            fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(scratch, "Pulumi.yaml"));
            this.cli(["stack", "init", "bench", "--secrets-provider", "passphrase", "--cwd", scratch]);
            salt = fs.readFileSync(path.join(scratch, "Pulumi.bench.yaml"), "utf8").split("\n").find((l) => l.startsWith("encryptionsalt:")) ?? "";
            fs.rmSync(scratch, { recursive: true });
        } else if (fs.existsSync(this.configFile)) {
            salt = fs.readFileSync(this.configFile, "utf8").split("\n").find((l) => l.startsWith("encryptionsalt:")) ?? "";
        }
        // By key, not by the relative path: examples/ca-signed/Pulumi.sandbox.yaml names that path in a comment too.
        const set = (yaml: string, key: string, value: string) => {
            const re = new RegExp(`^(\\s*ca-signed:${key}:).*$`, "m");
            if (!re.test(yaml)) throw new Error(`bench: ca-signed:${key} missing in examples/ca-signed/Pulumi.sandbox.yaml`);
            return yaml.replace(re, `$1 ${value}`);
        };
        const config = set(set(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.sandbox.yaml"), "utf8"),
            "sandboxState", path.join(state.dir, "state.json")), "certDir", certDir);
        fs.writeFileSync(this.configFile, `${config}${salt ? `${salt}\n` : ""}`);
    }

    private cli(args: string[]): string {
        return execFileSync(path.join(this.bin, "pulumi"), args, { cwd: PROJECT_DIR, env: this.env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    }

    /** `pulumi <action>` on stack bench, timed; `extra` e.g. the engine-log flags for the phase table. */
    run(action: "up" | "preview" | "destroy", extra: string[] = []): Promise<CliRun> {
        const args = [action, ...(action === "preview" ? ["--diff"] : ["--yes"]), "--stack", "bench", "--non-interactive", "--config-file", this.configFile, ...extra];
        return timedRun(path.join(this.bin, "pulumi"), args, { cwd: PROJECT_DIR, env: this.env });
    }
}

/** The change counts of a run's summary (`+ 9 created`, `~ 1 updated`, `+ 9 to create`…), 0 when none. */
export function changesOf(out: string): number {
    let n = 0;
    for (const m of out.matchAll(/^\s+[-+~]+\s+(\d+) (?:created|updated|deleted|replaced|to create|to update|to delete|to replace)/gm)) n += Number(m[1]);
    return n;
}
