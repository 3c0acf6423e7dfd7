/**
 * One provider operation's way to a host: a session that is reopened when the connection is
 * lost, so that a rollback (or a verification) can still reach the host after the restart
 * or a network blip killed the first connection. Reconnecting is bounded.
 */
import { SshError } from "./errors";
import { targetOf } from "./connect";
import { SshSession } from "./session";
import type { SshConnection } from "./types";

/** How often, and how patiently, a lost connection is reopened. */
export interface ReconnectPolicy {
    /** Connection attempts after a loss. */
    readonly attempts: number;
    /** Wait before attempt n is n × delayMs. */
    readonly delayMs: number;
}

export const DEFAULT_RECONNECT: ReconnectPolicy = { attempts: 3, delayMs: 1000 };

export class SshLink {
    readonly target: string;
    /** How many times the connection was reopened after a loss. */
    reconnects = 0;
    private current: SshSession | undefined;

    constructor(private readonly conn: SshConnection, private readonly policy: ReconnectPolicy = DEFAULT_RECONNECT) {
        this.target = targetOf(conn);
    }

    /** Opens the first connection (errors as SshSession.open). */
    async open(): Promise<SshSession> {
        this.current = await SshSession.open(this.conn);
        return this.current;
    }

    /** True when a connection was opened and has been lost since. */
    get lost(): boolean {
        return this.current !== undefined && !this.current.isOpen;
    }

    /** The open session; after a loss a new one, tried `policy.attempts` times with growing waits. */
    async session(): Promise<SshSession> {
        if (this.current === undefined) {
            return this.open();
        }
        if (this.current.isOpen) {
            return this.current;
        }
        await this.current.close();
        let last: Error | undefined;
        for (let attempt = 1; attempt <= this.policy.attempts; attempt++) {
            try {
                this.current = await SshSession.open(this.conn);
                this.reconnects++;
                return this.current;
            } catch (e) {
                last = e as Error;
                if (last.name === "HostKeyMismatchError" || attempt === this.policy.attempts) {
                    break;
                }
                await new Promise((r) => setTimeout(r, attempt * this.policy.delayMs));
            }
        }
        throw new SshError(`the connection to ${this.target} was lost and could not be reopened: ${last?.message}`, this.target);
    }

    async close(): Promise<void> {
        await this.current?.close();
    }
}

/** Open a link, run fn with it, and always close it. */
export async function withLink<T>(conn: SshConnection, fn: (link: SshLink) => Promise<T>, policy?: ReconnectPolicy): Promise<T> {
    const link = new SshLink(conn, policy);
    await link.open();
    try {
        return await fn(link);
    } finally {
        await link.close();
    }
}
