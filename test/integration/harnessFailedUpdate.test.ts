/**
 * The harness must end a run whose failed step has dependents waiting on it. Before the fix, a
 * failed RemoteFile update inside a DataNodeTls (the config's TomlSettings waits on the file)
 * left the run waiting forever with nothing running.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DataNodeTls } from "../../provider";
import { DeploymentError, runProgram } from "../harness";
import { findHost, resetHost, type SandboxState } from "../sandbox";
import { makeFaultCerts } from "../faults/certs";
import { componentConnection, sandbox } from "./helpers/hosts";

describe("harness: a failed file update under a component", { timeout: 180_000 }, () => {
    let state: SandboxState;
    before(async () => {
        state = await sandbox();
        await resetHost("data2");
    });
    after(() => resetHost("data2"));

    it("fails the run (DeploymentError) instead of hanging", async () => {
        const data2 = findHost(state, "data2");
        const certs = makeFaultCerts(data2.address, "data2");
        const program = (keyOwner: string) => () => {
            new DataNodeTls("data2", {
                connection: componentConnection(state, "data2"),
                certificate: { provided: { ...certs.a, caCertificatePem: certs.caPem } },
                fileInstaller: "ssh",
                privateKeyOwner: keyOwner,
                privateKeyGroup: keyOwner,
            });
        };
        const d = await runProgram(program("influxdb"));
        const started = Date.now();
        await assert.rejects(d.update(program("no-such-user")), (e: unknown) => {
            assert.ok(e instanceof DeploymentError);
            assert.match(e.message, /influxdb\.key/);
            return true;
        });
        assert.ok(Date.now() - started < 60_000, `took ${Date.now() - started} ms`);
        await d.destroy();
    });
});
