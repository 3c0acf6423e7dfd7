/**
 * The cluster-health gate on a real data node (issue 10 §2, TomlSettings `service.healthGate`):
 * the TomlSettings provider over real SSH on the sandbox's data1 (real influxd 1.6.7). The gate
 * command is `cat` of a file on the host holding `influxd-ctl show` output in the documented
 * format (the stand-in cluster of test/sandbox prints the same; a file lets each test choose
 * which node is `unknown` and when). A failed gate rolls the apply back like a failed verify;
 * `protocolUnchanged` skips it on a protocol switch; delete never runs it.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { afterEach, before, describe, it } from "node:test";
import { TomlSettingsProvider } from "../../provider/providers/tomlSettings/provider";
import { editsToSettings } from "../../provider/providers/tomlSettings/settings";
import type { HealthGateSpec, TomlSettingsInputs, TomlSettingsOutputs } from "../../provider/providers/tomlSettings/types";
import { findHost, onHost, resetHost, type HostState, type SandboxState } from "../sandbox";
import {
    baselineInfluxConf, connectionTo, dataNodeService, influxConfPath, influxdPid, influxHttps, makeCertOnHost, plainPing, sandbox,
} from "./helpers/hosts";

const provider = new TomlSettingsProvider();
const CONF = "/etc/influxdb/influxdb.conf";
/** Under /etc/ssl: resetHost puts the host's /etc/ssl back, so the file goes with it. */
const SHOW = "/etc/ssl/pitls-test-show.txt";

