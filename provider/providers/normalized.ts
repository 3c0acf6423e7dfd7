import { normalizeConnection } from "../ssh/defaults";
import type { SshConnection } from "../ssh/types";

/**
 * A checked connection with its defaults spelled out (ssh/defaults). A connection that is
 * still unknown in a preview, or has an unknown part, is left as it is: it is normalized by
 * the check that runs once it is known.
 */
export function normalizedIfKnown(c: SshConnection): SshConnection {
    const known = (v: unknown): boolean => v !== null && typeof v === "object" && typeof (v as { host?: unknown }).host === "string" &&
        ((v as { proxy?: unknown }).proxy === undefined || known((v as { proxy?: unknown }).proxy));
    return known(c) ? normalizeConnection(c as SshConnection & { host: string }) as SshConnection : c;
}
