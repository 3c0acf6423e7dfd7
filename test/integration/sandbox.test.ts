/**
 * The sandbox itself, end to end: real sshd, real sudo, real influxd, real namespaces.
 * Runs its own two hosts (127.0.<net+10>.x, its own directory) so it can take them down and
 * check nothing survives, without disturbing the suite's shared sandbox (127.0.10.x).
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import {
    hostLayout,
    isAlive,
    onHost,
    resetHost,
    run,
    sandboxDown,
    sandboxStatus,
    sandboxUp,
    sshArgv,
    systemctl,
    unitPid,
    waitForInfluxd,
    type HostSpec,
    type SandboxState,
} from "../sandbox";
import { allPids, mountNamespace } from "../sandbox/procs";
import { pingStatus } from "../sandbox/wait";
import { sandboxNet } from "../sandbox/hosts";

/** Beside the shared sandbox's 127.0.<net>.x: its own addresses, so both can run at once. */
const SIDE_NET = sandboxNet() + 10;

const HOSTS: HostSpec[] = [
    { name: "data1", address: `127.0.${SIDE_NET}.1`, roles: ["data"] },
    { name: "data2", address: `127.0.${SIDE_NET}.2`, roles: ["data"] },
];
const REAL_CONF = "/etc/influxdb/influxdb.conf";
const md5 = (file: string) => createHash("md5").update(fs.readFileSync(file)).digest("hex");

