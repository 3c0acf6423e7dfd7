/**
 * A fresh stack of the examples/ca-signed project (its own Pulumi.yaml; the default file
 * installer: each node's certificate, key and CA files move in its config's TomlSettings
 * transaction) for tests that drive the real Pulumi CLI (build/bin/pulumi, v3.274.1) against the test
 * hosts: a file backend, its own PULUMI_HOME, a random passphrase, certificates from
 * make-certs.sh and a stack config file (--config-file), all in one temp dir, so nothing is
 * written into the repo. Fails (never skips) when the CLI has not been built.
 */
import assert from "node:assert/strict";
import { configsDifferingFromBaseline } from "../integration/helpers/hosts";
import { parentPid } from "../sandbox/procs";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findHost, loadSandbox, onHost, resetHost, run, sandboxUp, selectHosts, type HostState, type SandboxState } from "../sandbox";

/** bin-test/test/e2e → the repo root. */
export const ROOT = path.resolve(__dirname, "../../..");
export const BIN = path.join(ROOT, "build/bin");
export const PULUMI = path.join(BIN, "pulumi");
export const HOSTS = ["meta1", "data1", "data2", "tele1"] as const;
/**
 * The project the CLI tests drive: examples/ca-signed (per-node components, CA-signed files), run
 * in its own directory. Not the root project: that is the main job (ClusterTls, npm start).
 */
export const PROJECT_DIR = path.join(ROOT, "examples/ca-signed");
export const PROJECT = "ca-signed";
/** Its stack config template (config keys `ca-signed:…`, paths relative to PROJECT_DIR). */
export const SANDBOX_CONFIG = path.join(PROJECT_DIR, "Pulumi.sandbox.yaml");
/** Sets `key` (e.g. "certDir") of a stack config of PROJECT to `value`. */
export function setConfig(yaml: string, key: string, value: string): string {
    const re = new RegExp(`^(\\s*${PROJECT}:${key}:).*$`, "m");
    assert.match(yaml, re, `${PROJECT}:${key} is not in the stack config`);
    return yaml.replace(re, `$1 ${value}`);
}
/**
 * Resources the program registers: 4 TomlSettings (each also writing its node's certificate,
 * key and CA files: no separate file resource) + 4 components + the stack.
 */
export const TOTAL = 9;
/** The dynamic resources among them: the 4 TomlSettings. */
export const DYNAMIC = 4;

export interface CliResult {
    code: number;
    /** stdout + stderr, in arrival order. */
    out: string;
    ms: number;
}

/** A running CLI command: its process and the result once it has ended. */
export interface RunningCli {
    child: ChildProcess;
    /** Output so far (stdout + stderr). */
    output(): string;
    done: Promise<CliResult>;
}

export interface CliStackOptions {
    /** Stack name prefix; a random suffix is added. */
    prefix: string;
    /** Rewrites the stack config (examples/ca-signed/Pulumi.sandbox.yaml with this sandbox's paths) before use. */
    editConfig?: (yaml: string) => string;
    /** Logged before each line of the CLI's progress ("[fault18]"). */
    tag: string;
}

export class CliStack {
    readonly stack: string;
    tmp = "";
    certDir = "";
    configFile = "";
    stateDir = "";
    passphrase = `e2e-${crypto.randomBytes(12).toString("hex")}`;
    env: NodeJS.ProcessEnv = {};
    state!: SandboxState;
    createdAt = "";
    stackCreated = false;
    /** Files of ours on each host before the first up (see ourFilesOn): what destroy must leave. */
    baseline: Record<string, FileOfOurs[]> = {};
    /** Every command's output, for scans. */
    readonly outputs: { step: string; out: string }[] = [];
    readonly durations: { step: string; ms: number; code: number }[] = [];

    constructor(private readonly opts: CliStackOptions) {
        this.stack = `${opts.prefix}-${crypto.randomBytes(4).toString("hex")}`;
    }

    host(name: string): HostState {
        return findHost(this.state, name);
    }

