/**
 * This package through the real CLI (build/bin/pulumi, v3.274.1): a bench program
 * (bench/program.ts: the CA-signed example for the parallel mode, ClusterTls with
 * `maxUnavailable: 1` for the rolling mode; from the checkout or installed) on its own stack
 * `bench`, file backend and PULUMI_HOME under the sandbox directory, stack config with the
 * bench's absolute paths.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { SandboxState } from "../test/sandbox";
import { REPO } from "./hosts";
import type { BenchProgram, Example } from "./program";
import { timedRun, type Timed } from "./spawn";

export type CliRun = Timed;

/** The stack config of `example` on the bench's hosts (every host in state.json, CA-signed files from certDir). */
function stackConfig(example: Example, project: string, state: SandboxState, certDir: string): string {
    const values: Record<string, string> = {
        sandboxState: path.join(state.dir, "state.json"),
        certDir,
        // ca-signed: one certificate per node. cluster-tls: the bench hosts' oldest influxd (no
        // internode TLS keys), one data node at a time, a gate timeout that ends a stuck run.
        ...(example === "ca-signed" ? { layout: "per-node" } : { version: "1.6.7", maxUnavailable: "1", healthTimeoutSeconds: "120" }),
    };
    return `config:\n${Object.entries(values).map(([k, v]) => `  ${project}:${k}: ${JSON.stringify(v)}\n`).join("")}`;
}

export class PulumiBench {
    private readonly env: NodeJS.ProcessEnv;
    private readonly configFile: string;
    private readonly bin = path.join(REPO, "build/bin");

    constructor(state: SandboxState, certDir: string, readonly program: BenchProgram, example: Example) {
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
        // One config file per project (the stack `bench` of each project lives in the same backend).
        this.configFile = path.join(base, `Pulumi.bench.${program.project}.yaml`);
        let salt = "";
        // Run in the program's directory: lists the stacks of its project.
        const stacks = JSON.parse(this.cli(["stack", "ls", "--json"]) || "[]") as { name: string }[];
        if (!stacks.some((s) => s.name === "bench" || s.name.endsWith("/bench"))) {
            // `stack init` writes the encryption salt next to Pulumi.yaml: let that be a scratch copy.
            const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-bench-"));
            fs.writeFileSync(path.join(scratch, "Pulumi.yaml"), `name: ${program.project}\nruntime: nodejs\n`);
            this.cli(["stack", "init", "bench", "--secrets-provider", "passphrase", "--cwd", scratch]);
            salt = fs.readFileSync(path.join(scratch, "Pulumi.bench.yaml"), "utf8").split("\n").find((l) => l.startsWith("encryptionsalt:")) ?? "";
            fs.rmSync(scratch, { recursive: true });
        } else if (fs.existsSync(this.configFile)) {
            salt = fs.readFileSync(this.configFile, "utf8").split("\n").find((l) => l.startsWith("encryptionsalt:")) ?? "";
        }
        fs.writeFileSync(this.configFile, `${stackConfig(example, program.project, state, certDir)}${salt ? `${salt}\n` : ""}`);
    }

    private cli(args: string[]): string {
        return execFileSync(path.join(this.bin, "pulumi"), args, { cwd: this.program.dir, env: this.env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    }

    /** `pulumi <action>` on stack bench, timed; `extra` e.g. the engine-log flags for the phase table. */
    run(action: "up" | "preview" | "destroy", extra: string[] = []): Promise<CliRun> {
        const args = [action, ...(action === "preview" ? ["--diff"] : ["--yes"]), "--stack", "bench", "--non-interactive", "--config-file", this.configFile, ...extra];
        return timedRun(path.join(this.bin, "pulumi"), args, { cwd: this.program.dir, env: this.env });
    }
}

/** The change counts of a run's summary (`+ 9 created`, `~ 1 updated`, `+ 9 to create`…), 0 when none. */
export function changesOf(out: string): number {
    let n = 0;
    for (const m of out.matchAll(/^\s+[-+~]+\s+(\d+) (?:created|updated|deleted|replaced|to create|to update|to delete|to replace)/gm)) n += Number(m[1]);
    return n;
}