describe("test sandbox", { timeout: 180_000 }, () => {
    let dir: string;
    let state: SandboxState;
    let realConfBefore: string;

    before(async () => {
        realConfBefore = md5(REAL_CONF);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-sandbox-test-"));
        fs.chmodSync(dir, 0o755); // the sudo user's `systemctl is-active` reads pid files in here
        state = await sandboxUp({ dir, hosts: HOSTS });
    });

    after(async () => {
        await sandboxDown({ dir }); // no-op when the last test already did it
        fs.rmSync(dir, { recursive: true, force: true });
    });

    const ssh = (host: string, user: string, command: string, input?: string) =>
        run([...sshArgv(state, host, user), command], { allowFailure: true, input });

    it("is idempotent: a second up reuses the running hosts", async () => {
        const again = await sandboxUp({ dir, hosts: HOSTS });
        assert.deepEqual(again.hosts.map((h) => h.sshdPid), state.hosts.map((h) => h.sshdPid));
        assert.equal((await sandboxStatus(dir)).healthy, true);
    });

    it("gives every host its own namespace and files, seen over ssh with a pinned host key", async () => {
        assert.notEqual(state.hosts[0]!.mountNamespace, state.hosts[1]!.mountNamespace);
        for (const h of state.hosts) {
            const r = await ssh(h.name, "root", "cat /etc/influxdb/influxdb.conf");
            assert.equal(r.code, 0, r.stderr);
            assert.equal(r.stdout, fs.readFileSync(hostLayout(h.dir).baselineInfluxdbConf, "utf8"));
            assert.match(r.stdout, new RegExp(`^  bind-address = "${h.address.replace(/\./g, "\\.")}:8086"$`, "m"));
            // Only Telegraf hosts get Telegraf's file (as its package installs it).
            const telegraf = await onHost(h.name, ["cat", "/etc/telegraf/telegraf.conf"], { state, allowFailure: true });
            if (h.roles.includes("telegraf")) assert.match(telegraf.stdout, /^\[\[outputs\.influxdb\]\]$/m);
            else assert.notEqual(telegraf.code, 0);
        }
    });

    it("refuses a host whose key does not match the pinned one", async () => {
        // data1's address with data2's key: ssh must refuse, proving the pin is checked.
        const wrong = path.join(dir, "wrong_known_hosts");
        fs.writeFileSync(wrong, `${state.hosts[0]!.address} ${state.hosts[1]!.hostKey}\n`);
        const argv = sshArgv(state, "data1").map((a) => (a.startsWith("UserKnownHostsFile=") ? `UserKnownHostsFile=${wrong}` : a));
        const r = await run([...argv, "true"], { allowFailure: true });
        assert.equal(r.code, 255);
        assert.match(r.stderr, /host key/i);
    });

    it("has a non-root user with passwordless sudo", async () => {
        const r = await ssh("data1", state.users.sudo, "id -un && sudo -n true && sudo -n id -un");
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(r.stdout.trim().split("\n"), [state.users.sudo, "root"]);
    });

    it("runs influxd as influxdb, answering /ping on the host's own address only", async () => {
        for (const h of state.hosts) {
            assert.equal(await pingStatus(h.address), 204);
            const pid = unitPid(h, "influxdb")!;
            assert.equal(fs.statSync(`/proc/${pid}`).uid, Number((await run(["id", "-u", "influxdb"])).stdout));
            const listeners = (await run(["ss", "-Htlnup"])).stdout.split("\n").filter((l) => l.includes(`pid=${pid},`));
            assert.ok(listeners.length >= 2, `expected :8086 and :8088 listeners, got ${listeners.join("\n")}`);
            for (const l of listeners) assert.ok(l.includes(` ${h.address}:`), `listener not on ${h.address}: ${l}`);
        }
    });

    it("restarts influxd through the systemctl shim (sudo, over ssh) with a new PID", async () => {
        const h = state.hosts[0]!;
        const before = unitPid(h, "influxdb");
        const r = await ssh(h.name, state.users.sudo, "sudo -n systemctl restart influxdb && systemctl is-active influxdb");
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout.trim(), "active");
        const after = unitPid(h, "influxdb");
        assert.ok(after !== undefined && after !== before, `PID ${String(before)} -> ${String(after)}`);
        assert.equal(isAlive(before!), false);
        await waitForInfluxd(h);
        // A full-path call reaches the shim too, and an unknown unit fails like systemctl.
        const unknown = await ssh(h.name, "root", "/usr/bin/systemctl restart no-such-unit");
        assert.equal(unknown.code, 5);
        assert.match(unknown.stderr, /Unit no-such-unit\.service not found/);
    });

    it("reports a broken config: influxd exits, is-active fails; resetHost restores the baseline", async () => {
        const h = state.hosts[1]!;
        const l = hostLayout(h.dir);
        const baseline = fs.readFileSync(l.baselineInfluxdbConf, "utf8");
        // HTTPS on with the default certificate path, which this host's /etc/ssl lacks.
        const broken = baseline.replace("  # https-enabled = false\n", "  https-enabled = true\n");
        assert.notEqual(broken, baseline);
        const write = await ssh(h.name, "root", "cat > /etc/influxdb/influxdb.conf", broken);
        assert.equal(write.code, 0, write.stderr);
        assert.equal((await systemctl(h.name, "restart", "influxdb", { state })).code, 0); // Type=simple: spawned is enough
        let active = await systemctl(h.name, "is-active", "influxdb", { state, allowFailure: true });
        for (let i = 0; i < 100 && active.code === 0; i++) {
            await new Promise((r) => setTimeout(r, 100));
            active = await systemctl(h.name, "is-active", "influxdb", { state, allowFailure: true });
        }
        assert.equal(active.code, 3);
        assert.equal(active.stdout.trim(), "failed");
        assert.match(fs.readFileSync(path.join(l.log, "influxdb.log"), "utf8"), /influxdb\.pem/);

        await resetHost(h.name, state);
        assert.equal(fs.readFileSync(path.join(l.etcInfluxdb, "influxdb.conf"), "utf8"), baseline);
        assert.equal((await systemctl(h.name, "is-active", "influxdb", { state })).stdout.trim(), "active");
        assert.equal(await pingStatus(h.address), 204);
    });

    it("leaves the machine's own /etc/influxdb/influxdb.conf untouched", () => {
        assert.equal(md5(REAL_CONF), realConfBefore);
    });

    it("down stops every process it started and removes its directory", async () => {
        const namespaces = new Set(state.hosts.map((h) => h.mountNamespace));
        const started = [
            ...state.hosts.map((h) => h.sshdPid),
            ...state.hosts.map((h) => unitPid(h, "influxdb")!),
            ...allPids().filter((p) => namespaces.has(mountNamespace(p) ?? "")),
        ];
        assert.ok(started.every(isAlive));
        const { stopped } = await sandboxDown({ dir });
        for (const pid of started) {
            assert.equal(isAlive(pid), false, `PID ${pid} still runs`);
            assert.ok(stopped.includes(pid), `PID ${pid} not reported as stopped`);
        }
        assert.equal(fs.existsSync(path.join(dir, "state.json")), false);
        for (const h of state.hosts) assert.equal(await pingStatus(h.address), undefined);
    });
});
