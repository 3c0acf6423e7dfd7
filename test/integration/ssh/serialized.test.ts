// The SSH layer runs inside Pulumi dynamic providers, whose code is serialized with the
// closure serializer and re-evaluated in the provider host. Serialize a provider that uses
// it the way providers do, load the text the way the host does, and talk to a real sshd.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { SshConnection, withSession } from "../../../provider/ssh";
import { startSshd, TestSshd } from "./sshd";

let sshd: TestSshd;
before(async () => {
    sshd = await startSshd();
});
after(async () => {
    await sshd?.stop();
});

test("a provider using withSession serializes, and the serialized copy connects and writes", async () => {
    const provider = {
        async create(inputs: { conn: SshConnection; path: string; content: string }) {
            return withSession(inputs.conn, async (s) => {
                const { sha256 } = await s.writeFileAtomic(inputs.path, inputs.content, { mode: "0600", expectedSha256: null });
                const back = await s.readFile(inputs.path);
                return { id: inputs.path, outs: { sha256, mode: back.mode } };
            });
        },
    };
    const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true }); // as dynamic.Resource does
    assert.match(serialized.text, /require\("ssh2"\)/, "ssh2 is required at call time, not captured");
    assert.ok(!serialized.text.includes("BEGIN OPENSSH PRIVATE KEY"), "no key material is captured");

    // Like the dynamic provider host: evaluate the text as a module next to node_modules.
    const file = join(__dirname, `.serialized-${process.pid}.js`);
    writeFileSync(file, serialized.text);
    try {
        const loaded = require(file).handler() as typeof provider;
        const path = join(sshd.dir, "serialized.pem");
        const out = await loaded.create({ conn: sshd.conn(), path, content: "PEM" });
        assert.equal(out.outs.mode, "600");
        assert.equal(readFileSync(path, "utf8"), "PEM");
    } finally {
        rmSync(file, { force: true });
    }
});
