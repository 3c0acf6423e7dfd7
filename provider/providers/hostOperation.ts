import { withLink, type SshLink } from "../ssh/link";
import { withSession, type SshSession } from "../ssh/session";
import type { SshConnection } from "../ssh/types";

/** What every file-managing provider's inputs carry: where the operation runs, and on which file. */
export interface HostFileInputs {
    connection: SshConnection;
    /** "user@host:port" for messages. */
    target: string;
    path: string;
}

/**
 * Runs one provider operation over one SSH connection; any error is prefixed with the
 * resource kind, operation, file and host, so users know where it happened.
 */
export async function hostOperation<T>(kind: string, inputs: HostFileInputs, what: string, fn: (s: SshSession) => Promise<T>): Promise<T> {
    try {
        return await withSession(inputs.connection, fn);
    } catch (e) {
        throw prefixed(e, `${kind} ${what} of ${inputs.path} on ${inputs.target}: `);
    }
}

/** Like hostOperation, with a link that reopens a lost connection (bounded), for operations that must be able to roll back. */
export async function linkedHostOperation<T>(kind: string, inputs: HostFileInputs, what: string, fn: (link: SshLink) => Promise<T>): Promise<T> {
    try {
        return await withLink(inputs.connection, fn);
    } catch (e) {
        throw prefixed(e, `${kind} ${what} of ${inputs.path} on ${inputs.target}: `);
    }
}

/**
 * The error with `prefix` before its message. An init failure (an error carrying `id`,
 * `properties` and `reasons`, which the dynamic-provider host turns into a partial state for
 * the engine) keeps those fields, its reasons prefixed too.
 */
function prefixed(e: unknown, prefix: string): Error {
    const err = new Error(prefix + (e as Error).message);
    const initFailure = e as { id?: unknown; properties?: unknown; reasons?: unknown };
    if (initFailure.id !== undefined) {
        // The engine prints the reasons of an init failure instead of its message.
        const reasons = Array.isArray(initFailure.reasons) ? initFailure.reasons.map((r) => prefix + String(r)) : initFailure.reasons;
        Object.assign(err, { id: initFailure.id, properties: initFailure.properties, reasons });
    }
    return err;
}
