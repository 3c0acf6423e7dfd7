/**
 * DataNodeTls `subscriber` on the real data1 (influxd 1.6.7): the `[subscriber]` keys an HTTPS
 * Kapacitor needs are written in the node's transaction, influxd restarts with them and serves
 * HTTPS, and `influxd config` (the effective config, parsed by influxd itself) shows it
 * understood them; destroy puts the config back byte for byte. Kapacitor itself does not run
 * here (no build of it is available): its side is tested on its real default file
 * (test/unit/influx/kapacitor.test.ts) and under mocks.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { after, before, describe, it } from "node:test";
import { DataNodeTls } from "../../../provider";
import { runProgram } from "../../harness";
import { findHost, onHost, resetHost, type HostState, type SandboxState } from "../../sandbox";
import { makeFaultCerts, type FaultCerts } from "../../faults/certs";
import { baselineInfluxConf, componentConnection, influxConfPath, influxHttpsTrusting, plainPing, sandbox } from "../helpers/hosts";

const CA = "/etc/ssl/influxdb-ca.pem";

/** The `[subscriber]` section of influxd's effective config, as influxd prints it. */
async function effectiveSubscriber(host: HostState): Promise<Record<string, string>> {
    const out = (await onHost(host.name, ["influxd", "config", "-config", "/etc/influxdb/influxdb.conf"])).stdout;
    const section = out.split(/^\[/m).find((s) => s.startsWith("subscriber]"));
    assert.ok(section, `influxd config printed no [subscriber]:\n${out.slice(0, 2000)}`);
    return Object.fromEntries(section.split("\n").slice(1).map((l) => /^\s*([\w-]+) = (.*)$/.exec(l)).filter((m) => m !== null).map((m) => [m![1], m![2]]));
}

describe("DataNodeTls subscriber on data1: [subscriber] ca-certs for an HTTPS Kapacitor", { timeout: 180_000 }, () => {
    let state: SandboxState;
    let host: HostState;
    let certs: FaultCerts;
    let caOnMachine: string;

    before(async () => {
        state = await sandbox();
        host = findHost(state, "data1");
        certs = makeFaultCerts(host.address, "data1");
        await resetHost("data1");
        caOnMachine = `/tmp/pitls-subscriber-ca-${process.pid}.pem`;
        fs.writeFileSync(caOnMachine, certs.caPem);
    });
    after(async () => {
        fs.rmSync(caOnMachine, { force: true });
        await resetHost("data1");
    });

    it("influxd starts with the keys, serves HTTPS, and its effective config has them; destroy restores the file", async () => {
        assert.deepEqual(await effectiveSubscriber(host).then((s) => [s["ca-certs"], s["insecure-skip-verify"]]), ['""', "false"], "precondition: defaults");
        const t = Date.now();
        const d = await runProgram(() => {
            new DataNodeTls("data1", {
                connection: componentConnection(state, "data1"),
                hostname: host.address,
                certificate: { provided: { ...certs.a, caCertificatePem: certs.caPem } },
                // Kapacitor's certificate from the same CA: the node's own CA file is the one to trust.
                subscriber: { caCertificatePath: CA },
                verifyTimeoutSeconds: 15,
            });
        });
        assert.equal(await influxHttpsTrusting(host, caOnMachine), 0, "influxd restarted with [subscriber] keys and serves HTTPS");
        const sub = await effectiveSubscriber(host);
        assert.equal(sub["ca-certs"], JSON.stringify(CA));
        assert.equal(sub["insecure-skip-verify"], "false");
        const conf = fs.readFileSync(influxConfPath(host), "utf8");
        assert.match(conf, /^\[subscriber\][\s\S]*?^ {2}ca-certs = "\/etc\/ssl\/influxdb-ca\.pem"$/m, "uncommented in place under [subscriber]");
        await d.destroy();
        assert.ok(fs.readFileSync(influxConfPath(host)).equals(baselineInfluxConf(host)), "config byte-identical to the original");
        assert.equal(await plainPing(host), 204);
        console.log(`subscriber up + destroy on data1: ${Date.now() - t} ms`);
    });
});
