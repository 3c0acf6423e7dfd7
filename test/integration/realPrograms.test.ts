/**
 * The real programs built from the Go module proxy, driven as a user would: influxd 1.13.2
 * (scripts/build-influxd.sh) with HTTPS, its `[tls]` section, its key-permission check and
 * `https-insecure-certificate`; Telegraf 1.37.2 (scripts/build-telegraf.sh) writing to it
 * through the real outputs.influxdb with `tls_ca`, without, with `insecure_skip_verify`, and
 * refusing keys it does not know (`ssl_ca` is one since 1.35). Certificates by the real
 * `openssl` on the host. Its own two hosts (127.0.<net+10>.61/.71, its own directory), so it
 * can break services without disturbing the shared sandbox.
 */
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import * as tls from "node:tls";
import { after, before, describe, it } from "node:test";
import {
    findHost, hostLayout, onHost, run, sandboxDown, sandboxUp, systemctl, TELEGRAF_VERSION, unitPid,
    type HostSpec, type HostState, type SandboxState,
} from "../sandbox";
import { sandboxNet } from "../sandbox/hosts";
import { logSince, logSize, settle } from "./helpers/units";
import { applyLineEdits } from "../sandbox/influxconf";
import { SANDBOX_TELEGRAF_MARK } from "../sandbox/telegrafconf";

const SIDE_NET = sandboxNet() + 10;
const HOSTS: HostSpec[] = [
    { name: "rdata1", address: `127.0.${SIDE_NET}.61`, roles: ["data"], influxd: "1.13.2" },
    { name: "rtele1", address: `127.0.${SIDE_NET}.71`, roles: ["telegraf"] },
];
const DATA = HOSTS[0]!.address;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const edit = (text: string, pairs: [string, string][]) => applyLineEdits(text, pairs.map(([from, to]) => ({ from, to })), [], "config");


/** GET /ping over plain HTTP: status and the version header. */
function plainPing(address: string): Promise<{ status: number; version?: string } | undefined> {
    return new Promise((resolve) => {
        const req = http.get({ host: address, port: 8086, path: "/ping", agent: false, timeout: 2000 }, (res) => {
            res.resume();
            resolve({ status: res.statusCode ?? 0, version: res.headers["x-influxdb-version"] as string | undefined });
        });
        req.on("timeout", () => req.destroy());
        req.on("error", () => resolve(undefined));
    });
}

/** A TLS handshake limited to `version` (no verification: this checks the server's protocol settings). */
function handshake(address: string, version: tls.SecureVersion): Promise<string> {
    return new Promise((resolve) => {
        const s = tls.connect({ host: address, port: 8086, rejectUnauthorized: false, minVersion: version, maxVersion: version }, () => {
            const got = s.getProtocol() ?? "?";
            s.end();
            resolve(got);
        });
        s.on("error", (e) => resolve(`error: ${e.message}`));
    });
}

