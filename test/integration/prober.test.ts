/**
 * The availability prober (test/sandbox/prober.ts) the cluster rollout tests use: its pure
 * report, then on the real test hosts — real influxd restarted and stopped through the
 * systemctl shim, the meta stand-in switched to HTTPS — it sees exactly the nodes that went
 * down, for how long, how many at once, and follows a node across protocols.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { findHost, loadSandbox, onHost, resetHost, sandboxUp, systemctl, waitForInfluxd, type SandboxState } from "../sandbox";
import { formatProbeReport, probeReport, probeTargets, startProber, type ProbeTarget } from "../sandbox/prober";
import { writeMetaHttps } from "./helpers/metaconf";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("prober: report from samples", () => {
    const t = (name: string, role: "meta" | "data"): ProbeTarget => ({ name, role, address: "127.0.0.1", port: 1 });
    it("turns samples into down intervals, totals and the worst instant per role", () => {
        const s = (...ups: number[]) => ups.map((u, i) => ({ at: i * 50, up: u === 1 }));
        const r = probeReport(
            [t("d1", "data"), t("d2", "data"), t("m1", "meta")],
            [s(1, 0, 0, 1, 1, 1), s(1, 1, 0, 0, 1, 1), s(1, 1, 1, 1, 0, 0)],
            ["http", "https", undefined],
            300,
            50,
        );
        assert.deepEqual(r.nodes.map((n) => [n.name, n.downIntervals, n.downMs]), [
            ["d1", [{ from: 50, to: 150 }], 100],
            ["d2", [{ from: 100, to: 200 }], 100],
            ["m1", [{ from: 200, to: 300 }], 100], // never came back: down until the stop
        ]);
        assert.deepEqual(r.maxDown, { meta: 1, data: 2 });
        assert.deepEqual(r.worst.data, { at: 100, nodes: ["d1", "d2"] });
        // Back-to-back (one up exactly when the other goes down) is not overlap.
        const seq = probeReport([t("a", "data"), t("b", "data")], [s(0, 1, 1), s(1, 0, 1)], ["http", "http"], 150, 50);
        assert.equal(seq.maxDown.data, 1);
        assert.match(formatProbeReport(r), /most down at once: meta 1 \(m1 at 200 ms\), data 2 \(d1, d2 at 100 ms\)/);
    });
});

describe("prober on the test hosts", { timeout: 120_000 }, () => {
    let state: SandboxState;
    before(async () => {
        await sandboxUp();
        state = loadSandbox();
    });
    after(async () => {
        for (const n of ["data1", "data2", "meta1"]) await resetHost(n, state);
    });

    const targets = () => probeTargets(state).filter((x) => ["data1", "data2", "meta1"].includes(x.name));

    it("a restart of one data node: that node down once, nobody else, one at a time", async (t) => {
        const p = startProber(targets());
        await sleep(300);
        await systemctl("data1", "restart", "influxdb", { state });
        await waitForInfluxd(findHost(state, "data1"));
        await sleep(300);
        const r = await p.stop();
        t.diagnostic(formatProbeReport(r));
        const byName = Object.fromEntries(r.nodes.map((n) => [n.name, n]));
        assert.equal(byName.data1!.downIntervals.length, 1, formatProbeReport(r));
        assert.ok(byName.data1!.downMs > 0);
        assert.equal(byName.data2!.downMs, 0, formatProbeReport(r));
        assert.equal(byName.meta1!.downMs, 0, formatProbeReport(r));
        assert.deepEqual(r.maxDown, { meta: 0, data: 1 });
        // About every 50 ms (the 2-core machine is shared: allow slack, but not an idle prober).
        assert.ok(byName.data2!.probes >= (r.durationMs / 50) * 0.5, formatProbeReport(r));
    });

    it("two data nodes stopped together: both down at the same instant", async () => {
        const p = startProber(targets());
        await sleep(200);
        await Promise.all(["data1", "data2"].map((n) => systemctl(n, "stop", "influxdb", { state })));
        await sleep(300);
        await Promise.all(["data1", "data2"].map((n) => systemctl(n, "start", "influxdb", { state })));
        await Promise.all(["data1", "data2"].map((n) => waitForInfluxd(findHost(state, n))));
        await sleep(200);
        const r = await p.stop();
        assert.equal(r.maxDown.data, 2, formatProbeReport(r));
        assert.deepEqual(r.worst.data.nodes, ["data1", "data2"]);
    });

    it("follows a meta node from HTTP to HTTPS: down once while it restarts, then up on https", async (t) => {
        const meta1 = findHost(state, "meta1");
        const r0 = await onHost("meta1", ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
            "-subj", "/CN=meta1", "-addext", "subjectAltName=DNS:meta1", "-keyout", "/etc/ssl/prober.key", "-out", "/etc/ssl/prober.crt"], { state, allowFailure: true });
        assert.equal(r0.code, 0, r0.stderr);
        await onHost("meta1", ["chown", "influxdb:influxdb", "/etc/ssl/prober.key"], { state });
        writeMetaHttps(meta1, "/etc/ssl/prober.crt", "/etc/ssl/prober.key");
        const p = startProber(targets());
        await sleep(200);
        await systemctl("meta1", "restart", "influxdb-meta", { state });
        for (let i = 0; i < 50 && !(await httpsUp(meta1.address)); i++) await sleep(100);
        await sleep(200);
        const r = await p.stop();
        t.diagnostic(formatProbeReport(r));
        const m = r.nodes.find((n) => n.name === "meta1")!;
        assert.equal(m.downIntervals.length, 1, formatProbeReport(r));
        assert.equal(m.lastProtocol, "https", formatProbeReport(r));
        assert.deepEqual(r.maxDown, { meta: 1, data: 0 });
    });
});

async function httpsUp(address: string): Promise<boolean> {
    const p = startProber([{ name: "x", role: "meta", address, port: 8091 }], { intervalMs: 10 });
    await sleep(20);
    const r = await p.stop();
    return r.nodes[0]!.lastProtocol === "https";
}
