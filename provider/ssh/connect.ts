/**
 * Opening an authenticated, host-key-verified ssh2 connection (optionally through a
 * bastion). Everything that can be checked without the network is checked first, so a
 * missing pin or unusable key never opens a socket.
 */
import type { Client, ConnectConfig } from "ssh2";
import { SshError, HostKeyMismatchError } from "./errors";
import { parseHostKeyPin, checkHostKey, hostKeyAlgorithms, HostKeyPin } from "./hostKey";
import { sshStats } from "./stats";
import { SshConnection } from "./types";

/** A live connection and, when tunnelled, the bastion connection it runs through. */
export interface Connected {
    readonly client: Client;
    readonly via?: Connected;
}

/** "user@host:port" with defaults applied: how errors name a target. */
export function targetOf(conn: SshConnection): string {
    return `${conn.user ?? "root"}@${conn.host}:${conn.port ?? 22}`;
}

interface Prepared {
    readonly config: ConnectConfig;
    readonly pin?: HostKeyPin;
    readonly target: string;
}

/** Validate a connection (and its bastion) and build the ssh2 config. No network I/O. */
export function prepareConnection(conn: SshConnection): Prepared {
    const target = targetOf(conn);
    if (typeof conn.host !== "string" || conn.host.trim() === "") {
        throw new SshError("SSH connection has no host", target);
    }
    const port = conn.port ?? 22;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new SshError(`SSH port for ${conn.host} must be an integer 1-65535, got ${port}`, target);
    }
    let pin: HostKeyPin | undefined;
    if (conn.hostKey !== undefined && conn.hostKey !== "") {
        try {
            pin = parseHostKeyPin(conn.hostKey);
        } catch (e) {
            throw new SshError(`invalid hostKey for ${conn.host}: ${(e as Error).message}`, target);
        }
    } else if (conn.insecureIgnoreHostKey !== true) {
        throw new SshError(
            `SSH host key for ${conn.host} is not pinned: set hostKey ("SHA256:…" as printed by ` +
                `\`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\`, or the public key line ` +
                `"ssh-ed25519 AAAA…") or insecureIgnoreHostKey: true`,
            target,
        );
    }
    if (!conn.privateKey && conn.password === undefined && !conn.agentSocket) {
        throw new SshError(`no SSH credentials for ${target}: set privateKey, password or agentSocket`, target);
    }
    if (conn.privateKey) {
        const ssh2 = require("ssh2") as typeof import("ssh2");
        const parsed = ssh2.utils.parseKey(conn.privateKey, conn.privateKeyPassphrase);
        if (parsed instanceof Error) {
            // ssh2's parse messages describe the format problem, not the key bytes.
            throw new SshError(`cannot use privateKey for ${target}: ${parsed.message}`, target);
        }
    }
    const seconds = conn.connectTimeoutSeconds ?? 15;
    const config: ConnectConfig = {
        host: conn.host,
        port,
        username: conn.user ?? "root",
        privateKey: conn.privateKey || undefined,
        passphrase: conn.privateKeyPassphrase,
        password: conn.password,
        agent: conn.agentSocket || undefined,
        readyTimeout: seconds * 1000,
        keepaliveInterval: 15000,
        keepaliveCountMax: 3,
    };
    const algos = pin && hostKeyAlgorithms(pin);
    if (algos) {
        config.algorithms = { serverHostKey: algos as NonNullable<ConnectConfig["algorithms"]>["serverHostKey"] };
    }
    return { config, pin, target };
}

/** Close a connection chain (the target, then each bastion). */
export function endConnected(c: Connected | undefined): void {
    for (let cur = c; cur; cur = cur.via) {
        cur.client.end();
    }
}

/** Connect (through `conn.proxy` if set) and authenticate. Rejects with an SshError. */
export async function connect(conn: SshConnection): Promise<Connected> {
    // Validate the whole chain before touching the network.
    for (let c: SshConnection | undefined = conn; c; c = c.proxy) {
        prepareConnection(c);
    }
    return connectChecked(conn);
}

async function connectChecked(conn: SshConnection): Promise<Connected> {
    const { config, pin, target } = prepareConnection(conn);
    let via: Connected | undefined;
    if (conn.proxy) {
        via = await connectChecked(conn.proxy);
        try {
            config.sock = await forwardOut(via.client, conn.host, conn.port ?? 22);
        } catch (e) {
            endConnected(via);
            throw new SshError(
                `cannot reach ${conn.host}:${conn.port ?? 22} through bastion ${targetOf(conn.proxy)}: ${(e as Error).message}`,
                target,
            );
        }
    }
    const ssh2 = require("ssh2") as typeof import("ssh2");
    const client = new ssh2.Client();
    return new Promise<Connected>((resolve, reject) => {
        let mismatch: HostKeyMismatchError | undefined;
        let settled = false;
        const fail = (err: Error): void => {
            if (settled) {
                return;
            }
            settled = true;
            client.end();
            endConnected(via);
            reject(err);
        };
        client.on("ready", () => {
            if (settled) {
                return;
            }
            settled = true;
            sshStats.connections++;
            resolve({ client, via });
        });
        client.on("error", (err: Error & { level?: string }) => {
            fail(mismatch ?? wrapConnectError(err, target, config));
        });
        client.on("close", () => fail(mismatch ?? new SshError(`SSH connection to ${target} closed during the handshake`, target)));
        config.hostVerifier = (key: Buffer): boolean => {
            if (!pin) {
                return true; // insecureIgnoreHostKey: explicit opt-in
            }
            const check = checkHostKey(key, pin);
            if (!check.ok) {
                mismatch = new HostKeyMismatchError(target, check.expected, check.actual);
            }
            return check.ok;
        };
        try {
            client.connect(config);
        } catch (e) {
            fail(new SshError(`SSH connection to ${target} failed: ${(e as Error).message}`, target));
        }
    });
}

function wrapConnectError(err: Error & { level?: string }, target: string, config: ConnectConfig): SshError {
    switch (err.level) {
        case "client-authentication": {
            const tried = [config.privateKey && "publickey", config.password !== undefined && "password", config.agent && "agent"]
                .filter(Boolean)
                .join(", ");
            return new SshError(`SSH authentication failed for ${target} (tried: ${tried})`, target);
        }
        case "client-timeout":
            return new SshError(
                `SSH connection to ${target} timed out after ${(config.readyTimeout ?? 0) / 1000}s (TCP connect, handshake and authentication)`,
                target,
            );
        default:
            return new SshError(`SSH connection to ${target} failed: ${err.message}`, target);
    }
}

function forwardOut(client: Client, host: string, port: number): Promise<import("stream").Duplex> {
    return new Promise((resolve, reject) => {
        client.forwardOut("127.0.0.1", 0, host, port, (err, stream) => (err ? reject(err) : resolve(stream)));
    });
}
