/**
 * Node errors reworded the way a Go program prints the same failure, so logs and exit
 * messages from the stand-ins read like the real products' (tests and users grep for
 * "permission denied", "certificate signed by unknown authority", …).
 */
import * as fs from "node:fs";

const ERRNO_TEXT: Record<string, string> = {
    EACCES: "permission denied",
    ENOENT: "no such file or directory",
    EISDIR: "is a directory",
    ENOTDIR: "not a directory",
    ECONNREFUSED: "connection refused",
    ECONNRESET: "connection reset by peer",
    EADDRINUSE: "address already in use",
    EADDRNOTAVAIL: "cannot assign requested address",
    ETIMEDOUT: "i/o timeout",
};

export function errnoText(e: unknown): string {
    const code = (e as NodeJS.ErrnoException).code;
    return (code && ERRNO_TEXT[code]) || (e instanceof Error ? e.message : String(e));
}

/**
 * Reads a whole file as the current user, failing with Go's os.ReadFile wording
 * ("open /etc/ssl/x.key: permission denied"). The stand-in services run as their real
 * service user, so this is the same permission check the real program is subject to.
 */
export function readFileGo(file: string): Buffer {
    try {
        return fs.readFileSync(file);
    } catch (e) {
        const verb = (e as NodeJS.ErrnoException).code === "EISDIR" ? "read" : "open";
        throw new Error(`${verb} ${file}: ${errnoText(e)}`);
    }
}

/** Go's net.Dial wording: "dial tcp 127.0.0.1:8091: connect: connection refused". */
export function dialError(e: unknown, hostPort: string): string {
    const err = e as NodeJS.ErrnoException & { address?: string; port?: number };
    const code = err.code;
    // Go names the resolved address it dialled, not the name given.
    if (code === "ECONNREFUSED") return `dial tcp ${err.address && err.port ? `${err.address}:${err.port}` : hostPort}: connect: connection refused`;
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `dial tcp: lookup ${hostPort.replace(/:\d+$/, "")}: no such host`;
    if (code === "ECONNRESET") return `read tcp ${hostPort}: read: connection reset by peer`;
    return errnoText(e);
}
