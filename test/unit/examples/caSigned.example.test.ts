import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { HOSTS, fakeSandboxState, previewText, settle, startExample } from "./exampleWorld";

// The example's own script makes the CA-signed files, as the README tells users to.
const certDir = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-ca-signed-"));
// For the fake hosts' addresses: without them the script follows PITLS_SANDBOX_NET (127.0.<net>.x).
execFileSync("bash", [path.join(__dirname, "../../../../examples/ca-signed/make-certs.sh"), certDir, ...HOSTS.map((h) => `${h.name}=${h.address}`)], { stdio: "ignore" });
const registered = startExample("ca-signed", { sandboxState: fakeSandboxState(), certDir, layout: "bundle" });

describe("examples/ca-signed (mocks)", () => {
    it("bundle layout: one .pem per node used for both keys, verified against the CA", async () => {
        const program = require("../../../examples/ca-signed/index");
        assert.equal(await settle(program.verified), true);
        const text = previewText(registered);
        console.log(`--- preview of examples/ca-signed (bundle) ---\n${text}\n---`);
        assert.match(text, /settings\.http\.https-certificate: "\/etc\/ssl\/influxdb\.pem"/);
        assert.match(text, /settings\.http\.https-private-key: "\/etc\/ssl\/influxdb\.pem"/);
        assert.match(text, /files: install \/etc\/ssl\/influxdb\.pem mode 0600 owner influxdb:influxdb \(content in fileContents\)\n    files: install \/etc\/ssl\/influxdb-ca\.pem[^\n]*\n    fileContents: \[secret\]/);
        assert.match(text, /SSL_CERT_FILE=\/etc\/ssl\/influxdb-ca\.pem/);
        assert.ok(!/insecure|unsafeSsl/.test(text));
        assert.ok(!text.includes("PRIVATE KEY"));
        assert.match(String(await settle(program.fingerprints[0])), /^[0-9A-F:]{95}$/);
    });
});
