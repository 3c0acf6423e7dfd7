import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { redactArgv, redactText } from "../../../provider/ssh/redact";
import { CREDENTIALS_WRAPPER, credentialProblems, verifyInvocation, withCredentialsDuring, withoutCredentials } from "../../../provider/providers/tomlSettings/verifyCredentials";

describe("credentials are redacted from command lines quoted in errors", () => {
    it("flags followed by a credential, in the forms influx, influxd-ctl and curl take", () => {
        assert.deepEqual(redactArgv(["influx", "-username", "admin", "-password", "s3cret", "-execute", "SHOW DATABASES"]),
            ["influx", "-username", "admin", "-password", "[redacted]", "-execute", "SHOW DATABASES"]);
        assert.deepEqual(redactArgv(["influxd-ctl", "-auth-type", "basic", "-user", "a", "-pwd", "s3cret", "show"]),
            ["influxd-ctl", "-auth-type", "basic", "-user", "a", "-pwd", "[redacted]", "show"]);
        assert.deepEqual(redactArgv(["tool", "-p", "s3cret"]), ["tool", "-p", "[redacted]"]);
        assert.deepEqual(redactArgv(["tool", "--password=s3cret", "-secret", "x1"]), ["tool", "--password=[redacted]", "-secret", "[redacted]"]);
        assert.deepEqual(redactArgv(["influxd-ctl", "-auth-type", "jwt", "-secret", "s3cret", "show"])[4], "[redacted]");
    });

    it("password=… assignments, InfluxQL passwords and URL user info", () => {
        assert.equal(redactText("curl https://h:8086/query?u=admin&p=s3cret&q=SHOW"), "curl https://h:8086/query?u=admin&p=[redacted]&q=SHOW");
        assert.equal(redactText("password=s3cret other"), "password=[redacted] other");
        assert.equal(redactText("CREATE USER a WITH PASSWORD 's3cret' WITH ALL PRIVILEGES"), "CREATE USER a WITH PASSWORD [redacted] WITH ALL PRIVILEGES");
        assert.equal(redactText("SET PASSWORD FOR a = 's3cret'"), "SET PASSWORD FOR a = [redacted]");
        assert.equal(redactText("https://admin:s3cret@h:8086/ping"), "https://admin:[redacted]@h:8086/ping");
        assert.equal(redactText("echoed s3cret back", ["s3cret"]), "echoed [redacted] back");
    });

    it("leaves ordinary commands alone", () => {
        const argv = ["env", "SSL_CERT_FILE=/etc/ssl/influxdb-ca.pem", "influx", "-ssl", "-host", "127.0.10.1", "-port", "8086", "-execute", "SHOW DATABASES"];
        assert.deepEqual(redactArgv(argv), argv);
    });
});

describe("verify credentials travel on stdin to a constant wrapper", () => {
    it("argv holds the wrapper and the command, never the credentials", () => {
        const r = verifyInvocation(["influx", "-execute", "SHOW DATABASES"], { username: "admin", password: "s3cret" });
        assert.deepEqual(r.argv, ["sh", "-c", CREDENTIALS_WRAPPER, "pitls-verify", "influx", "-execute", "SHOW DATABASES"]);
        assert.equal(r.stdin, "admin\ns3cret\n");
        assert.ok(!r.argv.join(" ").includes("s3cret"));
        assert.deepEqual(verifyInvocation(["true"]), { argv: ["true"] });
    });

    it("the wrapper exports both variables and runs the command with stdin closed", () => {
        const { execFileSync } = require("node:child_process") as typeof import("node:child_process");
        const r = verifyInvocation(["sh", "-c", 'printf "%s|%s|" "$INFLUX_USERNAME" "$INFLUX_PASSWORD"; cat'], { username: "a d", password: "p'w\"$x" });
        assert.equal(execFileSync(r.argv[0], r.argv.slice(1), { input: r.stdin, encoding: "utf8" }), "a d|p'w\"$x|");
    });

    it("check refuses malformed credentials without quoting them; the service output never holds them", () => {
        assert.deepEqual(credentialProblems(undefined), []);
        assert.match(credentialProblems({ username: "a", password: "x\ny" })[0].reason, /line breaks/);
        assert.ok(!JSON.stringify(credentialProblems({ username: "a", password: "x\ny" })).includes("x\\ny"));
        assert.match(credentialProblems({ username: "", password: "p" })[0].reason, /username must be a non-empty string/);
        const outs = withoutCredentials({ service: { restart: ["r"], verifyCredentials: { username: "a", password: "p" } } } as any);
        assert.deepEqual(outs.service, { restart: ["r"] });
    });

    it("an init failure's properties (stored by the engine like outputs) lose the credentials too", async () => {
        const failure = Object.assign(new Error("x"), { id: "i", properties: { service: { restart: ["r"], verifyCredentials: { username: "a", password: "p" } } }, reasons: ["x"] });
        await assert.rejects(withCredentialsDuring(async () => { throw failure; }), (e: any) => {
            assert.deepEqual(e.properties.service, { restart: ["r"] });
            return true;
        });
    });
});
