/**
 * Running the real Pulumi CLI from tests: offline (no update check, no plugin downloads), its
 * own PULUMI_HOME, a passphrase secrets provider, every command timed and its output kept
 * (stdout + stderr in arrival order) for later checks such as "no private key anywhere".
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export interface CliResult {
    code: number;
    /** stdout + stderr, in arrival order. */
    out: string;
    ms: number;
}

export interface CliOptions {
    /** The pulumi binary. */
    pulumi: string;
    /** Directories put first on PATH, in order (plugins and language hosts are found there). */
    path: readonly string[];
    /** PULUMI_HOME: no ~/.pulumi state in or out. */
    home: string;
    passphrase: string;
    /** Working directory of every command unless given. */
    cwd: string;
    /** Log prefix, e.g. "[e2e]". */
    tag: string;
}

export class PulumiCli {
    readonly durations: { step: string; ms: number; code: number }[] = [];
    readonly outputs: string[] = [];
    readonly env: NodeJS.ProcessEnv;

    constructor(readonly opts: CliOptions) {
        const base = { ...process.env };
        for (const k of Object.keys(base)) if (k.startsWith("PULUMI_")) delete base[k];
        this.env = {
            ...base,
            PATH: [...opts.path, process.env.PATH ?? ""].join(":"),
            PULUMI_HOME: opts.home,
            PULUMI_SKIP_UPDATE_CHECK: "true",                    // no api.pulumi.com lookups
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true", // never download plugins
            PULUMI_CONFIG_PASSPHRASE: opts.passphrase,
        };
    }

    /** Runs `pulumi args…`, timed; resolves with the exit code (never rejects on a non-zero exit). */
    run(step: string, args: string[], o: { cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
        const started = Date.now();
        return new Promise((resolve, reject) => {
            const child = spawn(this.opts.pulumi, args, { cwd: o.cwd ?? this.opts.cwd, env: this.env, stdio: ["ignore", "pipe", "pipe"], timeout: o.timeoutMs ?? 300_000 });
            const chunks: Buffer[] = [];
            child.stdout.on("data", (b: Buffer) => chunks.push(b));
            child.stderr.on("data", (b: Buffer) => chunks.push(b));
            child.on("error", reject);
            child.on("close", (code, signal) => {
                const r = { code: code ?? 128, out: Buffer.concat(chunks).toString("utf8") + (signal ? `\n(killed by ${signal})` : ""), ms: Date.now() - started };
                this.durations.push({ step, ms: r.ms, code: r.code });
                this.outputs.push(r.out);
                console.log(`${this.opts.tag} ${step}: \`pulumi ${args.join(" ")}\` → exit ${r.code} in ${(r.ms / 1000).toFixed(1)} s`);
                resolve(r);
            });
        });
    }

    /** `run`, failing the test with the output's tail on a non-zero exit. */
    async ok(step: string, args: string[], o: { cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
        const r = await this.run(step, args, o);
        assert.equal(r.code, 0, `${step} failed:\n${r.out.slice(-6000)}`);
        return r;
    }

    /**
     * `pulumi stack init` with the passphrase provider. It writes the encryption salt into
     * Pulumi.<stack>.yaml of its working directory: that is `scratch` (a copy of `projectFile`),
     * so the repo stays untouched. Returns the `encryptionsalt:` line for the stack config file.
     */
    async initStack(stack: string, projectFile: string, scratch: string): Promise<string> {
        fs.mkdirSync(scratch, { recursive: true });
        fs.copyFileSync(projectFile, path.join(scratch, "Pulumi.yaml"));
        await this.ok("stack init", ["stack", "init", stack, "--secrets-provider", "passphrase", "--cwd", scratch, "--non-interactive"]);
        const salt = fs.readFileSync(path.join(scratch, `Pulumi.${stack}.yaml`), "utf8").match(/^encryptionsalt:.*$/m)?.[0];
        assert.ok(salt, "stack init wrote no encryption salt");
        return salt;
    }

    /** The wall time of every command so far, one line each. */
    report(total?: number): string {
        const lines = this.durations.map((d) => `${this.opts.tag}   ${d.step.padEnd(28)} ${(d.ms / 1000).toFixed(1).padStart(6)} s  exit ${d.code}`);
        if (total !== undefined) lines.push(`${this.opts.tag}   ${"whole file".padEnd(28)} ${(total / 1000).toFixed(1).padStart(6)} s`);
        return lines.join("\n");
    }
}
