/**
 * `npm run bench`: this package through the real CLI against an Ansible playbook and the floor,
 * on 1 meta + N data + 1 Telegraf test hosts, alternating tools round by round, every host
 * reset to HTTP before each first run (issue 11).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { SandboxState } from "../test/sandbox";
import { AnsibleBench } from "./ansible";
import { prepareFloor, runFloor } from "./floor";
import { benchHosts, checkHttps, load, makeCerts, maxPerNode, resetAll, sshLogins } from "./hosts";
import { phasesOf, phasesTable } from "./phases";
import { benchProgram, type ProgramKind } from "./program";
import { changesOf, PulumiBench } from "./pulumi";
import type { Sample, Tool } from "./table";

export interface BenchOptions {
    dataNodes: number[];
    rounds: number;
    modes: ("parallel" | "rolling")[];
    /** How this package's program is run (bench/program.ts); default "installed-js". */
    program?: ProgramKind;
    /** Also record the per-phase breakdown of one first up, second up, preview (engine log). */
    phases: boolean;
    log: (line: string) => void;
}

export interface BenchResult {
    samples: Sample[];
    /** Per N: Markdown phase tables. */
    phases: Map<number, string>;
    notes: Partial<Record<Tool, string>>;
}

class Failure extends Error {}

function must(ok: boolean, what: string, out: string): void {
    if (!ok) throw new Failure(`bench: ${what}\n${out.slice(-4000)}`);
}

export async function bench(o: BenchOptions): Promise<BenchResult> {
    const samples: Sample[] = [];
    const phases = new Map<number, string>();
    const notes: Partial<Record<Tool, string>> = {};
    for (const n of o.dataNodes) {
        o.log(`N = ${n}: test hosts 1 meta + ${n} data + 1 Telegraf`);
        const state = await benchHosts(n);
        const certDir = makeCerts(state);
        const kind = o.program ?? "installed-js";
        const base = path.join(state.dir, "bench-pulumi");
        fs.mkdirSync(base, { recursive: true });
        // Parallel mode: the components per node (examples/ca-signed, every data node at once).
        // Rolling mode: ClusterTls (examples/cluster-tls) with `rollout.maxUnavailable: 1`.
        const pulumi = new PulumiBench(state, certDir, benchProgram(kind, "ca-signed", base, o.log), "ca-signed");
        const rolling = o.modes.includes("rolling") ? new PulumiBench(state, certDir, benchProgram(kind, "cluster-tls", base, o.log), "cluster-tls") : undefined;
        const ansible = new AnsibleBench(state, certDir);
        // A stack left by an interrupted bench: back to HTTP first.
        for (const p of [pulumi, rolling]) if (p) must((await p.run("destroy")).code === 0, "initial pulumi destroy failed", "");
        await resetAll(state);

        const timed = async <T extends { ms: number }>(tool: Tool, mode: Sample["mode"], figure: string, fn: () => Promise<T>): Promise<T> => {
            const before = sshLogins(state);
            const l = load();
            const r = await fn();
            const s: Sample = { dataNodes: n, mode, tool, figure, ms: r.ms, load: l, sshPerNode: maxPerNode(before, sshLogins(state)) };
            samples.push(s);
            o.log(`  ${mode} ${tool} ${figure}: ${(r.ms / 1000).toFixed(1)} s (load ${l.toFixed(1)}, ${s.sshPerNode} SSH/node)`);
            return r;
        };
        const https = async (what: string) => {
            const bad = await checkHttps(state, certDir);
            must(bad.length === 0, `${what}: not every node answers HTTPS trusting the CA: ${bad.join(", ")}`, "");
        };

        const runners: Record<Tool, (mode: Sample["mode"]) => Promise<void>> = {
            package: async (mode) => {
                const p = mode === "rolling" ? rolling! : pulumi;
                const first = await timed("package", mode, "first run", () => p.run("up"));
                must(first.code === 0 && changesOf(first.out) > 0, "first pulumi up", first.out);
                await https("after the first pulumi up");
                const second = await timed("package", mode, "second run", () => p.run("up"));
                must(second.code === 0 && changesOf(second.out) === 0, "second pulumi up changed something", second.out);
                // What a pipeline runs after a reviewed preview: the program runs once instead of twice.
                const skip = await timed("package", mode, "second run, --skip-preview", () => p.run("up", ["--skip-preview"]));
                must(skip.code === 0 && changesOf(skip.out) === 0, "second pulumi up --skip-preview changed something", skip.out);
                const preview = await timed("package", mode, "preview", () => p.run("preview"));
                must(preview.code === 0 && changesOf(preview.out) === 0, "preview planned changes", preview.out);
                const destroy = await timed("package", mode, "destroy", () => p.run("destroy"));
                must(destroy.code === 0, "pulumi destroy", destroy.out);
                await resetAll(state);
            },
            ansible: async (mode) => {
                const first = await timed("ansible", mode, "first run", () => ansible.run(mode === "rolling"));
                must(first.code === 0 && first.failed === 0 && first.changed > 0, "first ansible-playbook run", first.out);
                await https("after the first ansible run");
                const second = await timed("ansible", mode, "second run", () => ansible.run(mode === "rolling"));
                must(second.code === 0 && second.changed === 0, "second ansible-playbook run changed something", second.out);
                ansible.closeMasters();
                await resetAll(state);
            },
            floor: async (mode) => {
                const plan = prepareFloor(state, certDir, mode === "rolling");
                const r = await timed("floor", mode, "first run", () => runFloor(state, plan));
                must(r.code === 0, "floor.sh", r.out);
                await https("after floor.sh");
                await resetAll(state);
            },
        };

        const tools: Tool[] = ["package", "ansible", "floor"];
        for (let round = 0; round < o.rounds; round++) {
            const order = [...tools.slice(round % 3), ...tools.slice(0, round % 3)];
            o.log(` round ${round + 1}/${o.rounds}: ${order.join(", ")}`);
            for (const mode of o.modes) for (const tool of order) await runners[tool](mode);
        }

        if (o.phases) phases.set(n, await phaseTables(pulumi, state, o.log));
    }
    return { samples, phases, notes };
}

/** One first up, second up and preview with the engine's log: where their time goes. */
async function phaseTables(pulumi: PulumiBench, state: SandboxState, log: (l: string) => void): Promise<string> {
    const flags = ["--logtostderr", "--logflow", "-v=9"];
    const parts: string[] = [];
    for (const [title, action] of [["first `pulumi up`", "up"], ["second `pulumi up` (nothing to change)", "up"], ["`pulumi preview` (nothing to change)", "preview"]] as const) {
        const l = load();
        const r = await pulumi.run(action, flags);
        must(r.code === 0, `${title} with engine log`, r.out);
        log(`  phases: ${title} ${(r.ms / 1000).toFixed(1)} s (load ${l.toFixed(1)})`);
        parts.push(`#### ${title}: ${(r.ms / 1000).toFixed(1)} s, load average ${l.toFixed(1)}\n\n${phasesTable(phasesOf(r.out), r.ms)}`);
    }
    must((await pulumi.run("destroy")).code === 0, "destroy after the phase runs", "");
    await resetAll(state);
    return parts.join("\n\n");
}

export function writeResult(file: string, text: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
}
