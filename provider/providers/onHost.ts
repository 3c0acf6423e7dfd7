import { withSession, type SshSession } from "../ssh/session";
import type { SshConnection } from "../ssh/types";

/** What every file-managing provider's inputs carry. */
export interface FileOnHost {
    connection: SshConnection;
    /** "user@host:port" for messages. */
    target: string;
    path: string;
}

/**
 * Runs one provider operation over one SSH connection; any error is prefixed with the
 * resource kind, operation, file and host, so users know where it happened.
 */
export async function onHost<T>(kind: string, inputs: FileOnHost, what: string, fn: (s: SshSession) => Promise<T>): Promise<T> {
    try {
        return await withSession(inputs.connection, fn);
    } catch (e) {
        throw new Error(`${kind} ${what} of ${inputs.path} on ${inputs.target}: ${(e as Error).message}`);
    }
}
