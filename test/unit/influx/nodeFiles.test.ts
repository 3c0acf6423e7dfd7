import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileSpecProblems } from "../../../provider/files";
import { nodeFiles, NODE_CA_PATH } from "../../../provider/influx";

describe("influx: the files a node gets", () => {
    it("the guide's names per layout; certificate root's 0644, key the service user's 0600", () => {
        const self = nodeFiles("selfSigned", "influxdb", {});
        assert.deepEqual(self.cert, { path: "/etc/ssl/influxdb-selfsigned.crt", mode: "0644", owner: "root", group: "root" });
        assert.deepEqual(self.key, { path: "/etc/ssl/influxdb-selfsigned.key", mode: "0600", owner: "influxdb", group: "influxdb" });
        const ca = nodeFiles("caSigned", "influxdb", {});
        assert.deepEqual([ca.cert.path, ca.key.path], ["/etc/ssl/influxdb.crt", "/etc/ssl/influxdb.key"]);
        assert.deepEqual(ca.ca, { path: NODE_CA_PATH, mode: "0644", owner: "root", group: "root" });
    });

    it("a bundle is one file for both keys, with the key's owner and mode (it holds the key)", () => {
        const b = nodeFiles("bundle", "influxdb", { certificateMode: "0644", certificateOwner: "root" });
        assert.deepEqual(b.cert, { path: "/etc/ssl/influxdb.pem", mode: "0600", owner: "influxdb", group: "influxdb" });
        assert.deepEqual(b.key, b.cert);
        const moved = nodeFiles("bundle", "influxdb", { certificatePath: "/srv/tls/node.pem", privateKeyPath: "/ignored.key", privateKeyMode: "0400" });
        assert.deepEqual([moved.cert.path, moved.key.path, moved.key.mode], ["/srv/tls/node.pem", "/srv/tls/node.pem", "0400"]);
    });

    it("every argument overrides its default, and nothing else", () => {
        const f = nodeFiles("caSigned", "influxdb", {
            certificatePath: "/a.crt", privateKeyPath: "/a.key", caCertificatePath: "/ca.pem", certificateOwner: "u", certificateGroup: "g",
            certificateMode: "0640", privateKeyOwner: "k", privateKeyGroup: "kg", privateKeyMode: "0400",
        });
        assert.deepEqual(f, {
            cert: { path: "/a.crt", mode: "0640", owner: "u", group: "g" },
            key: { path: "/a.key", mode: "0400", owner: "k", group: "kg" },
            ca: { path: "/ca.pem", mode: "0644", owner: "root", group: "root" },
        });
    });

    it("the defaults pass the file-writing contract's own checks", () => {
        for (const layout of ["selfSigned", "caSigned", "bundle"] as const) {
            const f = nodeFiles(layout, "influxdb", {});
            assert.deepEqual([f.cert, f.key, f.ca].flatMap((s) => fileSpecProblems(layout, s)), []);
        }
    });
});
