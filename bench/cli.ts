/**
 * npm run bench -- [--data 4,16] [--rounds 3] [--modes parallel,rolling] [--program installed-js] [--no-phases] [--out FILE]
 * --program: checkout | installed-ts | installed-js (bench/program.ts; default installed-js, what the README recommends).
 * Prints the result table and writes it to bench/results/<date>-<machine>.md (or --out).
 * Needs: build/bin/pulumi (scripts/build-pulumi.sh), ansible-playbook (apt: ansible-core), root
 * (the test hosts), PITLS_SANDBOX_NET like every test run.
 */
import { execFileSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { REPO } from "./hosts";
import { PROGRAM_KINDS, type ProgramKind } from "./program";
import { bench, writeResult, type BenchResult } from "./run";
import { rawTable, resultTable } from "./table";

const PROGRAM_DESCRIPTION: Record<ProgramKind, string> = {
    "checkout": "the examples inside this repository (TypeScript through ts-node, transpile-only; the package from the checkout, so its code is inlined into every resource's `__provider`).",
    "installed-ts": "the examples in a consumer project with the `npm pack` tarball installed, TypeScript through ts-node (transpile-only).",
    "installed-js": "the examples in a consumer project with the `npm pack` tarball installed, compiled with `tsc` beforehand, `runtime.options.typescript: false` (the README's recommended setup).",
};

const USAGE = "usage: npm run bench -- [--data 4,16] [--rounds 3] [--modes parallel,rolling] [--program installed-js] [--no-phases] [--out FILE]";
const VALUED = new Set(["data", "rounds", "modes", "program", "out"]);
const FLAGS = new Set(["no-phases"]);

/**
 * The arguments, checked before anything starts: a run brings up test hosts and takes tens of
 * minutes, so a mistyped or unknown flag (or `--help`) must not start one with the defaults.
 */
function parseArgs(argv: string[]): Map<string, string> {
    const out = new Map<string, string>();
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i]!;
        if (a === "--help" || a === "-h") {
            console.log(USAGE);
            process.exit(0);
        }
        const name = a.startsWith("--") ? a.slice(2) : "";
        if (FLAGS.has(name)) {
            out.set(name, "true");
        } else if (VALUED.has(name) && i + 1 < argv.length && !argv[i + 1]!.startsWith("--")) {
            out.set(name, argv[++i]!);
        } else {
            throw new Error(`bench: ${VALUED.has(name) ? `${a} needs a value` : `unknown argument ${JSON.stringify(a)}`}\n${USAGE}`);
        }
    }
    return out;
}

const ARGS = (() => {
    try {
        return parseArgs(process.argv.slice(2));
    } catch (e) {
        console.error((e as Error).message);
        process.exit(2);
    }
})();

function arg(name: string): string | undefined {
    return ARGS.get(name);
}

function version(cmd: string, args: string[]): string {
    try {
        return execFileSync(cmd, args, { encoding: "utf8", env: { ...process.env, PATH: `${path.join(REPO, "build/bin")}:${process.env.PATH}` } }).split("\n")[0].trim();
    } catch {
        return "?";
    }
}

async function main(): Promise<void> {
    const dataNodes = (arg("data") ?? "4,16").split(",").map(Number);
    const rounds = Number(arg("rounds") ?? 3);
    const modes = (arg("modes") ?? "parallel,rolling").split(",") as ("parallel" | "rolling")[];
    if (dataNodes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`bench: --data must be a comma-separated list of positive integers, not ${JSON.stringify(arg("data"))}`);
    if (!Number.isInteger(rounds) || rounds < 0) throw new Error(`bench: --rounds must be a non-negative integer, not ${JSON.stringify(arg("rounds"))}`);
    if (modes.some((m) => m !== "parallel" && m !== "rolling")) throw new Error(`bench: --modes must list parallel and/or rolling, not ${JSON.stringify(arg("modes"))}`);
    const program = (arg("program") ?? "installed-js") as ProgramKind;
    if (!PROGRAM_KINDS.includes(program)) throw new Error(`bench: --program must be one of ${PROGRAM_KINDS.join(", ")}`);
    const started = new Date();
    const machine = os.hostname();
    const out = arg("out") ?? path.join(REPO, "bench/results", `${started.toISOString().slice(0, 10)}-${machine}.md`);
    const all: BenchResult = { samples: [], phases: new Map(), notes: {} };
    const done: number[] = [];
    let text = "";
    // One N at a time, the result file rewritten after each: a long run interrupted keeps what it measured.
    for (const n of dataNodes) {
        const r = await bench({ dataNodes: [n], rounds, modes, program, phases: !ARGS.has("no-phases"), log: (l) => console.log(l) });
        all.samples.push(...r.samples);
        for (const [k, v] of r.phases) all.phases.set(k, v);
        Object.assign(all.notes, r.notes);
        done.push(n);
        text = report(all, done, dataNodes, rounds, modes, program, started, machine);
        writeResult(out, text);
    }
    console.log(`\n${text}`);
    console.log(`written: ${out}`);
}

function report(r: BenchResult, done: number[], dataNodes: number[], rounds: number, modes: ("parallel" | "rolling")[], program: ProgramKind, started: Date, machine: string): string {
    const lines = [
        `# Benchmark: this package vs Ansible vs the floor — ${started.toISOString().slice(0, 16).replace("T", " ")} UTC, ${machine}`,
        "",
        `\`npm run bench -- --data ${dataNodes.join(",")} --rounds ${rounds} --modes ${modes.join(",")} --program ${program}\` (PITLS_SANDBOX_NET=${process.env.PITLS_SANDBOX_NET ?? "10"})${done.length < dataNodes.length ? `; so far N = ${done.join(", ")}` : ""}.`,
        `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, shared with other developers' test runs (load average beside each figure).`,
        `Pulumi CLI ${version("pulumi", ["version"])} (build/bin), ${version("ansible-playbook", ["--version"])}, Node.js ${process.version}.`,
        "Hosts: 1 meta + N data + 1 Telegraf on loopback (test/sandbox). Rounds alternate the tools' order; every host is reset to HTTP before each tool's first run.",
        `This package's program: ${PROGRAM_DESCRIPTION[program]}`,
        "Times are wall clock of the whole command (`pulumi up --yes` = its preview pass + the update, as users run it). SSH conns/node: the most logins any one host's sshd accepted during that run.",
        "",
    ];
    for (const n of done) {
        for (const mode of modes) {
            lines.push(`## N = ${n} data nodes, ${mode}${mode === "rolling" ? " (Ansible \`serial: 1\`, floor one data node at a time)" : ""}`, "", resultTable(r.samples, n, mode, r.notes), "");
        }
        const p = r.phases.get(n);
        if (p) lines.push(`### Where the time of one run goes (N = ${n}, engine log -v=9)`, "", p, "");
    }
    lines.push("## Every run", "", rawTable(r.samples), "");
    return lines.join("\n");
}

main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
});
