/**
 * Preflight on a real data node (issue 10 §3): the TomlSettings provider over real SSH on the
 * sandbox's data1 (real sshd, real influxd 1.6.7), certificates from the real openssl. Each bad
 * pair is refused after the transaction's files are written and before the config is written:
 * no restart (influxd's PID unchanged), config byte-identical, files back as they were, no
 * backup left, an error naming host, file and check, and no key material in it.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import { DataNodeTls } from "../../provider";
import { DeploymentError, runProgram } from "../harness";
import { TomlSettingsProvider } from "../../provider/providers/tomlSettings/provider";
import { editsToSettings } from "../../provider/providers/tomlSettings/settings";
import type { ManagedFile, PreflightSpec, TomlSettingsInputs, TomlSettingsOutputs } from "../../provider/providers/tomlSettings/types";
import { findHost, onHost, resetHost, type HostState, type SandboxState } from "../sandbox";
import { makeFaultCerts, type FaultCerts, type Pair } from "../faults/certs";
import { baselineInfluxConf, componentConnection, connectionTo, dataNodeService, influxConfPath, influxdPid, influxHttps, plainPing, readOnHost, sandbox, statOnHost } from "./helpers/hosts";

const provider = new TomlSettingsProvider();
const CONF = "/etc/influxdb/influxdb.conf";
const CERT = "/etc/ssl/influxdb.crt";
const KEY = "/etc/ssl/influxdb.key";
const figures: string[] = [];

async function failure(p: Promise<unknown>): Promise<{ e: Error & { id?: string }; ms: number }> {
    const started = Date.now();
    try {
        await p;
    } catch (e) {
        return { e: e as Error & { id?: string }, ms: Date.now() - started };
    }
    assert.fail("expected the operation to be refused");
}

/** A self-signed pair valid for `days` days with the host's address as IP SAN (openssl req -x509). */
function shortLived(address: string, days: number): Pair {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-preflight-"));
    try {
        execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", String(days), "-subj", "/CN=short",
            "-addext", `subjectAltName=IP:${address}`, "-keyout", path.join(dir, "k"), "-out", path.join(dir, "c")], { stdio: "ignore" });
        return { certificatePem: fs.readFileSync(path.join(dir, "c"), "utf8"), privateKeyPem: fs.readFileSync(path.join(dir, "k"), "utf8") };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("preflight on a real data node: refused before the config is written and before any restart", { timeout: 300_000 }, () => {
    let state: SandboxState;
    let data1: HostState;
    let certs: FaultCerts;
    const conf = () => fs.readFileSync(influxConfPath(data1));

    const preflight = (over: Partial<PreflightSpec> = {}): PreflightSpec =>
        ({ certificatePath: CERT, privateKeyPath: KEY, hostnames: [data1.address], minValidityDays: 7, serviceUser: "influxdb", ...over });

    function inputs(pair: Pair | undefined, opts: { keyMode?: string; keyOwner?: string; preflight?: PreflightSpec } = {}): TomlSettingsInputs {
        const files: ManagedFile[] = [
            { path: CERT, mode: "0644", owner: "root", group: "root" },
            { path: KEY, mode: opts.keyMode ?? "0600", owner: opts.keyOwner ?? "influxdb", group: "influxdb" },
        ];
        return {
            schemaVersion: 1,
            connection: connectionTo(state, "data1"),
            target: `root@${data1.address}:22`,
            path: CONF,
            settings: editsToSettings([{ table: "http", set: { "https-enabled": true, "https-certificate": CERT, "https-private-key": KEY } }]),
            service: {
                ...dataNodeService(data1), verifyTimeoutSeconds: 10,
                status: ["systemctl", "is-active", "influxdb"], logs: ["journalctl", "-u", "influxdb", "-n", "20", "--no-pager", "-o", "cat"],
            },
            ...(pair ? { files, fileContents: [pair.certificatePem, pair.privateKeyPem] } : {}),
            preflight: opts.preflight ?? preflight(),
        };
    }

    /** What the refusal must leave: the same PID, the same config bytes, the files as before, no backup or temp file. */
    async function assertRefused(what: string, e: Error & { id?: string }, before: { pid: number | undefined; conf: Buffer; ssl: string; cert?: string; key?: string },
        expect: { file: string; check: RegExp }): Promise<void> {
        const m = e.message;
        assert.match(m, new RegExp(`root@${data1.address.replace(/\./g, "\\.")}:22`), `${what}: names the host`);
        assert.match(m, new RegExp(`\\n  ${expect.file.replace(/\./g, "\\.")}: ${expect.check.source}`), `${what}: names file and check:\n${m}`);
        assert.match(m, /Nothing was changed: .* has its previous content and the service was not restarted\./, `${what}: says nothing changed`);
        assert.equal(e.id, undefined, `${what}: settled, nothing for the engine to record`);
        for (const pem of [certs.a, certs.b, certs.expired, certs.noSan].map((p) => p.privateKeyPem)) {
            for (const line of pem.split("\n").filter((l) => l.length > 40 && !l.startsWith("-----"))) {
                assert.ok(!m.includes(line), `${what}: no key material in the error`);
            }
        }
        assert.equal(influxdPid(data1), before.pid, `${what}: influxd not restarted (same PID)`);
        assert.ok(conf().equals(before.conf), `${what}: config byte-identical`);
        assert.equal(await readOnHost(data1, CERT), before.cert, `${what}: certificate file as before`);
        assert.equal(await readOnHost(data1, KEY), before.key, `${what}: key file as before`);
        assert.equal((await onHost("data1", ["ls", "-A", "/etc/ssl", "/etc/influxdb"])).stdout, before.ssl, `${what}: no backup or temp file left`);
    }

    /** Files already on the host (an admin's), as `onHost` certificates find them. */
    const put = async (p: Pair) => {
        await onHost("data1", ["sh", "-c", "cat > \"$1\"", "sh", CERT], { input: p.certificatePem });
        await onHost("data1", ["sh", "-c", "umask 077 && cat > \"$1\" && chown influxdb:influxdb \"$1\"", "sh", KEY], { input: p.privateKeyPem });
    };

    const snapshot = async () => ({
        pid: influxdPid(data1), conf: conf(), ssl: (await onHost("data1", ["ls", "-A", "/etc/ssl", "/etc/influxdb"])).stdout,
        cert: await readOnHost(data1, CERT), key: await readOnHost(data1, KEY),
    });

    before(async () => {
        state = await sandbox();
        data1 = findHost(state, "data1");
        await resetHost("data1");
        certs = makeFaultCerts(data1.address, "data1");
    });
    afterEach(async () => {
        await resetHost("data1");
    });
    after(() => {
        console.log(figures.join("\n"));
    });

    it("rotation to a key that does not match its certificate: refused, PID unchanged, config byte-identical, the old pair back (acceptance)", async () => {
        const { id, outs: created } = await provider.create(inputs(certs.a));
        const outs = created!;
        assert.equal(await influxHttps(data1), 0, "on HTTPS with pair A (the preflight passed)");
        const before = await snapshot();
        assert.equal(before.key, certs.a.privateKeyPem);
        const started = Date.now();
        const { e } = await failure(provider.update(id, outs, inputs(certs.mismatched)));
        figures.push(`mismatched key at rotation: refused in ${Date.now() - started} ms; the error:\n${e.message}`);
        await assertRefused("mismatched key at rotation", e, before, { file: KEY, check: /key matches certificate: does not match the certificate \/etc\/ssl\/influxdb\.crt/ });
        assert.equal(await influxHttps(data1), 0, "still answering HTTPS with the old pair");
        // The same update with a matching pair (B) goes through; destroy restores the baseline.
        const outs2 = (await provider.update(id, outs, inputs(certs.b))).outs!;
        assert.equal(outs2.restarted, true);
        assert.equal(await readOnHost(data1, KEY), certs.b.privateKeyPem);
        await provider.delete(id, outs2 as TomlSettingsOutputs);
        assert.ok(conf().equals(baselineInfluxConf(data1)), "destroy: config back to the baseline");
        assert.equal(await plainPing(data1), 204);
    });

    const createRefusals: { what: string; pair: () => Pair; opts?: Parameters<typeof inputs>[1]; file: string; check: RegExp }[] = [
        { what: "expired certificate", pair: () => certs.expired, file: CERT, check: /valid now and for 7 days: expired on / },
        { what: "certificate valid for 3 days (minValidityDays 7)", pair: () => shortLived(data1.address, 3), file: CERT, check: /valid now and for 7 days: expires on .* in 3\.0 days: less than the 7 days required/ },
        { what: "no SAN for the node's address", pair: () => certs.noSan, file: CERT, check: /hostname in subjectAltName: is not valid for "127\.0\.\d+\.1"/ },
        { what: "key mode 0640", pair: () => certs.a, opts: { keyMode: "0640" }, file: KEY, check: /file mode: mode 0640 is wider than 0600/ },
        { what: "key root:root 0600 (unreadable by influxdb)", pair: () => certs.a, opts: { keyOwner: "root" }, file: KEY, check: /readable by influxdb: influxdb cannot read it \(checked on the host as that user/ },
    ];
    for (const c of createRefusals) {
        it(`create with ${c.what}: refused before the config and the restart, the new files removed again`, async () => {
            const before = await snapshot();
            assert.equal(before.key, undefined, "no key file before");
            const started = Date.now();
            const { e } = await failure(provider.create(inputs(c.pair(), c.opts)));
            figures.push(`${c.what}: refused in ${Date.now() - started} ms`);
            await assertRefused(c.what, e, before, { file: c.file, check: c.check });
            assert.ok(conf().equals(baselineInfluxConf(data1)));
            assert.equal(await plainPing(data1), 204, "still answering plain HTTP");
        });
    }

    it("files already on the host (onHost, not managed): checked too — a 3-day certificate is refused, a 30-day one passes", async () => {
        await put(shortLived(data1.address, 3));
        const before = await snapshot();
        const { e } = await failure(provider.create(inputs(undefined)));
        await assertRefused("onHost 3-day certificate", e, before, { file: CERT, check: /valid now and for 7 days: expires on / });
        await put(certs.a);
        const { id, outs } = await provider.create(inputs(undefined));
        assert.equal(await influxHttps(data1), 0);
        await provider.delete(id, outs!);
        assert.ok(conf().equals(baselineInfluxConf(data1)));
        assert.equal(await statOnHost(data1, KEY), "influxdb:influxdb 600", "files already on the host are left alone");
    });

    it("through DataNodeTls (the serialized provider, the harness): an onHost pair that does not match is refused with the whole message", async () => {
        await put(certs.mismatched);
        const before = await snapshot();
        let err: DeploymentError | undefined;
        try {
            await runProgram(() => {
                new DataNodeTls("data1", { connection: componentConnection(state, "data1"), certificate: { onHost: { certificatePath: CERT, privateKeyPath: KEY } } });
            });
        } catch (e) {
            err = e as DeploymentError;
        }
        assert.ok(err instanceof DeploymentError, "the up fails");
        const message = err.errors.map((x) => x.message).join("\n");
        // (The serialized PreflightError once lost its message: "TomlSettings create of … : undefined".)
        assert.match(message, /preflight on root@[0-9.]+:22 refused the certificate files/);
        assert.match(message, /\/etc\/ssl\/influxdb\.key: key matches certificate: does not match/);
        assert.equal(influxdPid(data1), before.pid, "not restarted");
        assert.ok(conf().equals(before.conf), "config byte-identical");
        await err.deployment.destroy();
    });
});
