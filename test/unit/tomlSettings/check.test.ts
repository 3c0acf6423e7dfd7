import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkInputs } from "../../../provider/providers/tomlSettings/check";
import { UNKNOWN } from "../../../provider/providers/tomlSettings/unknown";

const good = {
    schemaVersion: 1,
    connection: { host: "127.0.10.1", user: "root", privateKey: "KEY", hostKey: "SHA256:" + "A".repeat(43) },
    target: "root@127.0.10.1:22",
    path: "/etc/influxdb/influxdb.conf",
    settings: { http: { "https-enabled": true, "https-certificate": "/etc/ssl/influxdb.crt" } },
    service: { restart: ["systemctl", "restart", "influxdb"], verify: ["influx", "-ssl", "-unsafeSsl", "-execute", "SHOW DATABASES"] },
};

describe("checkInputs", () => {
    it("accepts a valid set of inputs", () => {
        assert.deepEqual(checkInputs(good), []);
    });

    it("reports every problem at once, each naming its property", () => {
        const failures = checkInputs({
            connection: { host: "", port: 70000 },
            path: "etc/influxdb.conf",
            settings: { http: { "https-enabled": null, ok: [1, {}] } },
            service: { restart: [], verifyTimeoutSeconds: -1 },
            restartTriggers: { cert: 5 },
        });
        const props = failures.map((f) => f.property).sort();
        assert.deepEqual(props, [
            "connection", "connection.host", "connection.hostKey", "connection.port", "path",
            "restartTriggers.cert", "service.restart", "service.verifyTimeoutSeconds",
            "settings.http.https-enabled", "settings.http.ok",
        ]);
        assert.match(failures.find((f) => f.property === "connection.hostKey")!.reason, /pinned.*insecureIgnoreHostKey/);
    });

    it("accepts an explicit insecureIgnoreHostKey opt-in and a public key line pin", () => {
        assert.deepEqual(checkInputs({ ...good, connection: { host: "h", password: "p", insecureIgnoreHostKey: true } }), []);
        assert.deepEqual(checkInputs({ ...good, connection: { host: "h", password: "p", hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB4y host" } }), []);
        const bad = checkInputs({ ...good, connection: { host: "h", password: "p", hostKey: "d2:0f:aa" } });
        assert.equal(bad[0].property, "connection.hostKey");
    });

    it("skips unknown preview values", () => {
        assert.deepEqual(checkInputs({ ...good, path: UNKNOWN, settings: { http: UNKNOWN } }), []);
        assert.deepEqual(checkInputs({ ...good, settings: { http: { "https-certificate": UNKNOWN } } }), []);
    });

    it("refuses reserved table names and empty settings", () => {
        assert.equal(checkInputs({ ...good, settings: {} })[0].property, "settings");
        assert.equal(checkInputs({ ...good, settings: { "a#x": { k: 1 } } })[0].property, "settings.a#x");
    });

    it("refuses shell strings where argv arrays are expected", () => {
        const f = checkInputs({ ...good, service: { restart: "systemctl restart influxdb" } });
        assert.equal(f[0].property, "service.restart");
        assert.match(f[0].reason, /argv array/);
    });
});
