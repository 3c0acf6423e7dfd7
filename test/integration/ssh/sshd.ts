/**
 * A throwaway OpenSSH server for integration tests: fresh ed25519 host key, its own
 * config, pid file and authorized_keys in a temp dir, listening on 127.0.0.1 on a free
 * port, killed by PID when the test file ends. Needs root (sshd drops privileges itself).
 */
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SshConnection } from "../../../provider/ssh";

export interface KeyPair {
    readonly privateKey: string;
    /** "ssh-ed25519 AAAA… comment" */
    readonly publicLine: string;
}

/** One of the server's host keys. */
export interface HostKeyInfo {
    /** "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa". */
    readonly type: string;
    readonly line: string;
    readonly fingerprint: string;
}

export interface SshdOptions {
    /** Listen address (default 127.0.0.1), e.g. one of the test hosts' loopback addresses. */
    readonly host?: string;
    /** Host key types, first = the ed25519 key `hostKeyLine` describes. Default ["ed25519"]. */
    readonly hostKeyTypes?: readonly ("ed25519" | "ecdsa" | "rsa")[];
}

export interface TestSshd {
    readonly host: string;
    readonly port: number;
    readonly dir: string;
    /** Host public key line and its SHA256 fingerprint (from ssh-keygen -lf). */
    readonly hostKeyLine: string;
    readonly hostKeyFingerprint: string;
    /** Every host key the server has, in HostKey order. */
    readonly hostKeys: () => readonly HostKeyInfo[];
    /** Replace every host key with a fresh one and make sshd reload (SIGHUP): a host re-installed since it was pinned. */
    regenerateHostKeys(): Promise<void>;
    /** Key pair authorized for root. */
    readonly rootKey: KeyPair;
    /** A fresh key pair (optionally passphrase-protected) in the temp dir. */
    keygen(name: string, passphrase?: string, type?: string): KeyPair;
    /** Add a public key line to `user`'s authorized keys (a file in the temp dir). */
    authorize(user: string, publicLine: string): void;
    /** A pinned root connection with the root key; `extra` overrides. */
    conn(extra?: Partial<SshConnection>): SshConnection;
    /** sshd's stderr so far (for assertion messages). */
    log(): string;
    stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = createServer();
        srv.once("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const addr = srv.address();
            const port = typeof addr === "object" && addr ? addr.port : 0;
            srv.close(() => resolve(port));
        });
    });
}

/** A TCP server that accepts connections and never says a word (a black hole for the SSH banner). */
export async function silentServer(host = "127.0.0.1", port = 0): Promise<{ server: Server; port: number; count: () => number }> {
    let n = 0;
    const sockets: Socket[] = [];
    const server = createServer((sock) => {
        n++;
        sockets.push(sock);
    });
    server.on("close", () => sockets.forEach((s) => s.destroy()));
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, resolve);
    });
    const addr = server.address();
    return { server, port: typeof addr === "object" && addr ? addr.port : 0, count: () => n };
}

/** Resolve once the port answers with an SSH banner. */
async function waitForBanner(host: string, port: number, child: ChildProcess, log: () => string): Promise<void> {
    const deadline = Date.now() + 15000;
    while (Date.now() < deadline) {
        if (child.exitCode !== null) {
            throw new Error(`sshd exited with ${child.exitCode}:\n${log()}`);
        }
        const ok = await new Promise<boolean>((resolve) => {
            const s = createConnection({ host, port });
            s.once("data", (d) => {
                s.destroy();
                resolve(d.toString().startsWith("SSH-"));
            });
            s.once("error", () => resolve(false));
            s.setTimeout(1000, () => {
                s.destroy();
                resolve(false);
            });
        });
        if (ok) {
            return;
        }
        await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`sshd did not answer on port ${port}:\n${log()}`);
}

