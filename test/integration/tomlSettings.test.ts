/**
 * TomlSettings against real hosts: real sshd, real influxd 1.6.7, real influx client. The
 * provider is driven the way the engine drives it (check → diff → create → read → update →
 * delete, plain JSON in and out); SSH connections are counted per operation.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { after, before, describe, it } from "node:test";
import { TomlSettingsProvider } from "../../provider/providers/tomlSettings/provider";
import { editsToSettings } from "../../provider/providers/tomlSettings/settings";
import type { TomlSettingsInputs, TomlSettingsOutputs } from "../../provider/providers/tomlSettings/types";
import { resetSshStats, sshStats, withSession } from "../../provider/ssh";
import { findHost, resetHost, type HostState, type SandboxState } from "../sandbox";
import {
    baselineInfluxConf, connectionTo, dataNodeService, influxConfPath, influxdPid, influxHttp, influxHttps,
    makeCertOnHost, plainPing, sandbox,
} from "./helpers/hosts";

const provider = new TomlSettingsProvider();
const measured: Record<string, number> = {};

/** Runs one provider operation and records how many SSH connections it opened. */
async function counted<T>(name: string, fn: () => Promise<T>): Promise<T> {
    resetSshStats();
    const started = Date.now();
    try {
        return await fn();
    } finally {
        measured[name] = sshStats.connections;
        console.log(`ssh connections for ${name}: ${sshStats.connections} (${Date.now() - started} ms)`);
    }
}

function inputsFor(state: SandboxState, host: HostState, certPaths: { cert: string; key: string }, extra: Record<string, unknown> = {}): TomlSettingsInputs {
    return {
        schemaVersion: 1,
        connection: connectionTo(state, host.name),
        target: `root@${host.address}:22`,
        path: "/etc/influxdb/influxdb.conf",
        settings: editsToSettings([
            { table: "http", set: { "https-enabled": true, "https-certificate": certPaths.cert, "https-private-key": certPaths.key, ...extra } },
        ]),
        service: dataNodeService(host),
    };
}

