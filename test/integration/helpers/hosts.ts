/**
 * Test-side helpers for talking to sandbox hosts: SSH connections for the provider, TLS
 * material made with the real `openssl` on the host, and checks made from outside with the
 * real `influx` client and plain HTTP.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import type { SshConnection } from "../../../provider/ssh/types";
import { findHost, hostLayout, loadSandbox, onHost, run, sandboxUp, selectHosts, type HostState, type SandboxState } from "../../sandbox";

/** Brings the sandbox up if it is not (idempotent) and returns it. */
export async function sandbox(): Promise<SandboxState> {
    // exact: example programs configure every host in state.json, so not a bigger (npm start) sandbox.
    await sandboxUp({ hosts: selectHosts(["data1", "data2", "meta1", "tele1"]), exact: true });
    return loadSandbox();
}

/** A pinned root (or sudo-user) connection to a sandbox host, as a user would configure it. */
export function connectionTo(state: SandboxState, name: string, opts: { sudoUser?: boolean; hostKey?: string } = {}): SshConnection {
    const host = findHost(state, name);
    return {
        host: host.address,
        port: host.sshPort,
        user: opts.sudoUser ? state.users.sudo : "root",
        sudo: opts.sudoUser ? true : undefined,
        privateKey: fs.readFileSync(state.clientKeyPath, "utf8"),
        hostKey: opts.hostKey ?? host.hostKey,
        connectTimeoutSeconds: 10,
    };
}

/** The host's influxdb.conf as seen from outside its namespace (the bind-mount source). */
export function influxConfPath(host: HostState): string {
    return path.join(hostLayout(host.dir).etcInfluxdb, "influxdb.conf");
}

export function baselineInfluxConf(host: HostState): Buffer {
    return fs.readFileSync(hostLayout(host.dir).baselineInfluxdbConf);
}

/**
 * A self-signed certificate with an IP SAN for the host (Go clients reject CN-only certs),
 * made by the real openssl inside the host: cert root:root 0644, key influxdb 0600.
 */
export async function makeCertOnHost(host: HostState, base = "/etc/ssl/influxdb-test"): Promise<{ cert: string; key: string }> {
    const cert = `${base}.crt`;
    const key = `${base}.key`;
    await onHost(host.name, [
        "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", `/CN=${host.name}`, "-addext", `subjectAltName=IP:${host.address},DNS:${host.name},DNS:localhost`,
        "-keyout", key, "-out", cert,
    ]);
    await onHost(host.name, ["chown", "influxdb:influxdb", key]);
    await onHost(host.name, ["chmod", "0600", key]);
    return { cert, key };
}

/** `influx -ssl -unsafeSsl -host <addr> -execute 'SHOW DATABASES'` from this machine (the real client). */
export async function influxHttps(host: HostState): Promise<number> {
    const r = await run(["influx", "-ssl", "-unsafeSsl", "-host", host.address, "-execute", "SHOW DATABASES"], { allowFailure: true });
    return r.code;
}

export async function influxHttp(host: HostState): Promise<number> {
    const r = await run(["influx", "-host", host.address, "-execute", "SHOW DATABASES"], { allowFailure: true });
    return r.code;
}

/** Status of a plain-HTTP GET /ping (204 on HTTP, 400 when the port speaks HTTPS). */
export function plainPing(host: HostState): Promise<number | undefined> {
    return new Promise((resolve) => {
        const req = http.get({ host: host.address, port: 8086, path: "/ping", timeout: 3000 }, (res) => {
            res.resume();
            resolve(res.statusCode);
        });
        req.on("timeout", () => req.destroy());
        req.on("error", () => resolve(undefined));
    });
}

/** The service spec a data node uses in these tests. */
export function dataNodeService(host: HostState) {
    return {
        restart: ["systemctl", "restart", "influxdb"],
        verify: ["influx", "-ssl", "-unsafeSsl", "-host", host.address, "-execute", "SHOW DATABASES"],
        revertVerify: ["influx", "-host", host.address, "-execute", "SHOW DATABASES"],
        verifyTimeoutSeconds: 30,
    };
}

export function influxdPid(host: HostState): number | undefined {
    const f = path.join(hostLayout(host.dir).run, "influxdb.pid");
    return fs.existsSync(f) ? Number(fs.readFileSync(f, "utf8").trim()) : undefined;
}

/** `stat -c '%U:%G %a'` of a path inside the host (owner, group, octal mode). */
export async function statOnHost(host: HostState, path: string): Promise<string | undefined> {
    const r = await onHost(host.name, ["stat", "-c", "%U:%G %a", path], { allowFailure: true });
    return r.code === 0 ? r.stdout.trim() : undefined;
}

export async function readOnHost(host: HostState, path: string): Promise<string | undefined> {
    const r = await onHost(host.name, ["cat", path], { allowFailure: true });
    return r.code === 0 ? r.stdout : undefined;
}

/** A component's connection to a sandbox host: pinned with the host's public key line, as components require. */
export function componentConnection(state: SandboxState, name: string) {
    const c = connectionTo(state, name);
    return { host: c.host, port: c.port, user: c.user, privateKey: c.privateKey, hostKey: c.hostKey, connectTimeoutSeconds: 10 };
}

/** `influx -ssl` from this machine trusting only `caFile` (Go honours SSL_CERT_FILE): exit code. */
export async function influxHttpsTrusting(host: HostState, caFile: string): Promise<number> {
    const r = await run(["env", `SSL_CERT_FILE=${caFile}`, "influx", "-ssl", "-host", host.address, "-execute", "SHOW DATABASES"], { allowFailure: true });
    return r.code;
}

/**
 * The config files (influxdb.conf, telegraf.conf on Telegraf hosts, influxdb-meta.conf on meta hosts) of
 * `hosts` that differ from the sandbox's baseline, byte for byte; [] when all are back.
 */
export function configsDifferingFromBaseline(state: SandboxState, hosts: readonly string[]): string[] {
    const differ: string[] = [];
    for (const name of hosts) {
        const l = hostLayout(findHost(state, name).dir);
        const pairs: [string, string][] = [[path.join(l.etcInfluxdb, "influxdb.conf"), l.baselineInfluxdbConf]];
        // Telegraf hosts only have a telegraf.conf.
        if (fs.existsSync(l.baselineTelegrafConf)) pairs.push([path.join(l.etcTelegraf, "telegraf.conf"), l.baselineTelegrafConf]);
        if (fs.existsSync(l.baselineMetaConf)) pairs.push([path.join(l.etcInfluxdb, "influxdb-meta.conf"), l.baselineMetaConf]);
        for (const [live, base] of pairs) if (!fs.readFileSync(live).equals(fs.readFileSync(base))) differ.push(`${name}:${live}`);
    }
    return differ;
}
