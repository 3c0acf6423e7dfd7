import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { conn } from "./fixtures";
import { installMocks, PEM, settle, unwrapSecret } from "./mockWorld";

const registered = installMocks();
import { DataNodeTls } from "../../../provider";

describe("provided and on-host certificates (mocks)", () => {
    it("a .pem bundle is installed once, with the key's owner and mode, and used for both keys", async () => {
        const node = new DataNodeTls("bundle", { connection: conn("127.0.10.1"), certificate: { provided: { bundlePem: PEM.key + PEM.cert } } });
        await settle(node.verified);
        const byName = (n: string) => registered.find((r) => r.name === n)!;
        assert.equal(registered.some((r) => r.name.startsWith("bundle-") && r.name.endsWith("-file")), false, "no file resources (transaction)");
        const cfg = byName("bundle-config").inputs;
        assert.deepEqual(cfg.files, [{ path: "/etc/ssl/influxdb.pem", mode: "0600", owner: "influxdb", group: "influxdb" }], "one file, the key's owner and mode");
        assert.deepEqual(unwrapSecret(cfg.fileContents), { secret: true, value: [PEM.key + PEM.cert] });
        assert.deepEqual(byName("bundle-config").inputs.settings.http,
            { "https-enabled": true, "https-certificate": "/etc/ssl/influxdb.pem", "https-private-key": "/etc/ssl/influxdb.pem" });
        assert.match(await settle(node.certificateSha256Fingerprint) ?? "", /^[0-9A-F:]{95}$/, "fingerprint of the bundle's certificate");
        // A CA-signed cert without a CA given: verified against the system store, no -unsafeSsl.
        assert.deepEqual(byName("bundle-config").inputs.service.verify, ["influx", "-ssl", "-host", "127.0.10.1", "-execute", "SHOW DATABASES"]);
    });

    it("one wildcard certificate shared by many nodes; files already on the host are only referenced", async () => {
        const wildcard = { certificatePem: PEM.cert, privateKeyPem: PEM.key, caCertificatePem: PEM.cert };
        const a = new DataNodeTls("wa", { connection: conn("a.example"), certificate: { provided: wildcard } });
        const b = new DataNodeTls("wb", { connection: conn("b.example"), certificate: { provided: wildcard } });
        const o = new DataNodeTls("onhost", {
            connection: conn("c.example"), certificate: { onHost: { certificatePath: "/etc/ssl/c.crt", privateKeyPath: "/etc/ssl/c.key", selfSigned: true } },
        });
        await Promise.all([settle(a.verified), settle(b.verified), settle(o.verified)]);
        const byName = (n: string) => registered.find((r) => r.name === n)!;
        assert.deepEqual(unwrapSecret(byName("wa-config").inputs.fileContents).value, unwrapSecret(byName("wb-config").inputs.fileContents).value);
        assert.deepEqual(unwrapSecret(byName("wa-config").inputs.fileContents).value, [PEM.cert, PEM.key, PEM.cert]);
        assert.equal(byName("onhost-config").inputs.files, undefined, "no files: nothing to write or put back");
        assert.equal(registered.filter((r) => r.name.startsWith("onhost-") && r.type === "command:remote:Command").length, 0);
        assert.deepEqual(byName("onhost-config").inputs.settings.http, { "https-enabled": true, "https-certificate": "/etc/ssl/c.crt", "https-private-key": "/etc/ssl/c.key" });
        assert.deepEqual(byName("onhost-config").inputs.service.verify, ["influx", "-ssl", "-unsafeSsl", "-host", "c.example", "-execute", "SHOW DATABASES"]);
        assert.equal(await settle(o.certificateSha256Fingerprint), undefined);
    });
});
