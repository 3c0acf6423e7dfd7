/**
 * A throwaway OpenSSH server for integration tests: fresh ed25519 host key, its own
 * config, pid file and authorized_keys in a temp dir, listening on 127.0.0.1 on a free
 * port, killed by PID when the test file ends. Needs root (sshd drops privileges itself).
 */
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SshConnection } from "../../../provider/ssh";

export interface KeyPair {
    readonly privateKey: string;
    /** "ssh-ed25519 AAAA… comment" */
    readonly publicLine: string;
}

export interface TestSshd {
    readonly host: string;
    readonly port: number;
    readonly dir: string;
    /** Host public key line and its SHA256 fingerprint (from ssh-keygen -lf). */
    readonly hostKeyLine: string;
    readonly hostKeyFingerprint: string;
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

/** Resolve once the port answers with an SSH banner. */
async function waitForBanner(port: number, child: ChildProcess, log: () => string): Promise<void> {
    const deadline = Date.now() + 15000;
    while (Date.now() < deadline) {
        if (child.exitCode !== null) {
            throw new Error(`sshd exited with ${child.exitCode}:\n${log()}`);
        }
        const ok = await new Promise<boolean>((resolve) => {
            const s = createConnection({ host: "127.0.0.1", port });
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

export async function startSshd(): Promise<TestSshd> {
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
    const hostKeyFile = join(dir, "ssh_host_ed25519_key");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", hostKeyFile]);
    const hostKeyLine = readFileSync(hostKeyFile + ".pub", "utf8").trim();
    const hostKeyFingerprint = execFileSync("ssh-keygen", ["-lf", hostKeyFile + ".pub"], { encoding: "utf8" }).split(" ")[1];

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
            `ListenAddress 127.0.0.1:${port}`,
            `HostKey ${hostKeyFile}`,
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
        await waitForBanner(port, child, log);
    } catch (e) {
        child.kill("SIGKILL");
        rmSync(dir, { recursive: true, force: true });
        throw e;
    }

    return {
        host: "127.0.0.1",
        port,
        dir,
        hostKeyLine,
        hostKeyFingerprint,
        rootKey,
        keygen,
        authorize,
        conn: (extra = {}) => ({
            host: "127.0.0.1",
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