    /** Hosts up and at their baseline, certificates, backend, stack and config file. */
    async init(): Promise<void> {
        assert.ok(fs.existsSync(PULUMI), `${PULUMI} is missing: run scripts/build-pulumi.sh (test/all.sh does it before the tests)`);
        for (const p of ["pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]) {
            assert.ok(fs.existsSync(path.join(BIN, p)), `${path.join(BIN, p)} is missing: run scripts/build-pulumi.sh`);
        }
        // exact: the program configures every host in state.json, so not a bigger (npm start) sandbox.
        await sandboxUp({ hosts: selectHosts([...HOSTS]), exact: true });
        this.state = loadSandbox();
        this.createdAt = this.state.createdAt;
        for (const n of HOSTS) await resetHost(n, this.state);
        assert.deepEqual(configsNotAtBaseline(this.state), []);
        this.baseline = await baselineOfOurFiles(this.opts.tag);

        this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), `pitls-${this.opts.prefix}-`));
        this.certDir = path.join(this.tmp, "certs");
        execFileSync("bash", [path.join(ROOT, "examples/ca-signed/make-certs.sh"), this.certDir,
            ...HOSTS.map((n) => `${n}=${this.host(n).address}`)], { stdio: "ignore" });
        const base = { ...process.env };
        for (const k of Object.keys(base)) if (k.startsWith("PULUMI_")) delete base[k];
        this.env = {
            ...base,
            PATH: `${BIN}:${process.env.PATH ?? ""}`,
            PULUMI_HOME: path.join(this.tmp, "home"),
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_CONFIG_PASSPHRASE: this.passphrase,
        };
        this.stateDir = path.join(this.tmp, "state");
        fs.mkdirSync(this.stateDir);
        ok(await this.pulumi("login", ["login", `file://${this.stateDir}`]), "pulumi login");
        const salt = await this.initStack("stack init", this.stack, path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(this.tmp, "project"));
        this.stackCreated = true;
        const sandboxYaml = setConfig(setConfig(fs.readFileSync(SANDBOX_CONFIG, "utf8"),
            "sandboxState", path.join(this.state.dir, "state.json")), "certDir", this.certDir);
        this.configFile = path.join(this.tmp, `Pulumi.${this.stack}.yaml`);
        this.writeConfig(this.opts.editConfig ? this.opts.editConfig(sandboxYaml) : sandboxYaml, salt);
    }

    /**
     * `stack init` of `stack` for the project of `projectFile`, in this stack's backend; returns
     * the encryption salt line. `stack init` writes the salt into Pulumi.<stack>.yaml of its
     * working directory: a scratch copy of the project (`scratch`), so the repo stays untouched.
     */
    async initStack(step: string, stack: string, projectFile: string, scratch: string): Promise<string> {
        fs.mkdirSync(scratch, { recursive: true });
        fs.copyFileSync(projectFile, path.join(scratch, "Pulumi.yaml"));
        ok(await this.pulumi(step, ["stack", "init", stack, "--secrets-provider", "passphrase", "--cwd", scratch, "--non-interactive"]), step);
        const salt = fs.readFileSync(path.join(scratch, `Pulumi.${stack}.yaml`), "utf8").match(/^encryptionsalt:.*$/m)?.[0];
        assert.ok(salt, "stack init wrote no encryption salt");
        return salt;
    }

    private salt = "";
    /** Replaces the stack config (keeps the encryption salt). */
    writeConfig(yaml: string, salt = this.salt): void {
        this.salt = salt;
        fs.writeFileSync(this.configFile, `${yaml.replace(/^encryptionsalt:.*\n?/m, "")}${salt}\n`);
    }

    /** Flags every stack command gets. */
    on(): string[] {
        return ["--stack", this.stack, "--non-interactive", "--color", "never"];
    }
    withConfig(): string[] {
        return [...this.on(), "--config-file", this.configFile];
    }

    /** Starts the CLI in PROJECT_DIR (examples/ca-signed), in its own process group. */
    start(step: string, args: string[], timeoutMs = 240_000): RunningCli {
        const started = Date.now();
        const child = spawn(PULUMI, args, { cwd: PROJECT_DIR, env: this.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
        const chunks: Buffer[] = [];
        child.stdout!.on("data", (b: Buffer) => chunks.push(b));
        child.stderr!.on("data", (b: Buffer) => chunks.push(b));
        const timer = setTimeout(() => killTree(child.pid!), timeoutMs);
        const done = new Promise<CliResult>((resolve, reject) => {
            child.on("error", reject);
            child.on("close", (code, signal) => {
                clearTimeout(timer);
                const r = { code: code ?? 128, out: Buffer.concat(chunks).toString("utf8") + (signal ? `\n(killed by ${signal})` : ""), ms: Date.now() - started };
                this.durations.push({ step, ms: r.ms, code: r.code });
                this.outputs.push({ step, out: r.out });
                console.log(`${this.opts.tag} ${step}: \`pulumi ${args.join(" ")}\` → exit ${r.code}${signal ? ` (${signal})` : ""} in ${(r.ms / 1000).toFixed(1)} s`);
                resolve(r);
            });
        });
        return { child, output: () => Buffer.concat(chunks).toString("utf8"), done };
    }

    pulumi(step: string, args: string[], timeoutMs?: number): Promise<CliResult> {
        return this.start(step, args, timeoutMs).done;
    }

    /** The raw state file of the file backend. */
    stateFile(): string {
        return path.join(this.stateDir, ".pulumi/stacks", PROJECT, `${this.stack}.json`);
    }

    /** Hosts rebuilt under us (another process's sandboxUp) would make every later failure meaningless. */
    sameSandbox(): void {
        assert.equal(loadSandbox().createdAt, this.createdAt, "the test hosts were rebuilt by another process during this test (sandbox createdAt changed)");
    }

    /** Files of ours that differ from the baseline on any host (see leftoversOn). */
    async leftovers(): Promise<string[]> {
        return (await Promise.all(HOSTS.map((n) => leftoversOn(n, this.baseline[n])))).flat();
    }

    /** destroy (when resources may remain), stack rm, hosts reset, temp dir removed. */
    async cleanup(destroy: boolean): Promise<void> {
        try {
            if (this.stackCreated) {
                if (destroy) {
                    await this.pulumi("cancel (cleanup)", ["cancel", "--yes", ...this.on()]);
                    await this.pulumi("destroy (cleanup)", ["destroy", "--yes", "--skip-preview", ...this.withConfig()]);
                }
                await this.pulumi("stack rm", ["stack", "rm", "--yes", "--force", ...this.on()]);
            }
        } finally {
            for (const n of HOSTS) await resetHost(n).catch((e) => console.log(`${this.opts.tag} resetHost(${n}): ${e}`));
            if (this.tmp) fs.rmSync(this.tmp, { recursive: true, force: true });
            console.log(`${this.opts.tag} durations (real Pulumi CLI v3.274.1, wall time):`);
            for (const d of this.durations) console.log(`${this.opts.tag}   ${d.step.padEnd(34)} ${(d.ms / 1000).toFixed(1).padStart(6)} s  exit ${d.code}`);
        }
    }
}

export function ok(r: CliResult, what: string): void {
    assert.equal(r.code, 0, `${what} failed:\n${r.out.slice(-6000)}`);
}

/** Config files (as host:path) that differ from the sandbox baseline. */
export function configsNotAtBaseline(state: SandboxState, hosts: readonly string[] = HOSTS): string[] {
    return configsDifferingFromBaseline(state, hosts);
}

/** `pid` and every process below it (plugins run in their own process groups, so a group kill misses them). */
export function processTree(pid: number): number[] {
    const children = new Map<number, number[]>();
    for (const name of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(name)) continue;
        const pp = parentPid(Number(name));
        if (pp !== undefined) children.set(pp, [...(children.get(pp) ?? []), Number(name)]);
    }
    const out: number[] = [];
    const walk = (p: number) => {
        out.push(p);
        for (const c of children.get(p) ?? []) walk(c);
    };
    walk(pid);
    return out;
}

