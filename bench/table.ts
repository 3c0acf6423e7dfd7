/** Samples → the result table (median, min, max, load, SSH connections per node, ratios). */
export type Tool = "package" | "ansible" | "floor";

export interface Sample {
    dataNodes: number;
    mode: "parallel" | "rolling";
    tool: Tool;
    /** e.g. "first run", "second run", "preview", "destroy". */
    figure: string;
    ms: number;
    /** 1-minute load average when the run started. */
    load: number;
    /** Most SSH logins any one host got during the run. */
    sshPerNode: number;
}

const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export interface Row {
    label: string;
    tool: Tool;
    figure: string;
    /** Figure of the same tool-independent step to compare against ("first run" vs "first run"). */
    compare?: string;
}

export const ROWS: Row[] = [
    { label: "first rollout — this package (`pulumi up`)", tool: "package", figure: "first run", compare: "first run" },
    { label: "first rollout — Ansible", tool: "ansible", figure: "first run", compare: "first run" },
    { label: "first rollout — floor (1 SSH/node, shell)", tool: "floor", figure: "first run", compare: "first run" },
    { label: "nothing to change — this package (`pulumi up`)", tool: "package", figure: "second run", compare: "second run" },
    { label: "nothing to change — this package (`pulumi up --skip-preview`)", tool: "package", figure: "second run, --skip-preview", compare: "second run" },
    { label: "nothing to change — Ansible", tool: "ansible", figure: "second run", compare: "second run" },
    { label: "`pulumi preview`, nothing to change", tool: "package", figure: "preview" },
    { label: "`pulumi destroy` (back to HTTP)", tool: "package", figure: "destroy" },
];

export function medianOf(samples: Sample[], n: number, mode: string, tool: Tool, figure: string): number | undefined {
    const xs = samples.filter((s) => s.dataNodes === n && s.mode === mode && s.tool === tool && s.figure === figure).map((s) => s.ms);
    return xs.length ? median(xs) : undefined;
}

export function resultTable(samples: Sample[], n: number, mode: "parallel" | "rolling", notes: Partial<Record<Tool, string>> = {}): string {
    const out = [
        "| run | median | min | max | n | load avg (1 min) | SSH conns/node (max) | × Ansible | × floor |",
        "|---|---|---|---|---|---|---|---|---|",
    ];
    for (const row of ROWS) {
        const xs = samples.filter((s) => s.dataNodes === n && s.mode === mode && s.tool === row.tool && s.figure === row.figure);
        if (xs.length === 0) {
            if (notes[row.tool]) out.push(`| ${row.label} | ${notes[row.tool]} | | | | | | | |`);
            continue;
        }
        const ms = xs.map((s) => s.ms);
        const m = median(ms);
        const loads = xs.map((s) => s.load);
        const ansible = row.compare && row.tool !== "ansible" ? medianOf(samples, n, mode, "ansible", row.compare) : undefined;
        const floor = row.compare === "first run" && row.tool !== "floor" ? medianOf(samples, n, mode, "floor", "first run") : undefined;
        out.push(`| ${row.label} | ${sec(m)} | ${sec(Math.min(...ms))} | ${sec(Math.max(...ms))} | ${xs.length} | ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} | ${Math.max(...xs.map((s) => s.sshPerNode))} | ${ansible ? `${(m / ansible).toFixed(2)}×` : ""} | ${floor ? `${(m / floor).toFixed(2)}×` : ""} |`);
    }
    return out.join("\n");
}

/** Every sample, in the order run (the raw figures behind the table). */
export function rawTable(samples: Sample[]): string {
    return ["| N | mode | tool | run | time | load | SSH/node |", "|---|---|---|---|---|---|---|",
        ...samples.map((s) => `| ${s.dataNodes} | ${s.mode} | ${s.tool} | ${s.figure} | ${sec(s.ms)} | ${s.load.toFixed(1)} | ${s.sshPerNode} |`)].join("\n");
}
