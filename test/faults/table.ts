/** The matrix as text: scenario × operation → `ok`, `n/a`, or the first problem. */
import type { Op } from "./world";

export interface Row {
    readonly id: string;
    readonly title: string;
    readonly cells: Partial<Record<Op, { problems: string[]; ms: number }>>;
}

export function renderTable(rows: readonly Row[], ops: readonly Op[]): string {
    const cell = (c: { problems: string[]; ms: number } | undefined) =>
        !c ? "n/a" : c.problems.length === 0 ? "ok" : `FAIL: ${c.problems[0].replace(/\|/g, "/").slice(0, 70)}`;
    const lines = [
        `| # | scenario | ${ops.join(" | ")} |`,
        `|---|---|${ops.map(() => "---").join("|")}|`,
        ...rows.map((r) => `| ${r.id} | ${r.title} | ${ops.map((o) => cell(r.cells[o])).join(" | ")} |`),
    ];
    return lines.join("\n");
}

export function renderProblems(rows: readonly Row[]): string {
    const out: string[] = [];
    for (const r of rows) {
        for (const [op, c] of Object.entries(r.cells)) {
            if (c && c.problems.length > 0) out.push(`${r.id} ${op} (${c.ms} ms):\n${c.problems.map((p) => `    - ${p}`).join("\n")}`);
        }
    }
    return out.join("\n");
}
