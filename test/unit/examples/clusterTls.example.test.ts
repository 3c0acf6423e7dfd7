import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fakeSandboxState, previewText, settle, startExample } from "./exampleWorld";

const registered = startExample("cluster-tls", { sandboxState: fakeSandboxState(), version: "1.11.8", maxUnavailable: "2" });

describe("examples/cluster-tls (mocks)", () => {
    it("the rollout order as an output; internal CA, internode TLS on 1.11.8, no insecure flag anywhere", async () => {
        const program = require("../../../examples/cluster-tls/index");
        assert.equal(await settle(program.verified), true);
        assert.deepEqual(program.rolloutOrder, ["1. meta meta1", "2. data data1, data2", "3. telegraf tele1"]);
        const text = previewText(registered);
        console.log(`--- preview of examples/cluster-tls ---\n${text}\n---`);
        assert.equal((text.match(/LocallySignedCert/g) ?? []).length, 3);
        assert.match(text, /settings\.cluster\.https-enabled: true/);
        assert.match(text, /settings\.meta\.data-use-tls: true/);
        assert.ok(!/insecure|unsafeSsl|"-k"/.test(text), "no insecure flag");
        assert.ok(!text.includes("PRIVATE KEY"));
        assert.deepEqual(program.warnings, []);
    });
});
