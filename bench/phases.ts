/**
 * Where the time of one Pulumi CLI command goes, read from its engine log
 * (`pulumi … --logtostderr --logflow -v=9`, JSON lines with a timestamp each): per program run
 * (`up` runs the program twice: its preview, then the update) the Node.js start, the program's
 * load (ts-node), the registrations (which wait for the dynamic providers' serialization) and
 * every provider call (check/diff/create/update/delete) with its duration.
 */
export interface ProviderCall {
    op: string;
    resource: string;
    ms: number;
}

export interface ProgramRun {
    /** From the language host's Run to the stack's registration: node + @pulumi/pulumi start. */
    nodeStartMs: number;
    /** From the stack's registration to the first resource of the program: loading (type-checking) the program. */
    programLoadMs: number;
    /** From the program's first resource to its first dynamic resource: component checks + the first provider serialization. */
    firstCustomMs: number;
    /** From the program's first resource to its last registration. */
    registrationsMs: number;
    /** The whole program run (Run executing → success). */
    totalMs: number;
    calls: ProviderCall[];
}

export interface Phases {
    /** First to last log line. */
    engineMs: number;
    runs: ProgramRun[];
}

interface Line {
    t: number;
    msg: string;
}

function parseLines(log: string): Line[] {
    const out: Line[] = [];
    for (const raw of log.split("\n")) {
        const i = raw.indexOf('{"time":"');
        if (i < 0) continue;
        try {
            const j = JSON.parse(raw.slice(i)) as { time: string; msg: string };
            out.push({ t: Date.parse(j.time), msg: j.msg });
        } catch {
            // a line cut by other output: skip
        }
    }
    return out;
}

const CALL = /^Provider\[(0x[0-9a-f]+)\]\.(Check|Diff|Create|Update|Delete|Read)\(([^,)]*)[^)]*\):? (executing|success|failed)/;

export function phasesOf(log: string): Phases {
    const lines = parseLines(log);
    const runs: ProgramRun[] = [];
    let cur: { start: number; stack?: number; first?: number; firstCustom?: number; last?: number; open: Map<string, number>; calls: ProviderCall[] } | undefined;
    for (const { t, msg } of lines) {
        if (msg.startsWith("langhost[nodejs].Run(")) {
            if (msg.endsWith(") executing")) cur = { start: t, open: new Map(), calls: [] };
            else if (cur) {
                runs.push({
                    nodeStartMs: (cur.stack ?? t) - cur.start,
                    programLoadMs: (cur.first ?? t) - (cur.stack ?? t),
                    firstCustomMs: (cur.firstCustom ?? t) - (cur.first ?? t),
                    registrationsMs: (cur.last ?? t) - (cur.first ?? t),
                    totalMs: t - cur.start,
                    calls: cur.calls,
                });
                cur = undefined;
            }
            continue;
        }
        if (!cur) continue;
        if (msg.startsWith("ResourceMonitor.RegisterResource received:")) {
            if (cur.stack === undefined) cur.stack = t;
            else if (cur.first === undefined) cur.first = t;
            if (cur.firstCustom === undefined && msg.includes("custom=true")) cur.firstCustom = t;
            cur.last = t;
            continue;
        }
        const m = CALL.exec(msg);
        if (m) {
            const key = `${m[2]} ${m[3]}`;
            if (m[4] === "executing") cur.open.set(key, t);
            else {
                const s = cur.open.get(key);
                if (s !== undefined) {
                    cur.open.delete(key);
                    cur.calls.push({ op: m[2], resource: m[3].split("::").pop() ?? m[3], ms: t - s });
                }
            }
        }
    }
    return { engineMs: lines.length ? lines[lines.length - 1].t - lines[0].t : 0, runs };
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** A Markdown table: one column per program run. */
export function phasesTable(p: Phases, wallMs: number): string {
    const head = ["phase", ...p.runs.map((_, i) => (p.runs.length === 2 ? ["preview pass", "update pass"][i] : `program run ${i + 1}`))];
    const rows: string[][] = [
        ["Node.js + @pulumi/pulumi start", ...p.runs.map((r) => s(r.nodeStartMs))],
        ["program load (ts-node when TypeScript)", ...p.runs.map((r) => s(r.programLoadMs))],
        ["first component → first dynamic resource (provider serialized)", ...p.runs.map((r) => s(r.firstCustomMs))],
        ["all registrations", ...p.runs.map((r) => s(r.registrationsMs))],
    ];
    for (const op of ["Check", "Diff", "Create", "Update", "Delete", "Read"]) {
        if (!p.runs.some((r) => r.calls.some((c) => c.op === op))) continue;
        rows.push([`provider ${op} (count × median, max)`, ...p.runs.map((r) => {
            const ms = r.calls.filter((c) => c.op === op).map((c) => c.ms).sort((a, b) => a - b);
            return ms.length ? `${ms.length} × ${s(ms[Math.floor(ms.length / 2)])}, ${s(ms[ms.length - 1])}` : "—";
        })]);
    }
    rows.push(["program run total", ...p.runs.map((r) => s(r.totalMs))]);
    const runsMs = p.runs.reduce((a, r) => a + r.totalMs, 0);
    const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)];
    lines.push("", `Command ${s(wallMs)} wall clock: engine log ${s(p.engineMs)} (program runs ${s(runsMs)}, engine outside them ${s(p.engineMs - runsMs)}), CLI start and exit ${s(wallMs - p.engineMs)}.`);
    return lines.join("\n");
}
