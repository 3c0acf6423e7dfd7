/**
 * The fault matrix's world: data1 of the sandbox, a DataNodeTls program (provided CA-signed
 * certificate, files written in the config's own transaction — the default installer —,
 * restart/verify through the fault wrappers) driven by the mock-driven harness — real SSH, the real serialized providers — and the checks every cell
 * makes on the real host afterwards.
 */
import * as fs from "node:fs";
import { parse } from "smol-toml";
import { DataNodeTls } from "../../provider";
import type { TomlEdit } from "../../provider/toml/types";
import { DeploymentError, runProgram, type Deployment } from "../harness";
import { findHost, hostLayout, onHost, resetHost, type HostState, type SandboxState } from "../sandbox";
import { influxHttps, plainPing } from "../integration/helpers/hosts";
import type { FaultCerts, Pair } from "./certs";
import { Wrappers } from "./inject/wrappers";
import { TcpProxy } from "./inject/proxy";

export type Op = "create" | "update" | "rotation" | "refresh" | "delete";
export const OPS: readonly Op[] = ["create", "update", "rotation", "refresh", "delete"];

export const CONFIG = "/etc/influxdb/influxdb.conf";
export const CONFIG_DIR = "/etc/influxdb";
const FILES = ["/etc/ssl/influxdb.crt", "/etc/ssl/influxdb.key", "/etc/ssl/influxdb-ca.pem"];
/**
 * Seconds of verify retries. influxd 1.6.7 needs 1–4 s to listen after a restart on two busy
 * cores; scenarios whose verify is made to fail use `quickVerify` to keep cells short.
 */
const VERIFY_TIMEOUT = 8;
const QUICK_VERIFY_TIMEOUT = 4;

/** How the program reaches data1. */
export type Via = "direct" | "proxy" | "sudo";

/** One version of the program. */
export interface Version {
    readonly pair: Pair;
    /** An extra key in [http] (the "update" of the chain). */
    readonly edited: boolean;
    readonly extraEdits?: TomlEdit[];
    readonly keyOwner?: string;
    /** Connection fields replacing the defaults (wrong key, password…). */
    readonly conn?: Record<string, unknown>;
}

export class World {
    readonly host: HostState;
    readonly wrappers: Wrappers;
    readonly proxy: TcpProxy;
    readonly clientKey: string;
    d: Deployment | undefined;
    current: Version | undefined;
    /** Lines a third party appended to the config (scenario 13): kept by every later step. */
    thirdParty = "";
    via: Via = "direct";
    /** SSH connect timeout of the chain (a handshake can take seconds on two busy cores). */
    connectTimeout = 10;
    /** Shorter verify timeout for the whole chain (scenarios that make verify fail on purpose). */
    quickVerify = false;
    readonly log: string[] = [];

    constructor(readonly state: SandboxState, readonly certs: FaultCerts, proxyAddress: string, hostName = "data1") {
        this.host = findHost(state, hostName);
        this.wrappers = new Wrappers(this.host);
        this.proxy = new TcpProxy(proxyAddress, 2222, { host: this.host.address, port: this.host.sshPort });
        this.clientKey = fs.readFileSync(state.clientKeyPath, "utf8");
    }

    get address(): string {
        return this.host.address;
    }

    connection(v: Version): Record<string, unknown> {
        const base: Record<string, unknown> = {
            host: this.address, port: this.host.sshPort, user: "root", privateKey: this.clientKey,
            hostKey: this.host.hostKey, connectTimeoutSeconds: this.connectTimeout,
        };
        if (this.via === "proxy") Object.assign(base, { host: this.proxy.address, port: this.proxy.port });
        if (this.via === "sudo") Object.assign(base, { user: this.state.users.sudo, sudo: true });
        return { ...base, ...(v.conn ?? {}) };
    }

    program(v: Version): () => void {
        const addr = this.address;
        const edits: TomlEdit[] = [...(v.edited ? [{ table: "http", set: { "max-connection-limit": 77 } }] : []), ...(v.extraEdits ?? [])];
        return () => {
            new DataNodeTls(this.host.name, {
                connection: this.connection(v) as never,
                hostname: addr,
                certificate: { provided: { certificatePem: v.pair.certificatePem, privateKeyPem: v.pair.privateKeyPem, caCertificatePem: this.certs.caPem } },
                restartCommand: [Wrappers.command("restart"), "systemctl", "restart", "influxdb"],
                verifyCommand: [Wrappers.command("verify"), "env", "SSL_CERT_FILE=/etc/ssl/influxdb-ca.pem", "influx", "-ssl", "-host", addr, "-execute", "SHOW DATABASES"],
                revertVerifyCommand: [Wrappers.command("revert"), "influx", "-host", addr, "-execute", "SHOW DATABASES"],
                verifyTimeoutSeconds: this.quickVerify ? QUICK_VERIFY_TIMEOUT : VERIFY_TIMEOUT,
                ...(edits.length > 0 ? { extraEdits: edits } : {}),
                ...(v.keyOwner ? { privateKeyOwner: v.keyOwner, privateKeyGroup: v.keyOwner } : {}),
            });
        };
    }

