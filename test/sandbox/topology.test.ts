/**
 * `sandbox up --meta M --data N --telegraf T`: the address scheme (pure) and, through the real
 * CLI, a sized sandbox of its own (127.0.<net+10>.x, its own directory) brought up, listed by
 * `status`, reused only when exactly the same, and stopped by PID on `down`.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { upRequest } from "./cli";
import { DEFAULT_HOSTS, hostOctet, sandboxNet, topologyHost, topologyHosts, TOPOLOGY_LIMITS } from "./hosts";
import { isAlive } from "./procs";
import { run } from "./run";
import { tryLoadSandbox } from "./state";

describe("sandbox topology: names and addresses", () => {
    it("the default is today's four hosts at today's addresses", () => {
        const net = sandboxNet();
        assert.deepEqual(
            DEFAULT_HOSTS.map((h) => [h.name, h.address, h.roles.join()]),
            [["data1", `127.0.${net}.1`, "data"], ["data2", `127.0.${net}.2`, "data"], ["meta1", `127.0.${net}.11`, "meta"], ["tele1", `127.0.${net}.21`, "telegraf"]],
        );
        assert.deepEqual(upRequest([]), { exact: false });
    });

    it("gives every host of the largest topology its own address, stable across topologies", () => {
        const all = topologyHosts(TOPOLOGY_LIMITS, 31);
        assert.equal(all.length, 99 + 9 + 9);
        assert.equal(new Set(all.map((h) => h.address)).size, all.length);
        for (const h of all) assert.match(h.address, /^127\.0\.31\.\d{1,3}$/);
        assert.ok(all.every((h) => Number(h.address.split(".")[3]) <= 255));
        // A host's address does not depend on how many others there are.
        const small = topologyHosts({ meta: 3, data: 16, telegraf: 1 }, 31);
        for (const h of small) assert.equal(h.address, all.find((a) => a.name === h.name)!.address);
        assert.equal(topologyHost("data16", 31).address, "127.0.31.116");
        assert.equal(topologyHost("data32", 31).address, "127.0.31.132");
        assert.equal(topologyHost("meta3", 31).address, "127.0.31.13");
        assert.deepEqual(small.map((h) => h.name).slice(14), ["data15", "data16", "meta1", "meta2", "meta3", "tele1"]);
    });

    it("refuses counts and names outside the scheme", () => {
        assert.throws(() => topologyHosts({ meta: 10, data: 1, telegraf: 0 }), /--meta must be 0-9, got 10/);
        assert.throws(() => topologyHosts({ meta: 0, data: 100, telegraf: 0 }), /--data must be 0-99/);
        assert.throws(() => topologyHosts({ meta: 0, data: 0, telegraf: 0 }), /no hosts/);
        assert.throws(() => hostOctet("meta", 0), /meta0: number must be 1-9/);
        assert.throws(() => topologyHost("data0"), /unknown host data0/);
        assert.throws(() => upRequest(["--data", "x"]), /--data needs a number/);
        assert.throws(() => upRequest(["--hosts", "data1", "--data", "3"]), /cannot be combined/);
        assert.throws(() => upRequest(["--nodes", "3"]), /unknown argument --nodes/);
    });

    it("flags left out take the default's counts; sized requests are exact", () => {
        const r = upRequest(["--data", "16"]);
        assert.equal(r.exact, true);
        assert.deepEqual(r.hosts!.map((h) => h.name), [...Array.from({ length: 16 }, (_, i) => `data${i + 1}`), "meta1", "tele1"]);
        assert.deepEqual(upRequest(["--meta", "3", "--data", "4", "--telegraf", "0"]).hosts!.map((h) => h.name),
            ["data1", "data2", "data3", "data4", "meta1", "meta2", "meta3"]);
    });
});

describe("sandbox up --meta/--data/--telegraf through the CLI", () => {
    const sideNet = sandboxNet() + 10;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-topology-"));
    const cli = path.join(__dirname, "cli.js");
    const sandbox = (...args: string[]) =>
        run(["env", `PITLS_SANDBOX_NET=${sideNet}`, `PITLS_SANDBOX_DIR=${dir}`, process.execPath, cli, ...args], { allowFailure: true });
    after(async () => {
        await sandbox("down");
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("brings up 2 meta + 3 data hosts, reuses them only for the same request, and stops every PID on down", async () => {
        const up = await sandbox("up", "--meta", "2", "--data", "3", "--telegraf", "0");
        assert.equal(up.code, 0, up.stderr + up.stdout);
        const state = tryLoadSandbox(dir)!;
        assert.deepEqual(state.hosts.map((h) => `${h.name}=${h.address}`),
            ["data1", "data2", "data3"].map((n, i) => `${n}=127.0.${sideNet}.${i + 1}`).concat([`meta1=127.0.${sideNet}.11`, `meta2=127.0.${sideNet}.12`]));
        const status = await sandbox("status");
        assert.equal(status.code, 0, status.stdout);
        assert.match(status.stdout, /healthy/);
        assert.match(status.stdout, /meta2 +127\.0\.\d+\.12 +sshd running/);

        const pidsOf = (s: NonNullable<ReturnType<typeof tryLoadSandbox>>) => s.hosts.flatMap((h) => [h.sshdPid, ...h.units.map((u) => Number(fs.readFileSync(path.join(h.dir, "run", `${u}.pid`), "utf8")))]);
        const pids = pidsOf(state);
        assert.equal(pids.length, 10);
        assert.ok(pids.every(isAlive));

        // Same request: reused (same sshd PIDs); a different one: rebuilt.
        assert.equal((await sandbox("up", "--meta", "2", "--data", "3", "--telegraf", "0")).code, 0);
        assert.deepEqual(tryLoadSandbox(dir)!.hosts.map((h) => h.sshdPid), state.hosts.map((h) => h.sshdPid));
        const smaller = await sandbox("up", "--meta", "1", "--data", "1", "--telegraf", "0");
        assert.equal(smaller.code, 0, smaller.stderr);
        assert.deepEqual(tryLoadSandbox(dir)!.hosts.map((h) => h.name), ["data1", "meta1"]);
        assert.ok(pids.every((p) => !isAlive(p)), "the 2+3 sandbox's processes are gone");

        const later = pidsOf(tryLoadSandbox(dir)!);
        const down = await sandbox("down");
        assert.equal(down.code, 0, down.stderr);
        for (const p of later) assert.match(down.stdout, new RegExp(`\\b${p}\\b`));
        assert.ok(later.every((p) => !isAlive(p)));
    });
});
