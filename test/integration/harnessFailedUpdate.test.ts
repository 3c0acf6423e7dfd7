/**
 * The harness must end a run whose failed step has dependents waiting on it. Before the fix, a
 * failed RemoteFile update inside a DataNodeTls (the config's TomlSettings waits on the file)
 * left the run waiting forever with nothing running. Likewise a registration whose input is an
 * Output that rejects (an apply that throws: a component's check of values known only then),
 * with a dependent waiting on it: the SDK reports it only as an unhandled rejection, and the run
 * waited forever for the dependent (seen with ClusterTls and a provided key that does not match).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
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

    it("fails the run when an input Output rejects and a dependent waits on it, instead of hanging", async () => {
        const data2 = findHost(state, "data2");
        const certs = makeFaultCerts(data2.address, "data2");
        const started = Date.now();
        await assert.rejects(runProgram(() => {
            const first = new DataNodeTls("first", {
                connection: componentConnection(state, "data2"),
                // Another certificate's key, as a secret Output: refused by the pair check once it resolves.
                certificate: { provided: { certificatePem: certs.a.certificatePem, privateKeyPem: pulumi.secret(certs.b.privateKeyPem), caCertificatePem: certs.caPem } },
            });
            new DataNodeTls("second", {
                connection: componentConnection(state, "data2"),
                certificate: { provided: { ...certs.a, caCertificatePem: certs.caPem } },
            }, { dependsOn: [first] });
        }), (e: unknown) => {
            assert.ok(e instanceof DeploymentError, String(e));
            assert.match(e.message, /DataNodeTls first: certificate\.provided\.privateKeyPem does not match the certificate/);
            return true;
        });
        assert.ok(Date.now() - started < 60_000, `took ${Date.now() - started} ms`);
    });
});
