/**
 * Opening an authenticated, host-key-verified ssh2 connection (optionally through a
 * bastion). Everything that can be checked without the network is checked first, so a
 * missing pin or unusable key never opens a socket.
 */
import type { Client, ConnectConfig } from "ssh2";
import { SshError, HostKeyMismatchError } from "./errors";
import { connectionProblems } from "./connectionProblems";
import { parseHostKeyPin, checkHostKey, hostKeyAlgorithms, HostKeyPin } from "./hostKey";
import { sshStats } from "./stats";
import { SshConnection } from "./types";
import { hostPortOf, normalizeConnection, targetOf } from "./defaults";

/** A live connection and, when tunnelled, the bastion connection it runs through. */
export interface Connected {
    readonly client: Client;
    readonly via?: Connected;
}

/** "user@host:port" with defaults applied: how errors name a target. */
export { targetOf };

interface Prepared {
    readonly config: ConnectConfig;
    readonly pin?: HostKeyPin;
    readonly target: string;
}

/** Validate a connection (and its bastion) and build the ssh2 config. No network I/O. */
export function prepareConnection(conn: SshConnection): Prepared {
    const target = targetOf(conn);
    // One rule set with the providers' check (connectionProblems); the bastion is checked by connect().
    const problems = connectionProblems({ ...conn, proxy: undefined });
    if (problems.length > 0) {
        throw new SshError(
            `invalid SSH connection to ${target}: ` + problems.map((p) => `${p.property}: ${p.reason}`).join("; "),
            target,
        );
    }
    const { port, user } = normalizeConnection(conn);
    const pin = conn.hostKey ? parseHostKeyPin(conn.hostKey) : undefined;
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
        username: user,
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

/** Dial attempts when `dialErrorLimit` is not set. */
export const DEFAULT_DIAL_ATTEMPTS = 3;

/** Pause before attempt `n + 1`: 1 s, 2 s, 4 s, … capped at 10 s. */
export function dialBackoffMs(n: number): number {
    return Math.min(10000, 1000 * 2 ** (n - 1));
}

/** An error of one dial attempt; `retryable` when another attempt may succeed (network, not auth or host key). */
function attemptError(message: string, target: string, retryable: boolean): SshError {
    const e = new SshError(message, target);
    (e as SshError & { retryable?: boolean }).retryable = retryable;
    return e;
}

/**
 * Dial with bounded retries: a host that is down, refuses, or never answers the handshake is
 * tried `dialErrorLimit` times (each bounded by connectTimeoutSeconds) with backoff between
 * attempts, and the final error says how often and how long it tried. Authentication
 * failures and host key mismatches are not retried.
 */
async function connectChecked(conn: SshConnection): Promise<Connected> {
    const prepared = prepareConnection(conn);
    const attempts = conn.dialErrorLimit ?? DEFAULT_DIAL_ATTEMPTS;
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
        try {
            return await dialOnce(conn, prepared);
        } catch (e) {
            if (!(e as { retryable?: boolean }).retryable) {
                throw e;
            }
            if (attempt >= attempts) {
                const seconds = ((Date.now() - started) / 1000).toFixed(1);
                throw new SshError(
                    `${(e as Error).message} — gave up after ${attempt} attempt${attempt === 1 ? "" : "s"} in ${seconds}s ` +
                        `(dialErrorLimit ${attempts}, connectTimeoutSeconds ${conn.connectTimeoutSeconds ?? 15})`,
                    prepared.target,
                );
            }
            await new Promise((r) => setTimeout(r, dialBackoffMs(attempt)));
        }
    }
}

async function dialOnce(conn: SshConnection, prepared: Prepared): Promise<Connected> {
    const { pin, target } = prepared;
    const config: ConnectConfig = { ...prepared.config };
    let via: Connected | undefined;
    if (conn.proxy) {
        via = await connectChecked(conn.proxy);
        try {
            config.sock = await forwardOut(via.client, conn.host, normalizeConnection(conn).port);
        } catch (e) {
            endConnected(via);
            throw attemptError(
                `cannot reach ${hostPortOf(conn)} through bastion ${targetOf(conn.proxy)}: ${(e as Error).message}`,
                target,
                true,
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
        client.on("close", () => fail(mismatch ?? attemptError(`SSH connection to ${target} closed during the handshake`, target, true)));
        config.hostVerifier = (key: Buffer): boolean => {
            if (!pin) {
                return true; // insecureIgnoreHostKey: explicit opt-in
            }
            const check = checkHostKey(key, pin);
            if (!check.ok) {
                mismatch = new HostKeyMismatchError(target, check.expected, check.actual, check.actualType, pin.keyTypes !== undefined);
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
            return attemptError(
                `SSH connection to ${target} timed out after ${(config.readyTimeout ?? 0) / 1000}s (TCP connect, handshake and authentication)`,
                target,
                true,
            );
        default:
            if (/no matching host key format/.test(err.message) && config.algorithms?.serverHostKey) {
                // The pin names key types (a key line or "<type> SHA256:…") and only those were offered.
                return attemptError(
                    `SSH connection to ${target} failed: the server has no host key of the pinned type ` +
                        `(offered: ${(config.algorithms.serverHostKey as string[]).join(", ")}); pin one of the host's own keys`,
                    target,
                    false,
                );
            }
            // Socket errors (refused, unreachable, reset) may pass; protocol errors will not.
            return attemptError(`SSH connection to ${target} failed: ${err.message}`, target, err.level === "client-socket");
    }
}

function forwardOut(client: Client, host: string, port: number): Promise<import("stream").Duplex> {
    return new Promise((resolve, reject) => {
        client.forwardOut("127.0.0.1", 0, host, port, (err, stream) => (err ? reject(err) : resolve(stream)));
    });
}