export async function startSshd(opts: SshdOptions = {}): Promise<TestSshd> {
    const listen = opts.host ?? "127.0.0.1";
    const dir = mkdtempSync(join(tmpdir(), "pitls-sshd-"));
    // sshd reads authorized keys as the target user: let non-root test users traverse the dir.
    chmodSync(dir, 0o755);
    const akDir = join(dir, "authorized_keys");
    mkdirSync(akDir, { mode: 0o755 });
    mkdirSync("/run/sshd", { recursive: true, mode: 0o755 }); // privilege separation dir

    const keygen = (name: string, passphrase = "", type = "ed25519"): KeyPair => {
        const file = join(dir, name);
        execFileSync("ssh-keygen", ["-q", "-t", type, "-N", passphrase, "-C", `pitls-test-${name}`, "-f", file]);
        return { privateKey: readFileSync(file, "utf8"), publicLine: readFileSync(file + ".pub", "utf8").trim() };
    };
    const types = opts.hostKeyTypes ?? ["ed25519"];
    const hostKeyFiles = types.map((t) => join(dir, `ssh_host_${t}_key`));
    const makeHostKeys = (): HostKeyInfo[] =>
        types.map((t, i) => {
            rmSync(hostKeyFiles[i], { force: true });
            rmSync(hostKeyFiles[i] + ".pub", { force: true });
            execFileSync("ssh-keygen", ["-q", "-t", t, "-N", "", "-f", hostKeyFiles[i]]);
            const line = readFileSync(hostKeyFiles[i] + ".pub", "utf8").trim();
            const fingerprint = execFileSync("ssh-keygen", ["-lf", hostKeyFiles[i] + ".pub"], { encoding: "utf8" }).split(" ")[1];
            return { type: line.split(" ")[0], line, fingerprint };
        });
    let hostKeys = makeHostKeys();
    const hostKeyLine = hostKeys[0].line;
    const hostKeyFingerprint = hostKeys[0].fingerprint;

    const authorize = (user: string, publicLine: string): void => {
        const f = join(akDir, user);
        appendFileSync(f, publicLine + "\n");
        chmodSync(f, 0o644);
    };
    const rootKey = keygen("root_key");
    authorize("root", rootKey.publicLine);

    const port = await freePort();
    const config = join(dir, "sshd_config");
    writeFileSync(
        config,
        [
            `ListenAddress ${listen}:${port}`,
            ...hostKeyFiles.map((f) => `HostKey ${f}`),
            `PidFile ${join(dir, "sshd.pid")}`,
            `AuthorizedKeysFile ${akDir}/%u`,
            "StrictModes no",
            "UsePAM no",
            "PermitRootLogin prohibit-password",
            "PasswordAuthentication yes",
            "KbdInteractiveAuthentication no",
            "AllowTcpForwarding yes",
            "MaxStartups 100:30:200",
            "LogLevel VERBOSE",
            "Subsystem sftp internal-sftp",
            "",
        ].join("\n"),
    );
    const child = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const log = (): string => stderr;
    try {
        await waitForBanner(listen, port, child, log);
    } catch (e) {
        child.kill("SIGKILL");
        rmSync(dir, { recursive: true, force: true });
        throw e;
    }

    return {
        host: listen,
        port,
        dir,
        hostKeyLine,
        hostKeyFingerprint,
        hostKeys: () => hostKeys,
        regenerateHostKeys: async () => {
            hostKeys = makeHostKeys();
            const before = stderr.length;
            process.kill(child.pid!, "SIGHUP");
            // sshd re-executes itself on SIGHUP; wait until it listens again with the new keys.
            for (let i = 0; i < 100 && !stderr.slice(before).includes("Server listening"); i++) {
                await new Promise((r) => setTimeout(r, 50));
            }
            await waitForBanner(listen, port, child, log);
        },
        rootKey,
        keygen,
        authorize,
        conn: (extra = {}) => ({
            host: listen,
            port,
            user: "root",
            privateKey: rootKey.privateKey,
            hostKey: hostKeyFingerprint,
            connectTimeoutSeconds: 10,
            ...extra,
        }),
        log,
        stop: async () => {
            if (child.exitCode === null && child.pid !== undefined) {
                const exited = new Promise((r) => child.once("exit", r));
                process.kill(child.pid, "SIGTERM");
                await exited;
            }
            rmSync(dir, { recursive: true, force: true });
        },
    };
}
