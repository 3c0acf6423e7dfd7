import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fakeSandboxState, previewText, settle, startExample } from "./exampleWorld";

const registered = startExample("self-signed", { sandboxState: fakeSandboxState(), validityDays: "30" });

describe("examples/self-signed (mocks)", () => {
    it("1 meta, 2 data, 1 Telegraf with the guide's self-signed settings; secrets masked", async () => {
        const program = require("../../../examples/self-signed/index");
        assert.equal(await settle(program.verified), true);
        const text = previewText(registered);
        console.log(`--- preview of examples/self-signed ---\n${text}\n---`);
        assert.match(text, /settings\.meta\.https-insecure-tls: true/);
        assert.match(text, /settings\.outputs\.influxdb#0\.insecure_skip_verify: true/);
        assert.match(text, /install \/etc\/ssl\/influxdb-selfsigned\.key mode 0600 owner influxdb:influxdb/);
        assert.equal((text.match(/TomlSettings/g) ?? []).length, 4);
        assert.ok(!text.includes("PRIVATE KEY") && !text.includes("EXAMPLECLIENTKEY"));
        assert.deepEqual(await settle(program.dataUrls[0]), "https://127.0.10.1:8086");
    });
});
