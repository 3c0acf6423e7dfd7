// The fault matrix's error check (test/faults/cell.ts): an error raised before the run reached
// the host (no provider operation, no SSH connection) must name the node and the argument at
// fault; every other error still has to name the host, a file or command and the step.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Deployment, DeploymentError, type RunLog, type StepRecord } from "../../harness";
import { errorProblems, refusedBeforeConnecting } from "../../faults/cell";
import type { World } from "../../faults/world";

const world = { address: "127.0.30.1", proxy: { address: "127.0.30.200" }, host: { name: "data1" } } as unknown as World;
const REFUSAL = "DataNodeTls data1: certificate.provided.certificatePem expired on 2026-12-02T20:40:34.000Z (subject \"CN=data1\")";

const step: StepRecord = { op: "create", type: "pulumi-nodejs:dynamic/influxdb-tls:RemoteFile", name: "data1-cert-file", urn: "urn:x", ms: 5, error: "x" };
function failedRun(steps: StepRecord[], sshConnections: number, message = REFUSAL): DeploymentError {
    const log: RunLog = { kind: "up", steps, wallMs: 10, sshConnections, sshCommands: 0 };
    return new DeploymentError([new Error(message)], new Deployment(), log);
}

test("a run that failed before any provider operation or SSH connection was refused before connecting", () => {
    assert.equal(refusedBeforeConnecting(failedRun([], 0)), true);
    assert.equal(refusedBeforeConnecting(failedRun([step], 0)), false, "a provider operation started");
    assert.equal(refusedBeforeConnecting(failedRun([], 1)), false, "an SSH connection was opened");
    assert.equal(refusedBeforeConnecting(new Error(REFUSAL)), false, "not a run's error");
});

test("refused before connecting: naming the node and the argument at fault is enough", () => {
    assert.deepEqual(errorProblems(world, REFUSAL, true), []);
    assert.deepEqual(errorProblems(world, REFUSAL, true, /certificate\.provided\.certificatePem\b/), []);
    assert.match(errorProblems(world, REFUSAL, true, /certificate\.provided\.privateKeyPem\b/).join(), /does not name the argument at fault/);
    const vague = errorProblems(world, "DataNodeTls data1: the certificate has expired", true);
    assert.equal(vague.length, 1);
    assert.match(vague[0], /^refused before connecting, but the error does not name the argument at fault/);
    assert.deepEqual(errorProblems(world, REFUSAL.replaceAll("data1", "node"), true), ["error does not name the host"]);
});

test("after connecting the check is unchanged: host, file or command, and step", () => {
    // The same words raised by an operation on the host do not pass.
    assert.deepEqual(errorProblems(world, REFUSAL, false), ["error names no file or command", "error names no step"]);
    assert.deepEqual(errorProblems(world, "RemoteFile create of /etc/ssl/influxdb.crt on root@127.0.30.1:22: SSH connection timed out", false), []);
});
