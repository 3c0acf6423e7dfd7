/**
 * Fault 17 of issue 7 §1: the service user does not exist on the host. The private key file
 * must belong to `influxdb`; on a host without that user the file install must fail with an
 * error naming the host, the file and the user, before anything touches the config — for
 * both file installers (remote.Command and the SSH RemoteFile).
 *
 * Injected for real: inside data2's mount namespace only (propagation is private), /etc/passwd
 * and /etc/group are bind-mounted over with copies that lack `influxdb`, so `chown influxdb`
 * on that host fails the way it would on a host where the package was never installed.
 * (The running influxd keeps its uid; only name lookups change.)
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { DataNodeTls } from "../../provider";
import { DeploymentError, runProgram } from "../harness";
import { findHost, onHost, resetHost, type HostState, type SandboxState } from "../sandbox";
import { componentConnection, influxConfPath, influxdPid, sandbox, statOnHost } from "../integration/helpers/hosts";

describe("fault 17: the service user does not exist on the host", { timeout: 300_000 }, () => {
    let state: SandboxState;
    let data2: HostState;
    let dir: string;

    before(async () => {
        state = await sandbox();
        data2 = findHost(state, "data2");
        await resetHost("data2");
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-nouser-"));
        for (const f of ["passwd", "group"]) {
            const kept = fs.readFileSync(`/etc/${f}`, "utf8").split("\n").filter((l) => !l.startsWith("influxdb:")).join("\n");
            fs.writeFileSync(path.join(dir, f), kept, { mode: 0o644 });
            await onHost("data2", ["mount", "--bind", path.join(dir, f), `/etc/${f}`]);
        }
        const id = await onHost("data2", ["id", "influxdb"], { allowFailure: true });
        assert.notEqual(id.code, 0, "influxdb is unknown inside data2's namespace");
    });
    after(async () => {
        for (const f of ["passwd", "group"]) {
            await onHost("data2", ["umount", `/etc/${f}`], { allowFailure: true });
        }
        fs.rmSync(dir, { recursive: true, force: true });
        await resetHost("data2");
    });

    for (const fileInstaller of ["command", "ssh"] as const) {
        it(`fileInstaller "${fileInstaller}": the key file install fails naming host, file and user; the config is never touched`, async () => {
            const conf = fs.readFileSync(influxConfPath(data2));
            const pid = influxdPid(data2);
            const sslBefore = (await onHost("data2", ["ls", "-A", "/etc/ssl"])).stdout.toString();
            let failure: DeploymentError | undefined;
            const started = Date.now();
            try {
                await runProgram(() => {
                    new DataNodeTls("data2", {
                        connection: componentConnection(state, "data2"),
                        certificate: { selfSigned: { validityDays: 2 } }, minValidityDays: 1,
                        fileInstaller,
                        verifyTimeoutSeconds: 5,
                    });
                });
            } catch (e) {
                failure = e as DeploymentError;
            }
            const ms = Date.now() - started;
            assert.ok(failure instanceof DeploymentError, "the deployment fails");
            const message = failure.errors.map((e) => e.message).join("\n");
            console.log(`fileInstaller ${fileInstaller}: failed in ${ms} ms:\n${message}`);
            const failedStep = failure.log.steps.find((s) => s.error !== undefined);
            assert.equal(failedStep?.name, "data2-key-file", "the key file is the step that failed");
            assert.match(message, /\/etc\/ssl\/influxdb-selfsigned\.key/, "names the file");
            assert.match(message, /influxdb/, "names the user");
            assert.match(message, /invalid user|invalid group|no such user|unknown user/i, "says the user is missing");
            if (fileInstaller === "ssh") {
                assert.match(message, new RegExp(data2.address.replace(/\./g, "\\.")), "names the host");
            }
            const ops = Object.fromEntries(failure.log.steps.map((s) => [s.name, s.op]));
            assert.equal(ops["data2-config"], undefined, "the config resource never ran");
            assert.ok(fs.readFileSync(influxConfPath(data2)).equals(conf), "config byte-identical");
            assert.equal(influxdPid(data2), pid, "influxd not restarted");
            assert.equal(await statOnHost(data2, "/etc/ssl/influxdb-selfsigned.key"), undefined, "no key file in place");
            await failure.deployment.destroy();
            const sslAfter = (await onHost("data2", ["ls", "-A", "/etc/ssl"])).stdout.toString();
            assert.equal(sslAfter, sslBefore, "nothing left in /etc/ssl (no temp file, no certificate) after destroy");
        });
    }
});
