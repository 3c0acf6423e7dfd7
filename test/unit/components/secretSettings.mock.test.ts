/**
 * Secrets set through the edits never reach state in plain text (issue 7 §0.4): the
 * settings input is a secret when a value is, and `undo` (old and new text of every managed
 * line) and the file hashes are always requested as secret outputs. Mocks check what is sent
 * to the engine; test/e2e/refusals.test.ts checks the real CLI's state file.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { conn } from "./fixtures";
import { installMocks, PEM, settle, unwrapSecret } from "./mockWorld";

const registered = installMocks();
import { DataNodeTls, MetaNodeTls, TelegrafOutputTls, TomlSettings } from "../../../provider";

const SECRET_OUTPUTS = ["undo", "fileSha256", "originalSha256", "fileContents", "filePriors"];
const byName = (n: string) => registered.find((r) => r.name === n)!;
const provided = { provided: { certificatePem: PEM.cert, privateKeyPem: pulumi.secret(PEM.key) } };

describe("secret settings (mocks)", () => {
    it("TomlSettings: undo and the file hashes are secret outputs, always; a secret edit makes settings secret", async () => {
        const plain = new TomlSettings("plain", { connection: conn("127.0.10.1"), path: "/etc/x.conf", edits: [{ table: "a", set: { k: 1 } }] });
        const secret = new TomlSettings("secret", {
            connection: conn("127.0.10.1"), path: "/etc/x.conf",
            edits: pulumi.secret([{ table: "http", set: { "shared-secret": "hunter2" } }]),
        }, { additionalSecretOutputs: ["written"] });
        await Promise.all([settle(plain.id), settle(secret.id)]);
        assert.deepEqual(byName("plain").additionalSecretOutputs, SECRET_OUTPUTS);
        assert.deepEqual(new Set(byName("secret").additionalSecretOutputs), new Set(["written", ...SECRET_OUTPUTS]), "the caller's own list is kept");
        assert.equal(unwrapSecret(byName("plain").inputs.settings).secret, false);
        const s = unwrapSecret(byName("secret").inputs.settings);
        assert.equal(s.secret, true, "settings derived from a secret edit must be a secret input");
        assert.deepEqual(s.value, { http: { "shared-secret": "hunter2" } });
    });

    it("DataNodeTls / MetaNodeTls: a secret extraEdits value keeps the config's settings secret; plain ones stay readable", async () => {
        const d = new DataNodeTls("sd1", {
            connection: conn("127.0.10.1"), certificate: provided,
            extraEdits: pulumi.secret([{ table: "meta", set: { "meta-internal-shared-secret": "hunter2" } }]),
        });
        const m = new MetaNodeTls("sm1", {
            connection: conn("127.0.10.11"), certificate: provided,
            extraEdits: pulumi.secret("hunter2").apply((v) => [{ table: "meta", set: { "internal-shared-secret": v } }]),
        });
        const p = new DataNodeTls("pd1", { connection: conn("127.0.10.2"), certificate: provided, extraEdits: [{ table: "http", set: { "log-enabled": true } }] });
        await Promise.all([settle(d.verified), settle(m.verified), settle(p.verified)]);
        const ds = unwrapSecret(byName("sd1-config").inputs.settings);
        assert.equal(ds.secret, true);
        assert.equal(ds.value.meta["meta-internal-shared-secret"], "hunter2");
        assert.equal(unwrapSecret(byName("sm1-config").inputs.settings).secret, true);
        assert.equal(unwrapSecret(byName("pd1-config").inputs.settings).secret, false);
        for (const n of ["sd1-config", "sm1-config", "pd1-config"]) assert.deepEqual(byName(n).additionalSecretOutputs, SECRET_OUTPUTS, n);
    });

    it("TelegrafOutputTls: a secret extraSettings value (the output's password) keeps the settings secret", async () => {
        const t = new TelegrafOutputTls("st1", {
            connection: conn("127.0.10.21"), urls: ["https://127.0.10.1:8086"], caCertificatePem: PEM.cert,
            extraSettings: pulumi.secret({ username: "telegraf", password: "hunter2" }),
        });
        await settle(t.verified);
        const s = unwrapSecret(byName("st1-config").inputs.settings);
        assert.equal(s.secret, true);
        assert.equal(s.value["outputs.influxdb#0"]?.password, "hunter2", JSON.stringify(Object.keys(s.value)));
    });
    it("verifyCredentials reach the config resource as a secret input of their own, not inside service", async () => {
        const d = new DataNodeTls("vc1", { connection: conn("127.0.10.1"), certificate: provided, verifyCredentials: { username: "admin", password: "hunter2" } });
        await settle(d.verified);
        const inputs = byName("vc1-config").inputs;
        assert.deepEqual(unwrapSecret(inputs.verifyCredentials), { secret: true, value: { username: "admin", password: "hunter2" } });
        assert.ok(!JSON.stringify(inputs.service).includes("hunter2"));
    });

    // extraEdits given as an Output are checked for the guide's misspellings once they resolve:
    // the refusal surfaces as the program's unhandled rejection, tested through the real CLI
    // (test/e2e/refusals.test.ts).
});
