/**
 * The one place an SSH connection's defaults live (port 22, user root) and the names built
 * from them. The providers' check normalizes a connection once (as pulumi-command does);
 * everything after it — diff, ids, messages, the SSH layer — reads the spelled-out form, and
 * applies the same function to state stored before that (idempotent).
 */
export const DEFAULT_SSH_PORT = 22;
export const DEFAULT_SSH_USER = "root";

/** What the defaults apply to: a host, maybe a port and a user, maybe a bastion of the same shape. */
export interface Addressable {
    host: string;
    port?: number;
    user?: string;
    proxy?: Addressable;
}

/** `c` with port and user spelled out, its bastions too. */
export function normalizeConnection<T extends Addressable>(c: T): T & { port: number; user: string } {
    return {
        ...c,
        port: c.port ?? DEFAULT_SSH_PORT,
        user: c.user ?? DEFAULT_SSH_USER,
        ...(c.proxy ? { proxy: normalizeConnection(c.proxy) } : {}),
    };
}

/** "user@host:port": how errors and reviewers name a target. */
export function targetOf(c: Addressable): string {
    const n = normalizeConnection(c);
    return `${n.user}@${n.host}:${n.port}`;
}

/** "host:port": which machine a file lives on (a new user or key is the same machine). */
export function hostPortOf(c: Addressable): string {
    const n = normalizeConnection(c);
    return `${n.host}:${n.port}`;
}

/** "host:port:path": the id of a resource that manages one file on one machine. */
export function fileIdOf(c: Addressable, path: string): string {
    return `${hostPortOf(c)}:${path}`;
}
