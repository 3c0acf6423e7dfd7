/**
 * Verify commands on an auth-enabled data node (issue 7 §0.7), on the real data1: influxd
 * 1.6.7 with `[http] auth-enabled = true` and an admin user. The credentials go on the
 * verify command's stdin to a constant wrapper (→ INFLUX_USERNAME / INFLUX_PASSWORD, which the
 * real `influx` CLI reads): never in argv, so `ps` sampled during every verify never shows the
 * password; errors never quote it, nor credentials a caller put in argv anyway.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import { after, before, describe, it } from "node:test";
import { TomlSettingsProvider } from "../../provider/providers/tomlSettings/provider";
import { editsToSettings } from "../../provider/providers/tomlSettings/settings";
import type { TomlSettingsInputs, TomlSettingsOutputs } from "../../provider/providers/tomlSettings/types";
import { findHost, onHost, resetHost, type HostState, type SandboxState } from "../sandbox";
import { baselineInfluxConf, connectionTo, influxConfPath, sandbox } from "./helpers/hosts";
import * as fs from "node:fs";

const provider = new TomlSettingsProvider();
const PASSWORD = `pw-${crypto.randomBytes(9).toString("hex")}`;
/** A fresh user each run: users live in influxd's meta store, which resetHost keeps. */
const USER = `admin_${crypto.randomBytes(4).toString("hex")}`;

/** Samples this machine's process list (the test hosts share it) every 20 ms while `fn` runs. */
async function sampledPs<T>(fn: () => Promise<T>): Promise<{ result?: T; error?: Error; samples: number; hits: string[] }> {
    let stop = false;
    let samples = 0;
    const hits: string[] = [];
    const sampler = (async () => {
        while (!stop) {
            const ps = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" });
            samples++;
            for (const line of ps.split("\n")) if (line.includes(PASSWORD)) hits.push(line);
            await new Promise((r) => setTimeout(r, 20));
        }
    })();
    try {
        return { result: await fn(), samples, hits };
    } catch (e) {
        return { error: e as Error, samples, hits };
    } finally {
        stop = true;
        await sampler;
    }
}

describe("verify credentials on an auth-enabled data node (real influxd 1.6.7)", { timeout: 240_000 }, () => {
    let state: SandboxState;
    let data1: HostState;

    function inputs(verify: string[], extra: Partial<TomlSettingsInputs> = {}): TomlSettingsInputs {
        return {
            schemaVersion: 1,
            connection: connectionTo(state, "data1"),
            target: `root@${data1.address}:22`,
            path: "/etc/influxdb/influxdb.conf",
            settings: editsToSettings([{ table: "http", set: { "auth-enabled": true } }]),
            service: {
                restart: ["systemctl", "restart", "influxdb"],
                verify, revertVerify: ["influx", "-host", data1.address, "-execute", "SHOW DATABASES"], verifyTimeoutSeconds: 4,
            },
            ...extra,
        };
    }
    const showDatabases = () => ["influx", "-host", data1.address, "-execute", "SHOW DATABASES"];

    before(async () => {
        state = await sandbox();
        data1 = findHost(state, "data1");
        await resetHost("data1");
        // The first admin user can be created before authentication is on.
        await onHost("data1", ["influx", "-host", data1.address, "-execute", `CREATE USER ${USER} WITH PASSWORD '${PASSWORD}' WITH ALL PRIVILEGES`]);
    });
    after(async () => {
        await resetHost("data1");
        await onHost("data1", ["influx", "-host", data1.address, "-execute", `DROP USER ${USER}`], { allowFailure: true });
    });

    it("without credentials the verify fails on the auth-enabled node (the precondition), and is rolled back", async () => {
        const r = await sampledPs(() => provider.create(inputs(showDatabases())));
        assert.ok(r.error, "verify must fail without credentials");
        assert.match(r.error.message, /verification `influx -host .* SHOW DATABASES` on .* still failing/);
        assert.match(r.error.message, /Rolled back/);
        assert.ok(fs.readFileSync(influxConfPath(data1)).equals(baselineInfluxConf(data1)), "file back to the baseline");
    });

    let outs: TomlSettingsOutputs;
    it("with verifyCredentials: create verifies with the user's rights; ps never shows the password; state's service holds none", async () => {
        const news = inputs(showDatabases(), { verifyCredentials: { username: USER, password: PASSWORD } });
        assert.deepEqual((await provider.check({} as TomlSettingsInputs, news)).failures, []);
        const r = await sampledPs(() => provider.create(news));
        assert.equal(r.error, undefined, r.error?.message);
        outs = r.result!.outs!;
        console.log(`ps samples during create: ${r.samples}, lines with the password: ${r.hits.length}`);
        assert.ok(r.samples >= 3, `ps sampled during the verify (${r.samples})`);
        assert.deepEqual(r.hits, []);
        assert.match(fs.readFileSync(influxConfPath(data1), "utf8"), /^\s*auth-enabled = true/m);
        assert.equal(JSON.stringify(outs.service).includes(PASSWORD), false, "the service output (plain state) holds no credential");
        assert.deepEqual(outs.verifyCredentials, { username: USER, password: PASSWORD }, "kept in the secret input of the same name");
        // The wrapper really authenticates: the same command without credentials is refused.
        const plain = await onHost("data1", showDatabases(), { allowFailure: true });
        assert.match(plain.stdout + plain.stderr, /authoriz|authentica|credentials/i);
    });

    it("a wrong password: the error names the command and host, not the password", async () => {
        const wrong = `wrong-${crypto.randomBytes(6).toString("hex")}`;
        const news = inputs(showDatabases(), { verifyCredentials: { username: USER, password: wrong } });
        const r = await sampledPs(() => provider.update("id", outs, news));
        assert.ok(r.error, "verify must fail with a wrong password");
        assert.match(r.error.message, /\(credentials on stdin\)/);
        assert.ok(!r.error.message.includes(wrong) && !r.error.message.includes(PASSWORD), r.error.message);
        assert.deepEqual(r.hits, []);
    });

    it("credentials a caller put in argv anyway are redacted from the error", async () => {
        const argv = ["influx", "-host", data1.address, "-username", USER, "-password", "not-it-" + PASSWORD, "-execute", "SHOW DATABASES"];
        const r = await sampledPs(() => provider.update("id", outs, inputs(argv)));
        assert.ok(r.error);
        assert.ok(!r.error.message.includes(PASSWORD), r.error.message);
        assert.match(r.error.message, /-password \[redacted\]/);
        // The control for the ps checks above: a password in argv is seen by the sampler.
        assert.ok(r.hits.length > 0, `the ps sampler sees argv (${r.samples} samples)`);
    });

    it("delete reverts with the credentials and runs revertVerify; ps never shows the password", async () => {
        const r = await sampledPs(() => provider.delete("id", outs));
        assert.equal(r.error, undefined, r.error?.message);
        assert.deepEqual(r.hits, []);
        assert.ok(fs.readFileSync(influxConfPath(data1)).equals(baselineInfluxConf(data1)));
    });
});
