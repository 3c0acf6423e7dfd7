import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fakeSandboxState, previewText, settle, startExample } from "./exampleWorld";

const registered = startExample("internal-ca", { sandboxState: fakeSandboxState() });

describe("examples/internal-ca (mocks)", () => {
    it("every node issued by the CA; clients trust it; no insecure flag anywhere", async () => {
        const program = require("../../../examples/internal-ca/index");
        assert.equal(await settle(program.verified), true);
        const text = previewText(registered);
        console.log(`--- preview of examples/internal-ca ---\n${text}\n---`);
        assert.equal((text.match(/LocallySignedCert/g) ?? []).length, 3);
        assert.match(text, /settings\.outputs\.influxdb#0\.tls_ca: "\/etc\/telegraf\/influxdb-ca\.pem"/);
        assert.ok(!/insecure|unsafeSsl|"-k"/.test(text), "no insecure flag");
        assert.ok(!text.includes("PRIVATE KEY"));
    });
});
