import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { SECRET_SIG, SECRET_VALUE } from "../../sdk";

// Mocks check component wiring only: what the resource registers with the engine.
const registered: pulumi.runtime.MockResourceArgs[] = [];
pulumi.runtime.setMocks({
    newResource: (args) => {
        registered.push(args);
        return { id: `${args.name}-id`, state: { ...args.inputs, fileSha256: "f".repeat(64) } };
    },
    call: () => ({}),
}, "project", "stack", false);

import { TomlSettings } from "../../../provider";

const PRIVATE_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nTESTKEYMATERIAL\n-----END OPENSSH PRIVATE KEY-----\n";

function outputValue<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => o.apply((v) => resolve(v)));
}

describe("TomlSettings wiring (mocks)", () => {
    it("registers a dynamic resource with a secret connection and a readable settings map", async () => {
        const res = new TomlSettings("data1-http", {
            connection: { host: "127.0.10.1", privateKey: PRIVATE_KEY, hostKey: "SHA256:abc" },
            path: "/etc/influxdb/influxdb.conf",
            edits: [{ table: "http", set: { "https-enabled": true } }, { table: "meta", set: { "meta-tls-enabled": true } }],
            service: { restart: ["systemctl", "restart", "influxdb"] },
        });
        assert.equal(await outputValue(res.fileSha256), "f".repeat(64));
        const r = registered.find((a) => a.name === "data1-http")!;
        assert.equal(r.type, "pulumi-nodejs:dynamic/influxdb-tls:TomlSettings");
        const inputs = r.inputs as Record<string, any>;
        assert.equal(inputs.connection[SECRET_SIG], SECRET_VALUE, "connection must be stored as a secret");
        assert.equal(inputs.target, "root@127.0.10.1:22");
        assert.deepEqual(inputs.settings, { http: { "https-enabled": true }, meta: { "meta-tls-enabled": true } });
        assert.equal(inputs.schemaVersion, 1);
        assert.equal(typeof inputs.__provider, "string");
        assert.ok(!inputs.__provider.includes("TESTKEYMATERIAL"), "the serialized provider must not capture key material");
        assert.ok(inputs.__provider.includes("exports.handler"), "the provider is serialized by the SDK");
    });
});
