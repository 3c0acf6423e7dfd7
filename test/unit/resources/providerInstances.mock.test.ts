import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";

/*
 * Issue 11: @pulumi/pulumi caches a dynamic provider's serialized code per provider object, so
 * the resources must share one provider object per class or every resource pays the closure
 * serializer again (0.2–0.8 s each). Counted at the serializer itself: dynamic/index.js looks
 * `serializeFunction` up on this module's exports at call time.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const closure = require("@pulumi/pulumi/runtime/closure/serializeClosure") as { serializeFunction: (...a: unknown[]) => Promise<{ text: string }> };
const serializedTexts: string[] = [];
const original = closure.serializeFunction;
closure.serializeFunction = async (...args: unknown[]) => {
    const r = await original(...args);
    serializedTexts.push(r.text);
    return r;
};

const registered: pulumi.runtime.MockResourceArgs[] = [];
pulumi.runtime.setMocks({
    newResource: (args) => {
        registered.push(args);
        return { id: `${args.name}-id`, state: args.inputs };
    },
    call: () => ({}),
}, "project", "stack", false);

import { RemoteFile, TomlSettings } from "../../../provider";

const connection = { host: "127.0.10.1", privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nX\n-----END OPENSSH PRIVATE KEY-----\n", hostKey: "SHA256:abc" };

describe("one serialized provider per class (issue 11)", () => {
    it("serializes the TomlSettings and RemoteFile providers once each for many resources, and every resource gets the same code", async () => {
        const ids: pulumi.Output<string>[] = [];
        for (let i = 0; i < 5; i++) {
            ids.push(new TomlSettings(`config-${i}`, { connection, path: `/etc/x${i}.conf`, edits: [{ table: "http", set: { "https-enabled": true } }] }).id);
            ids.push(new RemoteFile(`file-${i}`, { connection, path: `/etc/ssl/f${i}.crt`, content: "c", mode: "0644", owner: "root", group: "root" }).id);
        }
        await new Promise((resolve) => pulumi.all(ids).apply(resolve));
        assert.equal(serializedTexts.length, 2, `serializeFunction ran ${serializedTexts.length} times for 10 resources of 2 classes`);
        const providers = (type: string) => new Set(registered.filter((r) => r.type === type).map((r) => r.inputs.__provider));
        const toml = providers("pulumi-nodejs:dynamic/influxdb-tls:TomlSettings");
        const file = providers("pulumi-nodejs:dynamic/influxdb-tls:RemoteFile");
        assert.equal(toml.size, 1);
        assert.equal(file.size, 1);
        assert.equal(typeof [...toml][0], "string");
        // The shared code is the provider's and nothing else: no module state of resources/ in it.
        assert.doesNotMatch([...toml][0] as string, /tomlSettingsProvider|remoteFileProvider/);
        assert.match([...toml][0] as string, /create|check/);
    });
});
