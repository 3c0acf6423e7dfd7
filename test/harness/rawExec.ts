/**
 * Runs a shell string on a host the way pulumi-command's remote.Command does: one SSH
 * connection per operation, one session, env requests for `environment` (sshd's AcceptEnv
 * decides — the real sshd here, nothing emulated), stdin only when non-empty, and the string
 * as the raw SSH exec request, which sshd runs as `$SHELL -c '<string>'` for the login user.
 *
 * provider/ssh's SshSession cannot do this (its exec quotes an argv), so this opens its own
 * channel on a connection made by provider/ssh's `connect` — the same host-key pinning.
 */
import type { ClientChannel } from "ssh2";
import { connect, endConnected } from "../../provider/ssh/connect";
import { HostKeyMismatchError, SshError } from "../../provider/ssh/errors";
import { parseHostKeyPin } from "../../provider/ssh/hostKey";
import type { SshConnection } from "../../provider/ssh/types";

/** remote.Command's `connection` input (after the SDK applied its defaults). */
export interface CommandConnection {
    host: string;
    port?: number;
    user?: string;
    privateKey?: string;
    privateKeyPassword?: string;
    password?: string;
    agentSocketPath?: string;
    hostKey?: string;
    dialErrorLimit?: number;
    perDialTimeout?: number;
    proxy?: CommandConnection;
}

export interface RawResult {
    /** Exit status, or null when the command was killed by a signal / ended without a status. */
    code: number | null;
    signal?: string;
    stdout: Buffer;
    stderr: Buffer;
    /** stdout and stderr interleaved in arrival order (what the provider puts in its error). */
    combined: Buffer;
}

/**
 * Map remote.Command's connection to provider/ssh's. pulumi-command parses hostKey with Go's
 * ssh.ParseAuthorizedKey: only a public key line works there, so a "SHA256:…" fingerprint
 * (which provider/ssh would accept) is refused here. Without hostKey the real provider
 * accepts any key; the harness only allows that when the test says so.
 */
export function toSshConnection(c: CommandConnection, allowInsecure: boolean): SshConnection {
    const where = `${c.user ?? "root"}@${c.host}:${c.port ?? 22}`;
    let hostKey: string | undefined;
    if (c.hostKey !== undefined && c.hostKey !== "") {
        if (/^\s*SHA256:/.test(c.hostKey)) {
            throw new Error(
                `remote.Command connection to ${where}: hostKey must be a public key line ("ssh-ed25519 AAAA…"); ` +
                    `pulumi-command cannot parse a "SHA256:…" fingerprint`,
            );
        }
        parseHostKeyPin(c.hostKey); // throws on anything that is not a key line
        hostKey = c.hostKey;
    } else if (!allowInsecure) {
        throw new Error(
            `remote.Command connection to ${where} has no hostKey: the real provider would accept any host key. ` +
                `Pin it, or pass allowInsecureHostKey to the harness for a test that means it.`,
        );
    }
    return {
        host: c.host,
        port: c.port ?? 22,
        user: c.user ?? "root",
        privateKey: c.privateKey,
        privateKeyPassphrase: c.privateKeyPassword,
        password: c.password,
        // pulumi-command also falls back to $SSH_AUTH_SOCK; tests must not depend on the runner's agent.
        agentSocket: c.agentSocketPath,
        hostKey,
        insecureIgnoreHostKey: hostKey === undefined ? true : undefined,
        connectTimeoutSeconds: c.perDialTimeout === 0 ? 3600 : (c.perDialTimeout ?? 15),
        proxy: c.proxy ? toSshConnection(c.proxy, allowInsecure) : undefined,
    };
}

/**
 * Dial like pulumi-command: retry up to dialErrorLimit (default 10) failed dials. Host key
 * mismatches and authentication failures are not retried: they would fail the same way
 * each time, only ~10 s later.
 */
async function dial(conn: SshConnection, dialErrorLimit: number) {
    for (let attempt = 1; ; attempt++) {
        try {
            return await connect(conn);
        } catch (e) {
            const deterministic = e instanceof HostKeyMismatchError || /authentication failed|not pinned|credentials|cannot use privateKey|invalid hostKey/.test((e as Error).message);
            if (deterministic || (dialErrorLimit >= 0 && attempt >= dialErrorLimit)) {
                throw e;
            }
            await new Promise((r) => setTimeout(r, Math.min(100 * 1.5 ** attempt, 2000)));
        }
    }
}

export async function rawExec(
    conn: SshConnection,
    command: string,
    opts: { stdin?: string; env?: Record<string, string>; timeoutSeconds: number; dialErrorLimit?: number },
): Promise<RawResult> {
    const connected = await dial(conn, opts.dialErrorLimit ?? 10);
    const target = `${conn.user}@${conn.host}:${conn.port}`;
    try {
        return await new Promise<RawResult>((resolve, reject) => {
            const out: Buffer[] = [];
            const err: Buffer[] = [];
            const both: Buffer[] = [];
            let code: number | null = null;
            let signal: string | undefined;
            let channel: ClientChannel | undefined;
            const timer = setTimeout(() => {
                channel?.close();
                reject(new SshError(`remote.Command on ${target} did not finish within ${opts.timeoutSeconds}s (harness limit)`, target));
            }, opts.timeoutSeconds * 1000);
            const execOpts = opts.env && Object.keys(opts.env).length > 0 ? { env: opts.env } : {};
            connected.client.exec(command, execOpts, (e, ch) => {
                if (e) {
                    clearTimeout(timer);
                    reject(new SshError(`cannot start a session on ${target}: ${e.message}`, target));
                    return;
                }
                channel = ch;
                ch.on("data", (d: Buffer) => {
                    out.push(d);
                    both.push(d);
                });
                ch.stderr.on("data", (d: Buffer) => {
                    err.push(d);
                    both.push(d);
                });
                ch.on("exit", (c: number | null, sig?: string) => {
                    if (typeof c === "number") code = c;
                    else signal = sig;
                });
                ch.on("close", () => {
                    clearTimeout(timer);
                    resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err), combined: Buffer.concat(both) });
                });
                // Go's session only wires stdin when it is non-empty; either way the command sees EOF after it.
                if (opts.stdin !== undefined && opts.stdin.length > 0) ch.end(opts.stdin);
                else ch.end();
            });
        });
    } finally {
        endConnected(connected);
    }
}
