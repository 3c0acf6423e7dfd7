import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { SECRET_SIG } from "../../sdk";

/** Runs examples/toml-settings under mocks: the resources it registers and what a reviewer would see. */
const registered: pulumi.runtime.MockResourceArgs[] = [];
pulumi.runtime.setMocks({
    newResource: (args) => {
        registered.push(args);
        return { id: `${args.name}-id`, state: args.inputs };
    },
    call: () => ({}),
}, "toml-settings", "sandbox", false);

describe("examples/toml-settings (mocks)", () => {
    it("registers one TomlSettings for [http] of influxdb.conf with a pinned, secret connection", async () => {
        const keyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pitls-example-")), "id");
        fs.writeFileSync(keyFile, "-----BEGIN OPENSSH PRIVATE KEY-----\nEXAMPLEKEY\n-----END OPENSSH PRIVATE KEY-----\n");
        pulumi.runtime.setConfig("toml-settings:host", "127.0.10.1");
        pulumi.runtime.setConfig("toml-settings:hostKey", "SHA256:" + "B".repeat(43));
        pulumi.runtime.setConfig("toml-settings:privateKeyPath", keyFile);
        const program = require("../../../examples/toml-settings/index");
        const url = await new Promise((resolve) => (program.url as pulumi.Output<string>).apply(resolve));
        assert.equal(url, "https://127.0.10.1:8086");
        // Outputs of the resource resolve only after it registered (the provider is serialized first).
        assert.equal(await new Promise((resolve) => (program.target as pulumi.Output<string>).apply(resolve)), "root@127.0.10.1:22");
        const r = registered.find((a) => a.type === "pulumi-nodejs:dynamic/influxdb-tls:TomlSettings");
        assert.ok(r, "a TomlSettings resource is registered");
        const inputs = r!.inputs as Record<string, any>;
        assert.equal(inputs.path, "/etc/influxdb/influxdb.conf");
        assert.deepEqual(Object.keys(inputs.settings.http).sort(), ["https-certificate", "https-enabled", "https-private-key"]);
        assert.ok(inputs.connection[SECRET_SIG], "connection is secret");
        assert.ok(!JSON.stringify(inputs.__provider).includes("EXAMPLEKEY"));
        assert.deepEqual(inputs.service.restart, ["systemctl", "restart", "influxdb"]);
    });
});