    /** The good version an operation moves to, from the current one. */
    next(op: Op): Version {
        const cur = this.current ?? { pair: this.certs.a, edited: false };
        switch (op) {
            case "create": return { pair: this.certs.a, edited: false };
            case "update": return { ...cur, edited: true };
            case "rotation": return { ...cur, pair: cur.pair === this.certs.b ? this.certs.a : this.certs.b };
            default: return cur;
        }
    }

    /** Runs one operation of the chain; the deployment survives failures (err.deployment). */
    async run(op: Op, v: Version): Promise<void> {
        try {
            if (op === "create" && !this.d) {
                this.d = await runProgram(this.program(v), { log: (l) => { this.log.push(l); if (process.env.PITLS_FAULTS_DEBUG) console.error(`[harness] ${l}`); } });
            } else if (op === "create") {
                // A failed create left what it recorded (init failures): the next up continues from it.
                await this.d!.update(this.program(v));
            } else if (op === "refresh") {
                if (this.d) await this.d.refresh();
            } else if (op === "delete") {
                if (this.d) await this.d.destroy();
            } else {
                await this.d!.update(this.program(v));
            }
            if (op === "delete") {
                this.d = undefined;
                this.current = undefined;
            } else if (op !== "refresh") {
                this.current = v;
            }
        } catch (e) {
            if (e instanceof DeploymentError) this.d = e.deployment;
            throw e;
        }
    }

    /** Reads a file inside the host (through its mounts and symlinks); undefined when absent. */
    async read(path: string): Promise<Buffer | undefined> {
        const r = await onHost(this.host.name, ["sh", "-c", `[ -e "$1" ] || exit 3; base64 -w0 -- "$1"`, "sh", path], { allowFailure: true, state: this.state });
        return r.code === 0 ? Buffer.from(r.stdout, "base64") : undefined;
    }

    async snapshot(): Promise<Snapshot> {
        const files: Record<string, Buffer | undefined> = {};
        for (const f of [CONFIG, ...FILES]) files[f] = await this.read(f);
        return files;
    }

    baselineConfig(): Buffer {
        return Buffer.concat([fs.readFileSync(hostLayout(this.host.dir).baselineInfluxdbConf), Buffer.from(this.thirdParty)]);
    }

    /** The file's expected bytes for a version (undefined: not checked). */
    intended(v: Version | undefined): Record<string, Buffer | undefined> {
        if (!v) return { [FILES[0]]: undefined, [FILES[1]]: undefined, [FILES[2]]: undefined };
        return { [FILES[0]]: Buffer.from(v.pair.certificatePem), [FILES[1]]: Buffer.from(v.pair.privateKeyPem), [FILES[2]]: Buffer.from(this.certs.caPem) };
    }

    /**
     * The service answers on the protocol its config says (HTTPS: `influx -ssl`, HTTP: plain
     * /ping 204), within a few seconds (a restart may still be under way). Returns a problem or undefined.
     */
    async serviceProblem(): Promise<string | undefined> {
        const conf = await this.read(CONFIG);
        if (!conf) return "the config file is missing";
        let https: boolean;
        try {
            const http = (parse(conf.toString("utf8")) as { http?: Record<string, unknown> }).http ?? {};
            https = http["https-enabled"] === true;
        } catch (e) {
            return `the config does not parse: ${(e as Error).message.split("\n")[0]}`;
        }
        const deadline = Date.now() + 8000;
        let last = "";
        while (Date.now() < deadline) {
            if (https) {
                const code = await influxHttps(this.host);
                if (code === 0) return undefined;
                last = `influx -ssl exit ${code}`;
            } else {
                const status = await plainPing(this.host);
                if (status === 204) return undefined;
                last = `plain /ping ${status ?? "no answer"}`;
            }
            await new Promise((r) => setTimeout(r, 300));
        }
        return `service not answering on ${https ? "HTTPS" : "HTTP"} as its config says (${last})`;
    }

    /** Back to the sandbox baseline after a broken cell: best-effort destroy, then resetHost. */
    async hardReset(): Promise<void> {
        this.wrappers.disarmAll();
        if (this.d) {
            try {
                await this.d.destroy();
            } catch {
                /* the reset below repairs what destroy could not */
            }
        }
        this.d = undefined;
        this.current = undefined;
        this.thirdParty = "";
        await resetHost(this.host.name, this.state);
        for (const f of FILES) await onHost(this.host.name, ["rm", "-f", f], { state: this.state });
    }
}

export type Snapshot = Record<string, Buffer | undefined>;
