/**
 * The fault-injection matrix (issue 7 §1) on the real test hosts: every scenario of
 * scenarios.ts × every operation it applies to, each injected for real on data1 (sshd killed
 * by PID, a cutting TCP proxy, tmpfs and read-only mounts in the host's namespace, wrappers
 * that stop the restart/verify at the chosen step, file edits, a blackholed address…), the
 * providers driven through the mock-driven harness. Prints the matrix; a failed cell fails
 * its scenario's test. PITLS_FAULTS=1,7a,… runs only those scenarios; PITLS_FAULTS_HOST=data2
 * runs them on data2 (a second matrix process can then run beside the first).
 * Part of `npm test` (test/all.sh); `npm run test:faults` runs it alone. The table is printed
 * at the end (and copied into the README's Fault matrix section).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { resetHost } from "../sandbox";
import { sandbox } from "../integration/helpers/hosts";
import { runCell, type CellResult } from "./cell";
import { makeFaultCerts } from "./certs";
import { SCENARIOS } from "./scenarios";
import { renderProblems, renderTable, type Row } from "./table";
import { CONFIG, OPS, World } from "./world";

const only = (process.env.PITLS_FAULTS ?? "").split(",").filter((s) => s !== "");
const scenarios = SCENARIOS.filter((s) => only.length === 0 || only.includes(s.id));
const rows: Row[] = [];
const HOST = process.env.PITLS_FAULTS_HOST || "data1";
// Scenarios share one host and the harness (one program run per process at a time): each
// waits for the one before, whatever concurrency the runner picks.
let previous: Promise<void> = Promise.resolve();

describe(`fault matrix on ${HOST} (real sshd, influxd 1.6.7, real providers)`, { timeout: 2_400_000, concurrency: 1 }, () => {
    let w: World;
    const started = Date.now();

    before(async () => {
        const state = await sandbox();
        const node = state.hosts.find((h) => h.name === HOST)!;
        // The proxy listens on an address of this sandbox's own /24 that no host uses.
        const proxyAddress = node.address.replace(/\.\d+$/, HOST === "data1" ? ".200" : ".201");
        w = new World(state, makeFaultCerts(node.address, HOST), proxyAddress, HOST);
        await resetHost(HOST, state);
        w.wrappers.install();
        await w.proxy.start();
    });

    after(async () => {
        console.log(`\nFault matrix (${Math.round((Date.now() - started) / 1000)} s):\n${renderTable(rows, OPS)}\n`);
        const problems = renderProblems(rows);
        if (problems) console.log(`Failed cells:\n${problems}\n`);
        if (w) {
            await w.proxy.stop();
            w.wrappers.uninstall();
            await resetHost(HOST, w.state);
        }
    });

    for (const s of scenarios) {
        it(`${s.id}: ${s.title}`, async () => {
            const before = previous;
            let done!: () => void;
            previous = new Promise<void>((r) => (done = r));
            await before;
            try {
                await scenario();
            } finally {
                done();
            }
        });
        const scenario = async () => {
            const row: Row = { id: s.id, title: s.title, cells: {} };
            rows.push(row);
            w.via = s.via ?? "direct";
            w.quickVerify = s.quickVerify === true;
            w.connectTimeout = s.connectTimeout ?? 10;
            let last: CellResult | undefined;
            for (const op of OPS) {
                const spec = s.cells[op];
                if (!spec) continue;
                const r = await runCell(w, op, spec);
                row.cells[op] = { problems: r.problems, ms: r.ms };
                last = r;
                console.log(`  ${s.id} ${op}: ${r.problems.length === 0 ? "ok" : r.problems.join("; ")} (${r.phases ?? `${r.ms} ms`})` +
                    (r.error ? `\n    error: ${r.error.split("\n").slice(0, 4).join("\n           ")}` : ""));
                if (r.problems.length > 0) await w.hardReset();
            }
            // The end of every chain: destroy restores every file byte for byte.
            const end: string[] = [];
            try {
                if (w.current) await w.run("delete", w.current);
                const conf = await w.read(CONFIG);
                if (!conf || !conf.equals(w.baselineConfig())) end.push("final destroy: config not byte-identical to the original");
                const snap = await w.snapshot();
                for (const [f, b] of Object.entries(snap)) if (f !== CONFIG && b !== undefined) end.push(`final destroy: ${f} left behind`);
            } catch (e) {
                end.push(`final destroy failed: ${(e as Error).message.split("\n")[0]}`);
            }
            if (end.length > 0 && last) last.problems.push(...end);
            if (end.length > 0 || w.thirdParty) await w.hardReset();
            const failed = Object.entries(row.cells).filter(([, c]) => c!.problems.length > 0).map(([op, c]) => `${op}: ${c!.problems.join("; ")}`);
            assert.deepEqual(failed, [], `scenario ${s.id} (${s.title})`);
        };
    }
});
