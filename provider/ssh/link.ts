/**
 * One provider operation's way to a host: a session that is reopened when the connection is
 * lost, so that a rollback (or a verification) can still reach the host after the restart
 * or a network blip killed the first connection.
 *
 * Reaching the host is bounded by one retry policy, the connection's own (`dialErrorLimit`
 * attempts of `connectTimeoutSeconds`, with backoff; see connect.ts): a reopen is one dial
 * under that policy, not a loop of dials, and once a reopen has failed the host counts as
 * lost for the rest of the operation — every later request for a session (verify retries,
 * rollback rounds) fails at once with that error instead of dialling again. So an operation
 * spends at most one policy's time on a host that went away for good.
 */
import { SshError } from "./errors";
import { targetOf } from "./connect";
import { SshSession } from "./session";
import type { SshConnection } from "./types";

export class SshLink {
    readonly target: string;
    /** How many times the connection was reopened after a loss. */
    reconnects = 0;
    private current: SshSession | undefined;
    /** Set once a reopen failed: the host is lost for this operation. */
    private gone: SshError | undefined;

    constructor(private readonly conn: SshConnection) {
        this.target = targetOf(conn);
    }

    /** Opens the first connection (errors as SshSession.open). */
    async open(): Promise<SshSession> {
        this.current = await SshSession.open(this.conn);
        return this.current;
    }

    /** True once reopening a lost connection failed: every later session() fails at once. */
    get unreachable(): boolean {
        return this.gone !== undefined;
    }

    /** True when a connection was opened and has been lost since. */
    get lost(): boolean {
        return this.current !== undefined && !this.current.isOpen;
    }

    /**
     * The open session; after a loss a new one, dialled under the connection's retry policy.
     * When that fails, this and every later call reject with the same error, without dialling.
     */
    async session(): Promise<SshSession> {
        if (this.gone) {
            throw this.gone;
        }
        if (this.current === undefined) {
            return this.open();
        }
        if (this.current.isOpen) {
            return this.current;
        }
        await this.current.close();
        try {
            this.current = await SshSession.open(this.conn);
        } catch (e) {
            this.gone = new SshError(`the connection to ${this.target} was lost and could not be reopened: ${(e as Error).message}`, this.target);
            throw this.gone;
        }
        this.reconnects++;
        return this.current;
    }

    async close(): Promise<void> {
        await this.current?.close();
    }
}

/** Open a link, run fn with it, and always close it. */
export async function withLink<T>(conn: SshConnection, fn: (link: SshLink) => Promise<T>): Promise<T> {
    const link = new SshLink(conn);
    await link.open();
    try {
        return await fn(link);
    } finally {
        await link.close();
    }
}