describe("real influxd 1.13.2 and Telegraf 1.37.2 (built from Go modules)", { timeout: 300_000 }, () => {
    let dir: string;
    let state: SandboxState;
    let data: HostState;
    let tele: HostState;

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-real-programs-"));
        fs.chmodSync(dir, 0o755);
        state = await sandboxUp({ dir, hosts: HOSTS });
        [data, tele] = ["rdata1", "rtele1"].map((n) => findHost(state, n)) as [HostState, HostState];
    });
    after(async () => {
        await sandboxDown({ dir });
        fs.rmSync(dir, { recursive: true, force: true });
    });

    const on = (h: HostState, argv: string[]) => onHost(h.name, argv, { state, allowFailure: true });
    const influx = (q: string, db?: string) =>
        run(["influx", "-ssl", "-unsafeSsl", "-host", DATA, ...(db ? ["-database", db] : []), "-format", "csv", "-execute", q], { allowFailure: true });


    /** Writes influxdb.conf (baseline + edits), restarts influxd; returns the log offset before the restart. */
    async function restartInfluxd(pairs: [string, string][]): Promise<number> {
        const l = hostLayout(data.dir);
        fs.writeFileSync(path.join(l.etcInfluxdb, "influxdb.conf"), edit(fs.readFileSync(l.baselineInfluxdbConf, "utf8"), pairs));
        const from = logSize(data, "influxdb");
        assert.equal((await systemctl(data.name, "restart", "influxdb", { state })).code, 0);
        return from;
    }
    const https = (cert: string, key: string): [string, string][] => [
        ["  # https-enabled = false", "  https-enabled = true"],
        [`  # https-certificate = "/etc/ssl/influxdb.pem"`, `  https-certificate = "${cert}"`],
        [`  # https-private-key = ""`, `  https-private-key = "${key}"`],
    ];
    const servesHttps = async () => (await influx("SHOW DATABASES")).code === 0;

    let cert: X509Certificate;
    const CRT = "/etc/ssl/influxdb-real.crt";
    const KEY = "/etc/ssl/influxdb-real.key";

    describe("influxd 1.13.2", () => {
        before(async () => {
            const r = await on(data, ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=rdata1", "-addext", `subjectAltName=IP:${DATA},DNS:rdata1,DNS:localhost`, "-keyout", KEY, "-out", CRT]);
            assert.equal(r.code, 0, r.stderr);
            await on(data, ["chown", "influxdb:influxdb", KEY]);
            await on(data, ["chmod", "0600", KEY]);
            cert = new X509Certificate(fs.readFileSync(path.join(hostLayout(data.dir).etcSsl, path.basename(CRT))));
        });

        it("runs the real 1.13.2 as /usr/bin/influxd from upstream's default config, on plain HTTP", async () => {
            assert.equal(state.hosts.find((h) => h.name === "rdata1")!.influxd, "1.13.2");
            assert.match((await on(data, ["/usr/bin/influxd", "version"])).stdout, /^InfluxDB 1\.13\.2 /);
            const ping = await plainPing(DATA);
            assert.deepEqual(ping, { status: 204, version: "1.13.2" });
            const pid = unitPid(data, "influxdb")!;
            assert.equal(fs.statSync(`/proc/${pid}`).uid, Number((await run(["id", "-u", "influxdb"])).stdout));
        });

        it("HTTPS: /ping 204 over TLS with the configured certificate, 400 to plain HTTP", async () => {
            await restartInfluxd(https(CRT, KEY));
            assert.equal(await settle(state, data, "influxdb", servesHttps), "active");
            assert.equal((await plainPing(DATA))?.status, 400);
            const served = await new Promise<X509Certificate>((resolve, reject) => {
                const s = tls.connect({ host: DATA, port: 8086, rejectUnauthorized: false }, () => {
                    resolve(new X509Certificate(s.getPeerCertificate().raw));
                    s.end();
                });
                s.on("error", reject);
            });
            assert.equal(served.fingerprint256, cert.fingerprint256);
        });

        it("[tls] min-version = \"tls1.3\": a TLS 1.2 handshake is refused, 1.3 is served", async () => {
            await restartInfluxd([...https(CRT, KEY), [`  # min-version = "tls1.2"`, `  min-version = "tls1.3"`]]);
            assert.equal(await settle(state, data, "influxdb", servesHttps), "active");
            assert.equal(await handshake(DATA, "TLSv1.3"), "TLSv1.3");
            assert.match(await handshake(DATA, "TLSv1.2"), /^error: .*(protocol version|alert)/i);
        });

        it("[tls] max-version = \"tls1.2\": only TLS 1.2 is served", async () => {
            await restartInfluxd([...https(CRT, KEY), [`  # max-version = "tls1.3"`, `  max-version = "tls1.2"`]]);
            assert.equal(await settle(state, data, "influxdb", servesHttps), "active");
            assert.equal(await handshake(DATA, "TLSv1.2"), "TLSv1.2");
            assert.match(await handshake(DATA, "TLSv1.3"), /^error: /);
        });

        it("refuses a 0640 private key: \"file permissions are too open\" (1.12.3+), the service fails", async () => {
            await on(data, ["chmod", "0640", KEY]);
            const from = await restartInfluxd(https(CRT, KEY));
            assert.equal(await settle(state, data, "influxdb", servesHttps), "failed");
            assert.match(logSince(data, "influxdb", from),
                new RegExp(`file permissions are too open: for "${KEY.replace(/\./g, "\\.")}", maximum is 0600 \\(-rw-------\\) but found 0640`));
        });

        it("https-insecure-certificate = true serves with that 0640 key", async () => {
            await restartInfluxd([...https(CRT, KEY), ["  # https-insecure-certificate = false", "  https-insecure-certificate = true"]]);
            assert.equal(await settle(state, data, "influxdb", servesHttps), "active");
            await on(data, ["chmod", "0600", KEY]);
        });
    });

    describe("Telegraf 1.37.2 → influxd 1.13.2 over HTTPS", () => {
        const CA = "/etc/telegraf/influxdb-ca.pem";

        before(async () => {
            await restartInfluxd(https(CRT, KEY));
            assert.equal(await settle(state, data, "influxdb", servesHttps), "active");
            // Telegraf trusts the server's own self-signed certificate (the guide's best practice).
            fs.writeFileSync(path.join(hostLayout(tele.dir).etcTelegraf, "influxdb-ca.pem"), cert.toString());
        });

        /** The baseline telegraf.conf with the output pointed at the data host's HTTPS port, database `db`, and `extra` lines in it. */
        function telegrafConf(db: string, extra: string[] = []): string {
            const base = fs.readFileSync(hostLayout(tele.dir).baselineTelegrafConf, "utf8");
            const lines = [`  urls = ["https://${DATA}:8086"]`, `  database = "${db}"`, ...extra].join("\n");
            return edit(base, [[`  urls = ["http://rdata1:8086"]`, lines]]);
        }
        const once = async (text: string) => {
            fs.writeFileSync(path.join(hostLayout(tele.dir).etcTelegraf, "telegraf.conf"), text);
            return on(tele, ["telegraf", "--config", "/etc/telegraf/telegraf.conf", "--once"]);
        };
        const memPoints = async (db: string) => Number(/,(\d+)\s*$/.exec((await influx("SELECT count(total) FROM mem", db)).stdout.trim())?.[1] ?? 0);

        it("the service runs as telegraf from `telegraf config` of the 1.37.2 build; `telegraf --version` says so", async () => {
            assert.match((await on(tele, ["telegraf", "--version"])).stdout, new RegExp(`^Telegraf ${TELEGRAF_VERSION.replace(/\./g, "\\.")}`));
            const pid = unitPid(tele, "telegraf")!;
            assert.equal(fs.statSync(`/proc/${pid}`).uid, Number((await run(["id", "-u", "telegraf"])).stdout));
            // The release's default file, then the output a user adds (the default enables none: Telegraf would not start).
            const printed = (await on(tele, ["telegraf", "config"])).stdout;
            const conf = fs.readFileSync(path.join(hostLayout(tele.dir).etcTelegraf, "telegraf.conf"), "utf8");
            assert.ok(conf.startsWith(printed), "starts with `telegraf config`");
            assert.equal(conf.slice(printed.length), `\n${SANDBOX_TELEGRAF_MARK}\n[[outputs.influxdb]]\n  urls = ["http://rdata1:8086"]\n`);
            assert.match(printed, /^# \[\[outputs\.influxdb\]\]$/m);
            assert.match(printed, /^\[\[inputs\.mem\]\]$/m);
        });

        it("tls_ca = the server's certificate: --once writes over verified HTTPS", async () => {
            const r = await once(telegrafConf("real_ca", [`  tls_ca = "${CA}"`]));
            assert.equal(r.code, 0, r.stderr);
            assert.ok(await memPoints("real_ca") >= 1, "mem points arrived");
        });

        it("neither tls_ca nor insecure_skip_verify: --once fails on the unknown authority", async () => {
            const r = await once(telegrafConf("real_none"));
            assert.notEqual(r.code, 0);
            assert.match(r.stderr, /x509: certificate signed by unknown authority/);
            assert.equal(await memPoints("real_none"), 0);
        });

        it("insecure_skip_verify = true: --once writes over unverified HTTPS", async () => {
            const r = await once(telegrafConf("real_insecure", ["  insecure_skip_verify = true"]));
            assert.equal(r.code, 0, r.stderr);
            assert.ok(await memPoints("real_insecure") >= 1);
        });

        it("refuses unknown keys: tls-ca (a slip), and ssl_ca (removed in 1.35), before writing anything", async () => {
            for (const key of ["tls-ca", "ssl_ca"]) {
                const r = await once(telegrafConf("real_unknown", [`  ${key} = "${CA}"`]));
                assert.notEqual(r.code, 0, key);
                assert.match(r.stderr, new RegExp(`plugin outputs\\.influxdb: line \\d+: configuration specified the fields \\["${key}"\\], but they were not used`), key);
            }
            assert.equal(await memPoints("real_unknown"), 0);
        });

        it("the service refuses to start on an unknown key and runs again with a good file", async () => {
            const conf = path.join(hostLayout(tele.dir).etcTelegraf, "telegraf.conf");
            fs.writeFileSync(conf, telegrafConf("real_service", [`  tls-ca = "${CA}"`]));
            const from = logSize(tele, "telegraf");
            await systemctl(tele.name, "restart", "telegraf", { state });
            assert.equal(await settle(state, tele, "telegraf", async () => false), "failed");
            assert.match(logSince(tele, "telegraf", from), /configuration specified the fields \["tls-ca"\], but they were not used/);
            fs.writeFileSync(conf, fs.readFileSync(hostLayout(tele.dir).baselineTelegrafConf));
            await systemctl(tele.name, "restart", "telegraf", { state });
            await sleep(1500);
            assert.equal((await systemctl(tele.name, "is-active", "telegraf", { state, allowFailure: true })).stdout.trim(), "active");
        });
    });
});
