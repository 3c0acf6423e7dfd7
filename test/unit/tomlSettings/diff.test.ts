import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diffInputs, diffSettings } from "../../../provider/providers/tomlSettings/diff";
import { UNKNOWN } from "../../../provider/providers/tomlSettings/unknown";

const olds = {
    __provider: "exports.handler = old",
    connection: { host: "127.0.10.1", privateKey: "K", hostKey: "SHA256:x" },
    target: "root@127.0.10.1:22",
    path: "/etc/influxdb/influxdb.conf",
    settings: { http: { "https-enabled": true, "https-certificate": "/etc/ssl/a.crt" }, meta: { "meta-tls-enabled": true } },
    service: { restart: ["systemctl", "restart", "influxdb"] },
    undo: { version: 1, keys: [], createdTables: [] },
    fileSha256: "abc",
};
const news = () => JSON.parse(JSON.stringify({ ...olds, undo: undefined, fileSha256: undefined, __provider: "exports.handler = new" }));

describe("diffInputs", () => {
    it("a node stored as unhealthy (refresh found it down, or a failed operation) is a change; healthy is not", () => {
        assert.equal(diffInputs({ ...olds, healthy: false }, news()).changes, true);
        assert.equal(diffInputs({ ...olds, healthy: true }, news()).changes, false);
        assert.equal(diffInputs(olds, news()).changes, false, "state written before `healthy` existed");
    });

    it("a changed serialized provider alone is not a change; bookkeeping outputs are ignored", () => {
        const d = diffInputs(olds, news());
        assert.equal(d.changes, false);
        assert.deepEqual(d.replaces, []);
    });

    it("reports key-by-key setting changes as an update", () => {
        const n = news();
        n.settings.http["https-certificate"] = "/etc/ssl/b.crt";
        delete n.settings.meta;
        n.settings.http["https-private-key"] = "/etc/ssl/b.key";
        const d = diffInputs(olds, n);
        assert.equal(d.changes, true);
        assert.deepEqual(d.replaces, []);
        assert.deepEqual(d.changedKeys.sort(), ["http.https-certificate", "http.https-private-key", "meta.meta-tls-enabled"]);
    });

    it("host, port or path change means replace, reverting the old file first", () => {
        for (const mutate of [
            (n: any) => { n.connection.host = "127.0.10.2"; },
            (n: any) => { n.connection.port = 2222; },
            (n: any) => { n.path = "/etc/influxdb/other.conf"; },
        ]) {
            const n = news();
            mutate(n);
            const d = diffInputs(olds, n);
            assert.equal(d.changes, true);
            assert.equal(d.replaces!.length, 1);
            assert.equal(d.deleteBeforeReplace, true);
        }
        const n = news();
        n.connection.port = 22; // the default, spelled out: no change
        assert.equal(diffInputs(olds, n).changes, false);
    });

    it("credentials, service and restart triggers are updates, not replaces", () => {
        for (const mutate of [
            (n: any) => { n.connection.privateKey = "K2"; },
            (n: any) => { n.service.verify = ["true"]; },
            (n: any) => { n.restartTriggers = { cert: "sha" }; },
        ]) {
            const n = news();
            mutate(n);
            const d = diffInputs(olds, n);
            assert.equal(d.changes, true);
            assert.deepEqual(d.replaces, []);
        }
    });

    it("preview unknowns count as changes; an unknown connection may replace", () => {
        const n = news();
        n.settings.http["https-certificate"] = UNKNOWN;
        assert.deepEqual(diffInputs(olds, n).changedKeys, ["http.https-certificate"]);
        const m = news();
        m.connection = UNKNOWN;
        assert.deepEqual(diffInputs(olds, m).replaces, ["connection"]);
        assert.deepEqual(diffSettings(olds.settings, UNKNOWN), ["*"]);
    });
});