describe("health gate on a real data node", { timeout: 300_000 }, () => {
    let state: SandboxState;
    let data1: HostState;
    let nodes: { meta: string; data: string[] };
    const conf = () => fs.readFileSync(influxConfPath(data1));

    /** `influxd-ctl show` output listing the meta node and both data nodes; those in `unknown` with Version unknown. */
    function showText(unknown: string[] = []): string {
        const v = (addr: string) => (unknown.includes(addr) ? "unknown" : "1.6.7-c1.6.7");
        const hostOf = (a: string) => a.replace(/:\d+$/, "");
        return [
            "Data Nodes", "==========", "ID\tTCP Address\tHTTP Address\tVersion\tLabels\tPassive",
            ...nodes.data.map((a, i) => `${4 + i}\t${hostOf(a)}:8088\t${a}\t${v(a)}\t{}\tfalse`),
            "", "Meta Nodes", "==========", "ID\tRaft Address\tHTTP Address\tVersion\tLabels",
            `1\t${hostOf(nodes.meta)}:8089\t${nodes.meta}\t${v(nodes.meta)}\t{}`,
            "", "Raft Status", "==========", `Leader\t${hostOf(nodes.meta)}:8089`, "Peers\t[]", "",
        ].join("\n");
    }
    const setShow = (unknown: string[] = []) => onHost("data1", ["sh", "-c", "cat > \"$1\"", "sh", SHOW], { input: showText(unknown) });

    function gate(over: Partial<HealthGateSpec> = {}): HealthGateSpec {
        return { command: ["cat", SHOW], expectNodes: [nodes.meta, ...nodes.data], when: "always", timeoutSeconds: 4, ...over };
    }

    function inputs(cert: { cert: string; key: string }, healthGate: HealthGateSpec): TomlSettingsInputs {
        return {
            schemaVersion: 1,
            connection: connectionTo(state, "data1"),
            target: `root@${data1.address}:22`,
            path: CONF,
            settings: editsToSettings([{ table: "http", set: { "https-enabled": true, "https-certificate": cert.cert, "https-private-key": cert.key } }]),
            service: { ...dataNodeService(data1), verifyTimeoutSeconds: 10, status: ["systemctl", "is-active", "influxdb"], healthGate },
        };
    }

    async function failure(p: Promise<unknown>): Promise<Error & { id?: string }> {
        try {
            await p;
        } catch (e) {
            return e as Error & { id?: string };
        }
        assert.fail("expected the apply to fail");
    }

    before(async () => {
        state = await sandbox();
        data1 = findHost(state, "data1");
        nodes = { meta: `${findHost(state, "meta1").address}:8091`, data: [`${data1.address}:8086`, `${findHost(state, "data2").address}:8086`] };
        await resetHost("data1");
    });
    afterEach(async () => {
        await resetHost("data1");
    });

    it("a gate listing an expected node as unknown fails the create: rolled back with a restart, error names host, gate command and node", async () => {
        const cert = await makeCertOnHost(data1);
        await setShow([nodes.data[1]]);
        const pid = influxdPid(data1);
        const started = Date.now();
        const e = await failure(provider.create(inputs(cert, gate())));
        console.log(`failed gate (timeout 4 s): ${Date.now() - started} ms; the error:\n${e.message}`);
        assert.match(e.message, new RegExp(`health gate \`cat ${SHOW.replace(/\./g, "\\.")}\` on root@${data1.address.replace(/\./g, "\\.")}:22 failed after \\d+ attempts in \\d+ s \\(timeout 4 s\\)`));
        assert.match(e.message, new RegExp(`not reachable: ${nodes.data[1].replace(/\./g, "\\.")} \\(Version unknown\\)`));
        assert.match(e.message, /Rolled back: .* has its previous content again and the service was restarted and verified\./);
        assert.equal(e.id, undefined, "settled: back where it was");
        assert.ok(conf().equals(baselineInfluxConf(data1)), "config byte-identical to before");
        assert.notEqual(influxdPid(data1), pid, "restarted (forward and back)");
        assert.equal(await plainPing(data1), 204, "answering plain HTTP again");
    });

    it("a gate that passes once the node is listed (retried): the create succeeds on the 3rd attempt, healthGateResult \"passed\"", async () => {
        const cert = await makeCertOnHost(data1);
        // A tiny script on the host: data1 is `unknown` for the first two runs, then listed (it "rejoins").
        const healthy = showText();
        const unhealthy = showText([nodes.data[0]]);
        const script = 'n=$(cat "$1.count" 2>/dev/null || echo 0); n=$((n+1)); echo "$n" > "$1.count"; if [ "$n" -ge 3 ]; then printf %s "$2"; else printf %s "$3"; fi';
        const started = Date.now();
        const { id, outs } = await provider.create(inputs(cert, gate({ command: ["sh", "-c", script, "sh", SHOW, healthy, unhealthy], timeoutSeconds: 60 })));
        console.log(`gate passed on the 3rd attempt: create took ${Date.now() - started} ms`);
        assert.equal(outs!.healthGateResult, "passed");
        assert.equal((await onHost("data1", ["cat", `${SHOW}.count`])).stdout.trim(), "3", "passed on the third run, not before");
        assert.equal(await influxHttps(data1), 0);
        await provider.delete(id, outs!);
        assert.ok(conf().equals(baselineInfluxConf(data1)));
    });

    it("protocolUnchanged: skipped on the switch to HTTPS; gates the rotation (failing: rolled back to the old pair, HTTPS kept); never on delete", async () => {
        const a = await makeCertOnHost(data1, "/etc/ssl/influxdb-a");
        const b = await makeCertOnHost(data1, "/etc/ssl/influxdb-b");
        const g = gate({ when: "protocolUnchanged", protocolKeys: [{ table: "http", key: "https-enabled" }] });
        await setShow([nodes.data[1]]);
        const { id, outs: created } = await provider.create(inputs(a, g));
        assert.equal(created!.healthGateResult, "skipped (protocol change)", "the switch is not gated");
        assert.equal(await influxHttps(data1), 0);
        const onA = conf();
        const pid = influxdPid(data1);
        // Rotation to pair B: the protocol stays HTTPS, so the gate runs, and data2 is unknown.
        const e = await failure(provider.update(id, created!, inputs(b, g)));
        assert.match(e.message, /health gate `cat .*` on .* failed after .*not reachable: .*:8086 \(Version unknown\)/);
        assert.match(e.message, /Rolled back: .* restarted and verified\./);
        assert.ok(conf().equals(onA), "config back on pair A");
        assert.notEqual(influxdPid(data1), pid, "restarted (forward and back)");
        assert.equal(await influxHttps(data1), 0, "still on HTTPS");
        // Healthy cluster: the rotation passes the gate.
        await setShow();
        const rotated = (await provider.update(id, created!, inputs(b, g))).outs!;
        assert.equal(rotated.healthGateResult, "passed");
        assert.match(conf().toString("utf8"), /influxdb-b\.crt/);
        // Destroy with the gate failing: delete never runs it.
        await setShow([nodes.data[1], nodes.meta]);
        await provider.delete(id, rotated as TomlSettingsOutputs);
        assert.ok(conf().equals(baselineInfluxConf(data1)));
        assert.equal(await plainPing(data1), 204);
    });
});