/**
 * SIGKILLs `pid` and all its descendants, the way a killed CI runner does: all stopped first
 * (so none reacts to the others' deaths), then killed. Returns the pids killed.
 */
export function killTree(pid: number): number[] {
    const signal = (pids: number[], sig: NodeJS.Signals) => {
        for (const p of pids) {
            try {
                process.kill(p, sig);
            } catch {
                /* gone */
            }
        }
    };
    const first = processTree(pid);
    signal(first, "SIGSTOP");
    const all = [...new Set([...first, ...processTree(pid)])];
    signal(all, "SIGKILL");
    return all;
}

/** `influx -ssl` from this machine, trusting only the CA in `certDir` (Go honours SSL_CERT_FILE): exit code. */
export async function influxTls(h: HostState, certDir: string): Promise<number> {
    return (await run(["env", `SSL_CERT_FILE=${path.join(certDir, "ca.crt")}`, "influx", "-ssl", "-host", h.address, "-execute", "SHOW DATABASES"], { allowFailure: true })).code;
}

/** influxd-ctl on the meta host, as the guide runs it there: exit code. */
export async function influxdCtl(meta: HostState, tls: boolean): Promise<number> {
    const argv = tls
        ? ["env", "SSL_CERT_FILE=/etc/ssl/influxdb-ca.pem", "influxd-ctl", "-bind", `${meta.address}:8091`, "-bind-tls", "show"]
        : ["influxd-ctl", "-bind", `${meta.address}:8091`, "show"];
    return (await onHost(meta.name, argv, { allowFailure: true })).code;
}

