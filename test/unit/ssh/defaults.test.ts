/** The connection defaults: one place (ssh/defaults), applied once in check, idempotent for stored state. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { fileIdOf, hostPortOf, normalizeConnection, targetOf } from "../../../provider/ssh/defaults";
import { normalizedIfKnown } from "../../../provider/providers/normalized";
import { TomlSettingsProvider } from "../../../provider/providers/tomlSettings/provider";
import { diffInputs } from "../../../provider/providers/tomlSettings/diff";

test("defaults: port 22 and user root, bastions too; names built from them", () => {
    const c = { host: "h", proxy: { host: "b", port: 2222 } };
    assert.deepEqual(normalizeConnection(c), { host: "h", port: 22, user: "root", proxy: { host: "b", port: 2222, user: "root" } });
    assert.deepEqual(normalizeConnection(normalizeConnection(c)), normalizeConnection(c), "idempotent");
    assert.equal(targetOf({ host: "h" }), "root@h:22");
    assert.equal(targetOf({ host: "h", port: 2200, user: "ops" }), "ops@h:2200");
    assert.equal(hostPortOf({ host: "h", user: "ops" }), "h:22");
    assert.equal(fileIdOf({ host: "h" }, "/etc/x.conf"), "h:22:/etc/x.conf");
});

test("check normalizes a known connection once; an unknown one is left for the check that runs once it is known", async () => {
    const news = {
        schemaVersion: 1, target: "root@10.0.0.5:22", path: "/etc/influxdb/influxdb.conf",
        connection: { host: "10.0.0.5", privateKey: "k", hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl" },
        settings: { http: { "https-enabled": true } },
    };
    const r = await new TomlSettingsProvider().check({} as never, news as never);
    assert.deepEqual(r.failures, []);
    assert.equal(r.inputs!.connection.port, 22);
    assert.equal(r.inputs!.connection.user, "root");
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    assert.equal(normalizedIfKnown(unknown as never), unknown);
    assert.deepEqual(normalizedIfKnown({ host: "h", proxy: unknown } as never), { host: "h", proxy: unknown });
});

test("state stored before normalization: spelling out the defaults is no change", () => {
    const olds = { connection: { host: "h" }, path: "/p", settings: { http: { a: 1 } } };
    const news = { connection: { host: "h", port: 22, user: "root" }, path: "/p", settings: { http: { a: 1 } } };
    assert.deepEqual(diffInputs(olds, news).changes, false);
    assert.deepEqual(diffInputs(olds, { ...news, connection: { host: "h", port: 2222, user: "root" } }).replaces, ["connection"]);
});
