import assert from "node:assert/strict";
import { frame, sha256Hex } from "../../../provider/files";
import { describe, it } from "node:test";
import { CLIENT_KEY, HOST_KEY } from "./fixtures";
import { installMocks, PEM, settle, unwrapSecret } from "./mockWorld";

const registered = installMocks();
import { DataNodeTls } from "../../../provider";




describe("DataNodeTls wiring (mocks)", () => {
    it("default fileInstaller \"transaction\": the files are inputs of the config resource (paths reviewable, contents secret), no file resources", async () => {
        const node = new DataNodeTls("data0", {
            connection: { host: "127.0.10.9", privateKey: CLIENT_KEY, hostKey: HOST_KEY },
            certificate: { selfSigned: {} },
        });
        await settle(node.verified);
        const mine = registered.filter((r) => r.name.startsWith("data0"));
        assert.deepEqual(mine.map((r) => `${r.type} ${r.name}`).sort(), [
            "influxdb-tls:index:DataNodeTls data0",
            "pulumi-nodejs:dynamic/influxdb-tls:TomlSettings data0-config",
            "tls:index/privateKey:PrivateKey data0-key",
            "tls:index/selfSignedCert:SelfSignedCert data0-cert",
        ]);
        const config = mine.find((r) => r.name === "data0-config")!;
        assert.deepEqual(config.inputs.files, [
            { path: "/etc/ssl/influxdb-selfsigned.crt", mode: "0644", owner: "root", group: "root" },
            { path: "/etc/ssl/influxdb-selfsigned.key", mode: "0600", owner: "influxdb", group: "influxdb" },
        ]);
        assert.equal(unwrapSecret(config.inputs.files).secret, false, "paths, owners and modes stay reviewable");
        const contents = unwrapSecret(config.inputs.fileContents);
        assert.equal(contents.secret, true, "file contents are a secret input");
        assert.deepEqual(contents.value, [PEM.cert, PEM.key]);
        // A rewritten file restarts the service inside the transaction: no write-id triggers.
        assert.deepEqual(config.inputs.restartTriggers, {});
    });

    it("self-signed: key, cert, files, then config — with the guide's defaults and the erratum fixes (fileInstaller command)", async () => {
        const node = new DataNodeTls("data1", {
            connection: { host: "127.0.10.1", privateKey: CLIENT_KEY, hostKey: HOST_KEY },
            certificate: { selfSigned: {} },
            fileInstaller: "command",
        });
        assert.equal(await settle(node.url), "https://127.0.10.1:8086");
        await settle(node.verified);
        const byName = (n: string) => registered.find((r) => r.name === n)!;
        assert.deepEqual(registered.filter((r) => r.name.startsWith("data1")).map((r) => `${r.type} ${r.name}`).sort(), [
            "command:remote:Command data1-cert-file",
            "command:remote:Command data1-key-file",
            "influxdb-tls:index:DataNodeTls data1",
            "pulumi-nodejs:dynamic/influxdb-tls:TomlSettings data1-config",
            "tls:index/privateKey:PrivateKey data1-key",
            "tls:index/selfSignedCert:SelfSignedCert data1-cert",
        ]);
        const component = byName("data1");
        for (const child of ["data1-key", "data1-cert", "data1-cert-file", "data1-key-file", "data1-config"]) {
            assert.equal(byName(child).parent, component.urn, `${child} is a child of the component`);
        }
        // RSA 2048 as the guide; SANs for the address; server-auth uses.
        assert.deepEqual(byName("data1-key").inputs, { algorithm: "RSA", rsaBits: 2048 });
        const cert = byName("data1-cert").inputs;
        assert.deepEqual(cert.ipAddresses, ["127.0.10.1"]);
        assert.deepEqual(cert.dnsNames, []);
        assert.equal(cert.validityPeriodHours, 365 * 24);
        assert.ok(cert.allowedUses.includes("server_auth"));

        // Files: key owned by the service user, 0600 (guide erratum 4), content only on stdin.
        const keyFile = byName("data1-key-file").inputs;
        assert.match(keyFile.create, /pitls-write \/etc\/ssl\/influxdb-selfsigned\.key 0600 influxdb influxdb any$/);
        assert.equal(keyFile.logging, "none");
        assert.equal(unwrapSecret(keyFile.stdin).secret, true);
        // Framed (length + SHA-256 header) on stdin; the hash of the key only there, in the secret.
        assert.equal(unwrapSecret(keyFile.stdin).value, frame(PEM.key));
        assert.equal(unwrapSecret(keyFile.delete).secret, false, "the delete command is constant, reviewable text");
        assert.ok(!JSON.stringify(keyFile.delete).includes(sha256Hex(PEM.key)), "no hash of the key in any command");
        assert.deepEqual(keyFile.triggers, ["127.0.10.1:22", "/etc/ssl/influxdb-selfsigned.key"], "host or path change replaces");
        const certFile = byName("data1-cert-file").inputs;
        assert.match(certFile.create, /pitls-write \/etc\/ssl\/influxdb-selfsigned\.crt 0644 root root any$/);
        assert.equal(unwrapSecret(certFile.connection).secret, true);
        assert.equal(unwrapSecret(certFile.connection).value.hostKey, HOST_KEY, "host key pinned");
        for (const r of registered.filter((x) => x.type === "command:remote:Command")) {
            for (const field of ["create", "delete"]) {
                const text = JSON.stringify(unwrapSecret(r.inputs[field]).value);
                assert.ok(!text.includes("PRIVATE KEY"), `${r.name}.${field} carries no key material`);
                assert.ok(!text.includes("CLIENTKEYBYTES"));
            }
        }
        // Config after the files; keys in the right sections.
        const config = byName("data1-config");
        assert.ok(config.dependencies.includes(byName("data1-key-file").urn!));
        assert.ok(config.dependencies.includes(byName("data1-cert-file").urn!));
        assert.deepEqual(config.inputs.settings, {
            http: { "https-enabled": true, "https-certificate": "/etc/ssl/influxdb-selfsigned.crt", "https-private-key": "/etc/ssl/influxdb-selfsigned.key" },
            meta: { "meta-tls-enabled": true },
        });
        assert.equal(config.inputs.path, "/etc/influxdb/influxdb.conf");
        assert.deepEqual(config.inputs.service.restart, ["systemctl", "restart", "influxdb"]);
        assert.deepEqual(config.inputs.service.verify, ["influx", "-ssl", "-unsafeSsl", "-host", "127.0.10.1", "-execute", "SHOW DATABASES"]);
        assert.deepEqual(config.inputs.service.revertVerify, ["influx", "-host", "127.0.10.1", "-execute", "SHOW DATABASES"]);
        // A service that exited ends verification at once, with its own log lines in the error.
        assert.deepEqual(config.inputs.service.status, ["systemctl", "is-active", "influxdb"]);
        assert.deepEqual(config.inputs.service.logs, ["journalctl", "-u", "influxdb", "-n", "20", "--no-pager", "-o", "cat"]);
        const fingerprint = await settle(node.certificateSha256Fingerprint);
        assert.match(fingerprint ?? "", /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
        // A (re)written certificate or key file restarts the service: the files' write ids, which
        // are not derived from content, so nothing derived from the key is stored in plain text.
        assert.deepEqual(config.inputs.restartTriggers, { certFile: "data1-cert-file-w1", keyFile: "data1-key-file-w1" });
    });

    it("a custom restart command gets no systemd status/log defaults (its service may be unknown to systemd); explicit ones are used", async () => {
        new DataNodeTls("data7", {
            connection: { host: "127.0.10.7", privateKey: CLIENT_KEY, hostKey: HOST_KEY },
            certificate: { selfSigned: {} },
            restartCommand: ["/opt/influxdb/restart.sh"],
        });
        new DataNodeTls("data8", {
            connection: { host: "127.0.10.8", privateKey: CLIENT_KEY, hostKey: HOST_KEY },
            certificate: { selfSigned: {} },
            restartCommand: ["/opt/influxdb/restart.sh"],
            statusCommand: ["/opt/influxdb/running.sh"],
            logCommand: ["tail", "-n", "20", "/var/log/influxdb.log"],
        });
        const service = async (n: string) => {
            for (let i = 0; i < 50 && !registered.some((r) => r.name === n); i++) await new Promise((r) => setTimeout(r, 10));
            return registered.find((r) => r.name === n)!.inputs.service;
        };
        const s7 = await service("data7-config");
        assert.deepEqual([s7.restart, s7.status, s7.logs], [["/opt/influxdb/restart.sh"], undefined, undefined]);
        const s8 = await service("data8-config");
        assert.deepEqual([s8.status, s8.logs], [["/opt/influxdb/running.sh"], ["tail", "-n", "20", "/var/log/influxdb.log"]]);
    });

    it("rejects bad input before creating anything, naming every problem", () => {
        assert.throws(() => new DataNodeTls("bad", {
            connection: { host: "h", privateKey: "k", hostKey: "SHA256:" + "A".repeat(43) },
            certificate: { selfSigned: { ecdsaCurve: "P224" as any, algorithm: "ECDSA" }, provided: { bundlePem: "x" } },
            extraEdits: [{ table: "http", set: { "http-certificate": "/x" } }],
            fileInstaller: "command",
        }), (e: Error) => {
            assert.match(e.message, /exactly one of selfSigned, provided, onHost, issuedBy \(got selfSigned, provided\)/);
            assert.match(e.message, /public key line/);
            assert.match(e.message, /"http-certificate" .* use "https-certificate"/);
            return true;
        });
        assert.throws(() => new DataNodeTls("bad2", {
            connection: { host: "h", privateKey: "k", hostKey: HOST_KEY },
            certificate: { selfSigned: { ecdsaCurve: "P224" as any, algorithm: "ECDSA" } },
            privateKeyMode: "600x",
        }), /ecdsaCurve must be "P256" or "P384"[\s\S]*mode "600x" is not an octal mode/);
        assert.throws(() => new DataNodeTls("bad3", {
            connection: { host: "h", privateKey: "k", hostKey: HOST_KEY },
            certificate: { selfSigned: {} },
            fileInstaller: "scp" as never,
        }), /DataNodeTls bad3: fileInstaller: "scp" is not one of "transaction", "command", "ssh"/);
        assert.equal(registered.filter((r) => r.name.startsWith("bad")).length, 0);
    });
});
