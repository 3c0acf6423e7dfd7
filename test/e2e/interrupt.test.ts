/**
 * Fault 18 (issue 7): the Pulumi process interrupted in the middle of an `up` on several
 * nodes, through the real CLI (v3.274.1) on the examples/ca-signed project (its own Pulumi.yaml; the
 * default file installer: each node's certificate, key and CA files are written in its
 * config's TomlSettings transaction, before the config) against the test hosts:
 *
 *   1. `up`, SIGINT to the CLI as soon as meta1's config changed: the CLI cancels
 *      gracefully (in-flight steps finish); no lock, no pending operation, every node either
 *      untouched or applied and answering HTTPS.
 *   2. `up` again, and the CLI with its language host and dynamic-provider hosts SIGKILLed
 *      (what a killed CI runner does) as soon as a data node's config changed — the restart
 *      and verify of that node not done, Telegraf not started.
 *   3. What the README tells users to run: `pulumi cancel` (the stale lock), `pulumi refresh
 *      --clear-pending-creates` (the interrupted creates), `pulumi up`: every node applied
 *      and verified, no pending operation left.
 *   4. `pulumi destroy`: every config byte-identical to the baseline, HTTP back, no file of
 *      ours (certificates, keys, CA copies, undo journals, `.pitls.*` temp files, the
 *      transaction's `*.pitls-prev` backups) on any host.
 *
 * Without the undo journal (providers/tomlSettings/journal.ts) step 4 failed: the re-create
 * in step 3 found the killed run's values in the file and recorded them as the original.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { plainPing } from "../integration/helpers/hosts";
import { hostLayout, onHost } from "../sandbox";
import {
    CliStack, HOSTS, TOTAL, configsNotAtBaseline, influxTls, influxdCtl, isTransient, killTree, leftoversOn, ok, pendingOperations, type RunningCli,
} from "./cliStack";

const TAG = "[fault18]";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("fault 18: `pulumi up` interrupted (SIGINT, then SIGKILL of the CLI and its plugins) on several nodes", { timeout: 420_000 }, () => {
    const s = new CliStack({ prefix: "fault18", tag: TAG });
    let applied = false;

    const live = (host: string, file: string) => path.join(hostLayout(s.host(host).dir).etcInfluxdb, file);
    /** Resolves when one of `files` differs from its bytes now (the write landed on the host). */
    async function untilChanged(run: RunningCli, files: string[], timeoutMs = 150_000): Promise<string> {
        const before = files.map((f) => fs.readFileSync(f));
        const started = Date.now();
        for (;;) {
            const changed = files.find((f, i) => !fs.readFileSync(f).equals(before[i]!));
            if (changed) return changed;
            if (run.child.exitCode !== null || Date.now() - started > timeoutMs) {
                throw new Error(`none of ${files.join(", ")} changed (CLI exit ${run.child.exitCode}):\n${run.output().slice(-4000)}`);
            }
            await sleep(10);
        }
    }
    /**
     * Each node is either untouched (config at the baseline and, since the files move in the
     * config's transaction, none of its certificate, key or CA files written) or applied with
     * HTTPS answering and no temp file or backup of the transaction left — never half.
     */
    async function eachNodeWholeOrUntouched(): Promise<string[]> {
        const notBaseline = configsNotAtBaseline(s.state).map((f) => f.split(":")[0]!);
        for (const h of ["data1", "data2"].filter((n) => notBaseline.includes(n))) {
            assert.equal(await influxTls(s.host(h), s.certDir), 0, `${h}: its config changed, so HTTPS must answer`);
        }
        if (notBaseline.includes("meta1")) assert.equal(await influxdCtl(s.host("meta1"), true), 0, "meta1: HTTPS must answer");
        for (const h of HOSTS) {
            const left = await leftoversOn(h, s.baseline[h]);
            if (notBaseline.includes(h)) assert.deepEqual(left.filter(isTransient), [], `${h}: applied, so no temp file or backup of its transaction left`);
            else assert.deepEqual(left, [], `${h}: config untouched, so none of its files written either`);
        }
        return notBaseline;
    }

    before(async () => {
        await s.init();
    });
    after(async () => {
        await s.cleanup(applied);
    });

    it("SIGINT: the CLI cancels gracefully; no lock, no pending operation, no node half-applied", async () => {
        applied = true;
        const run = s.start("up (SIGINT)", ["up", "--yes", "--skip-preview", ...s.withConfig()]);
        await untilChanged(run, [live("meta1", "influxdb-meta.conf")]);
        process.kill(run.child.pid!, "SIGINT");
        const r = await run.done;
        s.sameSandbox();
        assert.notEqual(r.code, 0, "an interrupted up fails");
        assert.match(r.out, /\^C received; cancelling/);
        assert.match(r.out, /update canceled/);
        assert.deepEqual(pendingOperations(s.stateFile()), [], "in-flight steps finished before the CLI exited");
        assert.deepEqual(lockFiles(s.stateDir), [], "no stale lock");
        const touched = await eachNodeWholeOrUntouched();
        assert.ok(touched.includes("meta1"), "meta1's create was in flight and finished");
        console.log(`${TAG} after SIGINT: configs changed on [${touched.join(", ")}], every one answering HTTPS`);
    });

    it("SIGKILL of the CLI, language host and provider hosts while a data node restarts; cancel, refresh --clear-pending-creates and up recover", async () => {
        const run = s.start("up (SIGKILL)", ["up", "--yes", "--skip-preview", ...s.withConfig()]);
        const changed = await untilChanged(run, [live("data1", "influxdb.conf"), live("data2", "influxdb.conf")]);
        const killed = killTree(run.child.pid!);
        const r = await run.done;
        s.sameSandbox();
        console.log(`${TAG} ${path.basename(path.dirname(path.dirname(changed)))}'s config changed: SIGKILLed ${killed.length} processes (${killed.join(" ")})`);
        assert.ok(killed.length >= 3, "the CLI, the language host and at least one dynamic-provider host were running");
        assert.match(r.out, /killed by SIGKILL/);
        const pending = pendingOperations(s.stateFile());
        console.log(`${TAG} pending operations after SIGKILL: ${pending.join(", ")}`);
        assert.ok(pending.some((p) => /^creating data[12]-config$/.test(p)), `a data node's config create is pending: ${pending.join(", ")}`);
        assert.ok(!fs.readFileSync(s.stateFile(), "utf8").includes("tele1-config\""), "Telegraf's config was not reached");
        // The killed transaction had not finished: the previous config is still kept as its backup.
        const killedNode = path.basename(path.dirname(path.dirname(changed)));
        const transient = (await s.leftovers()).filter(isTransient);
        console.log(`${TAG} temp files and backups after SIGKILL: ${transient.join(", ") || "none"}`);
        assert.ok(transient.some((l) => l.startsWith(`${killedNode}:/etc/influxdb/.influxdb.conf.pitls-prev `)), `${killedNode}: the killed transaction's backup of its config`);

        // The stale lock is reported with the command that removes it.
        const locked = await s.pulumi("up (locked)", ["up", "--yes", ...s.withConfig()]);
        assert.notEqual(locked.code, 0);
        assert.match(locked.out, /the stack is currently locked by 1 lock\(s\)[\s\S]*pulumi cancel/);

        // The README's recovery, verbatim.
        ok(await s.pulumi("cancel", ["cancel", "--yes", ...s.on()]), "pulumi cancel");
        const refresh = await s.pulumi("refresh --clear-pending-creates", ["refresh", "--yes", "--clear-pending-creates", ...s.withConfig()]);
        ok(refresh, "pulumi refresh --clear-pending-creates");
        assert.deepEqual(pendingOperations(s.stateFile()), [], "refresh cleared the pending operations");
        const up = await s.pulumi("up (recovery)", ["up", "--yes", "--skip-preview", ...s.withConfig()]);
        ok(up, "pulumi up after the interruption");
        s.sameSandbox();
        assert.ok(!/pending operations/.test(up.out), "no pending-operation warning");
        assert.deepEqual(pendingOperations(s.stateFile()), []);
        // The killed run's transaction left its backups (hard links to the previous config):
        // the recovery's transaction drops them.
        assert.deepEqual((await s.leftovers()).filter(isTransient), [], "no temp file or backup left after the recovery");

        // Every node applied and verified.
        const outs = JSON.parse((await s.pulumi("stack output", ["stack", "output", "--json", ...s.on()])).out) as Record<string, unknown>;
        assert.equal(outs.verified, true, "every component verified after the recovery up");
        for (const h of ["data1", "data2"]) {
            assert.equal(await influxTls(s.host(h), s.certDir), 0, `${h}: influx -ssl trusting the CA`);
            assert.equal(await plainPing(s.host(h)), 400, `${h}: plain HTTP refused`);
        }
        assert.equal(await influxdCtl(s.host("meta1"), true), 0, "meta1: influxd-ctl -bind-tls");
        assert.equal((await onHost("tele1", ["telegraf", "--config", "/etc/telegraf/telegraf.conf", "--once"], { allowFailure: true })).code, 0,
            "telegraf --once over verified HTTPS");
    });

    it("destroy afterwards: configs byte-identical to the baseline, HTTP back, no file of ours on any host", async () => {
        const r = await s.pulumi("destroy", ["destroy", "--yes", "--skip-preview", ...s.withConfig()]);
        ok(r, "destroy");
        applied = false;
        s.sameSandbox();
        assert.match(r.out, new RegExp(`- ${TOTAL} deleted`));
        assert.deepEqual(configsNotAtBaseline(s.state), [], "every config byte-identical to the sandbox baseline");
        for (const h of ["data1", "data2"]) assert.equal(await plainPing(s.host(h)), 204, `${h}: HTTP /ping`);
        assert.equal(await influxdCtl(s.host("meta1"), false), 0, "meta1: influxd-ctl show over HTTP");
        assert.deepEqual(await s.leftovers(), [], "no certificate, key, CA copy, undo journal, temp file or backup left (or: each back as it was before the first up)");
    });
});

function lockFiles(stateDir: string): string[] {
    const out: string[] = [];
    const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            if (e.isDirectory()) walk(path.join(d, e.name));
            else out.push(path.join(d, e.name));
        }
    };
    if (fs.existsSync(path.join(stateDir, ".pulumi/locks"))) walk(path.join(stateDir, ".pulumi/locks"));
    return out;
}