/** Files this package may leave on a host: certificates, keys, CA copies, undo journals, temp files, backups. */
export const OUR_FILES = ["/etc/ssl/influxdb.crt", "/etc/ssl/influxdb.key", "/etc/ssl/influxdb.pem", "/etc/ssl/influxdb-ca.pem", "/etc/telegraf/influxdb-ca.pem"];

/** One file of ours on a host. `sha256` is for comparing only: never print it (it is the hash of a key). */
export interface FileOfOurs {
    path: string;
    sha256: string;
    /** "600 influxdb:influxdb" */
    attrs: string;
}

/**
 * Every file of ours on host `name`: the known paths, and anything named `.pitls.*` (temp
 * files), `*.pitls-undo` (undo journals) or `*.pitls-prev` (the transaction's backups: hard
 * links to each file's previous version, dropped once the step is over) in the directories
 * that are the host's own (its mount namespace: /etc/ssl, /etc/influxdb, /etc/telegraf,
 * /var/lib/influxdb, /usr/local/sbin) — everything the package writes lands there; the rest
 * of the filesystem is shared with other sandboxes on this machine.
 */
export async function ourFilesOn(name: string): Promise<FileOfOurs[]> {
    const r = await onHost(name, ["sh", "-c",
        "{ for f in \"$@\"; do [ -e \"$f\" ] && printf '%s\\n' \"$f\"; done; " +
        "find /etc/ssl /etc/influxdb /etc/telegraf /var/lib/influxdb /usr/local/sbin \\( -name '.pitls.*' -o -name '*.pitls-undo' -o -name '*.pitls-prev' -o -name '.pitls-*' \\) -print 2>/dev/null; } | " +
        "while IFS= read -r f; do printf '%s\\t%s\\t%s\\n' \"$(sha256sum < \"$f\" | cut -c1-64)\" \"$(stat -c '%a %U:%G' \"$f\")\" \"$f\"; done; true",
        "sh", ...OUR_FILES]);
    return r.stdout.split("\n").filter((l) => l !== "").map((l) => {
        const [sha256, attrs, ...p] = l.split("\t");
        return { path: p.join("\t"), sha256: sha256!, attrs: attrs! };
    });
}

/**
 * Files of ours on host `name` that differ from `baseline` (ourFilesOn before the first up),
 * as "host:path (why)": added, changed (content, mode or owner) or gone. With no baseline,
 * every file of ours. A fresh host has none of them; but each host's /etc/ssl starts as a copy
 * of the machine's, so a file there that was not ours is a prior the transaction must put
 * back as it was (destroy restores priors byte for byte, owner and mode).
 */
export async function leftoversOn(name: string, baseline: readonly FileOfOurs[] = []): Promise<string[]> {
    const now = await ourFilesOn(name);
    const out: string[] = [];
    for (const f of now) {
        const was = baseline.find((b) => b.path === f.path);
        if (!was) out.push(`${name}:${f.path} (${f.attrs}; not there before the first up)`);
        else if (was.sha256 !== f.sha256 || was.attrs !== f.attrs) out.push(`${name}:${f.path} (${f.attrs}, was ${was.attrs}; content ${was.sha256 === f.sha256 ? "same" : "differs"})`);
    }
    for (const b of baseline) if (!now.some((f) => f.path === b.path)) out.push(`${name}:${b.path} (gone: it was there before the first up)`);
    return out;
}

/** A leftoversOn line about a temp file (`.pitls.*`) or a transaction's backup (`*.pitls-prev`). */
export function isTransient(line: string): boolean {
    return /\/\.pitls\.|\.pitls-prev /.test(line);
}

/** ourFilesOn for every host, logged when not empty (a test's own prior, or a copy of the machine's /etc/ssl). */
export async function baselineOfOurFiles(tag: string): Promise<Record<string, FileOfOurs[]>> {
    const baseline: Record<string, FileOfOurs[]> = {};
    for (const n of HOSTS) {
        baseline[n] = await ourFilesOn(n);
        if (baseline[n]!.length > 0) {
            console.log(`${tag} before the first up, ${n} already has ${baseline[n]!.map((f) => `${f.path} (${f.attrs})`).join(", ")}: destroy must leave them as they are`);
        }
    }
    return baseline;
}

/** Pending operations in the raw state file, as "type name". */
export function pendingOperations(stateFile: string): string[] {
    const st = JSON.parse(fs.readFileSync(stateFile, "utf8")) as { checkpoint: { latest?: { pending_operations?: { type: string; resource: { urn: string } }[] } } };
    return (st.checkpoint.latest?.pending_operations ?? []).map((o) => `${o.type} ${o.resource.urn.split("::").pop()}`);
}
