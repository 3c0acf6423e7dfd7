/**
 * A checkout the service users cannot traverse (root's home, `mktemp -d`: both 0700) still gets
 * working test hosts: the stand-ins run as influxdb/telegraf from the hosts' own copies under
 * /opt/pitls-sandbox, never from the checkout, and sshd reads the authorized keys from there too
 * (the non-root login user `pitls` included). Before the copies, the meta stand-in of such a
 * checkout died at once with `Cannot find module '…/bin-test/test/sandbox/standins/…'`.
 *
 * The "checkout" here is what `sandbox up` needs of one, copied into a fresh `mktemp -d`
 * directory: bin-test/ (the compiled CLI and stand-ins), test/fixtures/, package.json, and
 * node_modules and build/ (the real Telegraf, influxd 1.13.2) as symlinks to this checkout's
 * (read by root only; the hosts run their own links or copies of the binaries). Its sandbox is its own
 * (its own .sandbox directory, 127.0.<net+10>.x), so it does not disturb the shared one.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { repoRoot } from "./layout";
import { run } from "./run";
import { sandboxNet } from "./hosts";
import { SUDO_USER } from "./machine";
import { tryLoadSandbox } from "./state";
import { unitPid } from "./status";

describe("sandbox in a checkout inside a 0700 directory", () => {
    const root = repoRoot();
    const priv = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-private-"));
    const clone = path.join(priv, "checkout");
    const cli = path.join(clone, "bin-test", "test", "sandbox", "cli.js");
    const sandbox = (...args: string[]) =>
        run(["env", "-u", "PITLS_SANDBOX_DIR", `PITLS_SANDBOX_NET=${sandboxNet() + 10}`, process.execPath, cli, ...args], { allowFailure: true, timeoutMs: 120_000 });
    after(async () => {
        if (fs.existsSync(cli)) await sandbox("down");
        fs.rmSync(priv, { recursive: true, force: true });
    });

    it("brings up meta, data and Telegraf hosts whose services run as their users", async () => {
        assert.equal(fs.statSync(priv).mode & 0o777, 0o700);
        fs.mkdirSync(path.join(clone, "test"), { recursive: true });
        await run(["cp", "-a", path.join(root, "bin-test"), path.join(root, "package.json"), clone]);
        await run(["cp", "-a", path.join(root, "test", "fixtures"), path.join(clone, "test")]);
        fs.symlinkSync(path.join(root, "node_modules"), path.join(clone, "node_modules"));
        // The real Telegraf (and influxd 1.13.2) built into this checkout's build/ (scripts/build-host-programs.sh).
        fs.symlinkSync(path.join(root, "build"), path.join(clone, "build"));
        // The service users really cannot reach into it.
        const probe = await run(["setpriv", "--reuid=influxdb", "--regid=influxdb", "--init-groups", "--", "/usr/bin/test", "-r", cli], { allowFailure: true });
        assert.notEqual(probe.code, 0, "influxdb can read the private checkout; the test would prove nothing");

        const up = await sandbox("up", "--meta", "1", "--data", "1", "--telegraf", "1");
        assert.equal(up.code, 0, `${up.stdout}\n${up.stderr}`);
        const state = tryLoadSandbox(path.join(clone, ".sandbox"))!;
        for (const h of state.hosts) {
            for (const unit of h.units) {
                const pid = unitPid(h, unit);
                assert.ok(pid !== undefined, `${h.name} ${unit} has a pid`);
                const user = (await run(["ps", "-o", "user=", "-p", String(pid)])).stdout.trim();
                assert.equal(user, unit === "telegraf" ? "telegraf" : "influxdb", `${h.name} ${unit}`);
            }
        }
        const status = await sandbox("status");
        assert.equal(status.code, 0, status.stdout);
        assert.match(status.stdout, /meta1 .*influxdb-meta running .*meta ping 204/);
        assert.match(status.stdout, /tele1 .*telegraf running/);

        // The non-root login the sudo tests use: sshd opens authorized_keys with pitls's rights,
        // so a key file inside the checkout refused it ("SSH authentication failed for pitls@…",
        // seen in a clean clone inside `mktemp -d`) while root logged in.
        for (const user of ["root", SUDO_USER]) {
            const login = await run(["ssh", "-i", state.clientKeyPath, "-o", `UserKnownHostsFile=${state.knownHostsPath}`,
                "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
                `${user}@${state.hosts.find((h) => h.name === "data1")!.address}`, "id", "-un"], { allowFailure: true, timeoutMs: 30_000 });
            assert.equal(login.code, 0, `${user} login: ${login.stderr}`);
            assert.equal(login.stdout.trim(), user);
        }
    });
});
