/**
 * TomlSettings operations killed mid-way (the provider process SIGKILLed right after the
 * config landed on the host, before restart and verify), then retried the way the engine
 * does after `pulumi refresh --clear-pending-creates` / a pending update: create again with
 * the same inputs, update again with the old state. Then delete must restore the file byte for
 * byte and remove the undo journal. Real host (sshd, influxd 1.6.7), real process kill.
 * Without the journal, the retried create recorded the killed run's values as the original,
 * and the retried update recorded the key the killed update had added as pre-existing.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import * as operations from "../../provider/providers/tomlSettings/operations";
import { journalPath } from "../../provider/providers/tomlSettings/journal";
import { editsToSettings } from "../../provider/providers/tomlSettings/settings";
import type { TomlSettingsInputs, TomlSettingsOutputs } from "../../provider/providers/tomlSettings/types";
import { findHost, onHost, resetHost, type HostState, type SandboxState } from "../sandbox";
import { baselineInfluxConf, connectionTo, dataNodeService, influxConfPath, influxHttp, influxHttps, makeCertOnHost, sandbox } from "./helpers/hosts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs operations[op](...args) in a child process and SIGKILLs it as soon as `file` differs
 * from its bytes now. Resolves once the child is dead; the change must have happened.
 */
async function killedAfterWrite(op: "create" | "update", args: unknown[], file: string): Promise<void> {
    const before = fs.readFileSync(file);
    const ops = path.join(__dirname, "../../provider/providers/tomlSettings/operations.js");
    const child = spawn(process.execPath, ["-e",
        `let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>require(${JSON.stringify(ops)}).${op}(...JSON.parse(s)).then(()=>process.exit(0),(e)=>{console.error(e.message);process.exit(1)}))`],
    { stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdin.end(JSON.stringify(args));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    const started = Date.now();
    while (fs.readFileSync(file).equals(before)) {
        if (child.exitCode !== null || Date.now() - started > 30_000) {
            throw new Error(`${op} ended (exit ${child.exitCode}) before the file changed: ${stderr}`);
        }
        await sleep(2);
    }
    child.kill("SIGKILL");
    assert.equal(await exited, null, `${op} was killed (not finished) after the write`);
}

describe("TomlSettings create/update killed after the write, then retried, then deleted", { timeout: 180_000 }, () => {
    let state: SandboxState;
    let data1: HostState;
    let inputs: TomlSettingsInputs;

    before(async () => {
        state = await sandbox();
        data1 = findHost(state, "data1");
        await resetHost("data1");
        const cert = await makeCertOnHost(data1);
        inputs = {
            schemaVersion: 1,
            connection: connectionTo(state, "data1"),
            target: `root@${data1.address}:22`,
            path: "/etc/influxdb/influxdb.conf",
            settings: editsToSettings([{ table: "http", set: { "https-enabled": true, "https-certificate": cert.cert, "https-private-key": cert.key } }]),
            service: { ...dataNodeService(data1), verifyTimeoutSeconds: 10 },
        };
    });

    it("a killed create, created again: records the true original (destroy goes back to HTTP)", async () => {
        await killedAfterWrite("create", [inputs], influxConfPath(data1));
        const { outs } = await operations.create(inputs);
        assert.equal(outs.restarted, true, "the killed run may not have restarted the service: restarted to be sure");
        assert.equal(await influxHttps(data1), 0);
        assert.ok(outs.undo.keys.every((k) => k.prior !== "active"), `every key's prior state is the baseline's (commented/absent): ${JSON.stringify(outs.undo.keys.map((k) => [k.key, k.prior]))}`);
        await operations.remove(outs);
        assert.ok(fs.readFileSync(influxConfPath(data1)).equals(baselineInfluxConf(data1)), "baseline byte for byte");
        assert.equal(await influxHttp(data1), 0);
        assert.equal((await onHost("data1", ["test", "-e", journalPath(inputs.path)], { allowFailure: true })).code, 1, "journal removed");
    });

    it("a killed update that adds a key, updated again from the old state: delete removes that key too", async () => {
        const { outs } = await operations.create(inputs);
        const news: TomlSettingsInputs = {
            ...inputs,
            settings: { http: { ...inputs.settings.http, "max-connection-limit": 77 } },
        };
        await killedAfterWrite("update", ["id", outs, news], influxConfPath(data1));
        assert.match(fs.readFileSync(influxConfPath(data1), "utf8"), /max-connection-limit = 77/);
        const updated: TomlSettingsOutputs = await operations.update("id", outs, news);
        assert.equal(updated.restarted, true);
        assert.equal(await influxHttps(data1), 0);
        const limit = updated.undo.keys.find((k) => k.key === "max-connection-limit");
        assert.equal(limit?.prior, "commented", "the key's prior state is the baseline's commented default");
        await operations.remove(updated);
        assert.ok(fs.readFileSync(influxConfPath(data1)).equals(baselineInfluxConf(data1)), "baseline byte for byte");
        assert.equal(await influxHttp(data1), 0);
        assert.equal((await onHost("data1", ["test", "-e", journalPath(inputs.path)], { allowFailure: true })).code, 1, "journal removed");
    });
});