describe("TomlSettings on a real data node (sshd + influxd 1.6.7)", { timeout: 300_000 }, () => {
    let state: SandboxState;
    let data1: HostState;
    let cert: { cert: string; key: string };
    let outs: TomlSettingsOutputs;

    before(async () => {
        state = await sandbox();
        data1 = findHost(state, "data1");
        await resetHost("data1");
        cert = await makeCertOnHost(data1);
    });
    after(async () => {
        await resetHost("data1");
    });

    it("check and diff open no SSH connection", async () => {
        const inputs = inputsFor(state, data1, cert);
        const checked = await counted("check", () => provider.check({} as TomlSettingsInputs, inputs));
        assert.deepEqual(checked.failures, []);
        await counted("diff", () => provider.diff("x", { ...inputs } as TomlSettingsOutputs, inputs));
        assert.equal(measured.check, 0);
        assert.equal(measured.diff, 0);
    });

    it("create enables HTTPS: influx -ssl works, plain HTTP gets 400", async () => {
        assert.equal(await plainPing(data1), 204, "precondition: HTTP before create");
        const inputs = inputsFor(state, data1, cert);
        const created = await counted("create", () => provider.create(inputs));
        outs = created.outs!;
        assert.equal(measured.create, 1);
        assert.equal(outs.written, true);
        assert.equal(outs.restarted, true);
        assert.equal(await influxHttps(data1), 0);
        assert.equal(await plainPing(data1), 400);
        const conf = fs.readFileSync(influxConfPath(data1), "utf8");
        assert.match(conf, /\n\s*https-enabled = true\n/);
        assert.ok(!JSON.stringify(outs.undo).includes("PRIVATE KEY"));
    });

    it("a second identical apply writes nothing and restarts nothing", async () => {
        const pid = influxdPid(data1);
        const before = fs.statSync(influxConfPath(data1));
        const again = await counted("create (again)", () => provider.create(inputsFor(state, data1, cert)));
        assert.equal(again.outs!.written, false);
        assert.equal(again.outs!.restarted, false);
        assert.equal(influxdPid(data1), pid, "influxd was not restarted");
        assert.equal(fs.statSync(influxConfPath(data1)).mtimeMs, before.mtimeMs, "file not rewritten");
    });

    it("update changes a key; keys dropped from the set return to their prior state", async () => {
        const news = inputsFor(state, data1, cert, { "max-connection-limit": 50 });
        const d = await provider.diff("id", outs, news);
        assert.equal(d.changes, true);
        assert.deepEqual(d.replaces, []);
        const updated = await counted("update", () => provider.update!("id", outs, news));
        outs = updated.outs!;
        assert.equal(measured.update, 1);
        assert.match(fs.readFileSync(influxConfPath(data1), "utf8"), /max-connection-limit = 50/);
        assert.equal(await influxHttps(data1), 0);

        const back = await provider.update!("id", outs, inputsFor(state, data1, cert));
        outs = back.outs!;
        const conf = fs.readFileSync(influxConfPath(data1), "utf8");
        assert.ok(!/^\s*max-connection-limit = 50/m.test(conf));
        assert.match(conf, /# max-connection-limit = 0/, "the commented default is back");
    });

    it("restart triggers restart the service without a file change", async () => {
        const pid = influxdPid(data1);
        const news = { ...inputsFor(state, data1, cert), restartTriggers: { certificate: "sha-2" } };
        const r = await provider.update!("id", outs, news);
        assert.equal(r.outs!.written, false);
        assert.equal(r.outs!.restarted, true);
        assert.notEqual(influxdPid(data1), pid);
        outs = r.outs!;
    });

    it("refresh (read) sees a manual edit made over SSH", async () => {
        await withSession(connectionTo(state, "data1"), async (s) => {
            const file = await s.readFile("/etc/influxdb/influxdb.conf");
            const edited = file.content.toString("utf8").replace(/^(\s*)https-enabled = true$/m, "$1https-enabled = false");
            await s.writeFileAtomic("/etc/influxdb/influxdb.conf", edited, { expectedSha256: file.sha256 });
        });
        const read = await counted("read", () => provider.read!("id", outs));
        assert.equal(measured.read, 1);
        assert.equal(read.props!.settings.http["https-enabled"], false);
        assert.equal(read.props!.settings.http["https-certificate"], cert.cert);
        const d = await provider.diff("id", read.props!, inputsFor(state, data1, cert));
        assert.equal(d.changes, true, "the drift shows up as a change to apply");
        // put it back through the provider (update from the refreshed state)
        outs = (await provider.update!("id", read.props!, inputsFor(state, data1, cert))).outs!;
        assert.equal(await influxHttps(data1), 0);
    });

    it("delete restores the config byte for byte and HTTP answers again", async () => {
        await counted("delete", () => provider.delete!("id", outs));
        assert.equal(measured.delete, 1);
        assert.ok(fs.readFileSync(influxConfPath(data1)).equals(baselineInfluxConf(data1)), "byte-identical to the original");
        assert.equal(await plainPing(data1), 204);
        assert.equal(await influxHttp(data1), 0);
    });

    it("a certificate path that does not exist fails create: file unchanged, influxd still on HTTP", async () => {
        const before = fs.readFileSync(influxConfPath(data1));
        const inputs = inputsFor(state, data1, { cert: "/etc/ssl/missing.crt", key: "/etc/ssl/missing.key" });
        inputs.service = { ...inputs.service!, verifyTimeoutSeconds: 8 };
        await assert.rejects(provider.create(inputs), (e: Error) => {
            assert.ok(e.message.startsWith(`TomlSettings create of /etc/influxdb/influxdb.conf on root@${data1.address}:22: `), e.message);
            assert.match(e.message, /verification/);
            assert.match(e.message, /Rolled back/);
            return true;
        });
        assert.ok(fs.readFileSync(influxConfPath(data1)).equals(before), "file unchanged");
        assert.equal(await plainPing(data1), 204, "influxd serves HTTP again");
    });

    it("a wrong pinned host key is refused before anything is read", async () => {
        const data2 = findHost(state, "data2");
        const inputs = { ...inputsFor(state, data1, cert), connection: connectionTo(state, "data1", { hostKey: data2.hostKey }) };
        resetSshStats();
        await assert.rejects(provider.create(inputs), /host key mismatch/i);
        assert.equal(sshStats.commands, 0, "no command ran");
        assert.ok(fs.readFileSync(influxConfPath(data1)).equals(baselineInfluxConf(data1)));
    });

    it("malformed TOML on the host is refused with line and column, the file untouched", async () => {
        const broken = Buffer.concat([baselineInfluxConf(data1), Buffer.from("\n[http\n")]);
        fs.writeFileSync(influxConfPath(data1), broken);
        try {
            await assert.rejects(provider.create(inputsFor(state, data1, cert)), (e: Error) => {
                assert.match(e.message, /line \d+/);
                assert.match(e.message, /column \d+/);
                assert.ok(e.message.includes(`influxdb.conf on root@${data1.address}:22`), e.message);
                return true;
            });
            assert.ok(fs.readFileSync(influxConfPath(data1)).equals(broken), "file untouched");
        } finally {
            fs.writeFileSync(influxConfPath(data1), baselineInfluxConf(data1));
        }
    });

    it("works as a non-root user through sudo, with one connection per operation", async () => {
        const inputs = { ...inputsFor(state, data1, cert), connection: connectionTo(state, "data1", { sudoUser: true }) };
        const created = await counted("create (sudo)", () => provider.create(inputs));
        assert.equal(measured["create (sudo)"], 1);
        assert.equal(await influxHttps(data1), 0);
        await counted("delete (sudo)", () => provider.delete!("id", created.outs!));
        assert.ok(fs.readFileSync(influxConfPath(data1)).equals(baselineInfluxConf(data1)));
        assert.equal(await plainPing(data1), 204);
    });

    after(() => {
        console.log(`SSH connections per operation: ${JSON.stringify(measured)}`);
    });
});
