import type { SshLink } from "../../ssh/link";
import type { SshSession } from "../../ssh/session";
import { tail } from "../../ssh/errors";
import { preflightMessage, preflightProblems } from "./preflightChecks";
import type { PreflightSpec } from "./types";

/**
 * The preflight on the host (TomlSettingsInputs.preflight), in the transaction's own SSH
 * connection, after its files are written and before the config is written or the service
 * restarted (transition.ts): a key that does not match, a certificate that does not name the
 * node or is about to expire, modes InfluxDB 1.12.2+ refuses, or files the service user cannot
 * read would otherwise show only after the restart, with the node down.
 */

const PROBE_TIMEOUT_SECONDS = 10;

/** Recognised by name (serialized providers may carry their own copy of the class). */
export class PreflightError extends Error {
    constructor(message: string) {
        super(message);
        // Set again: the provider runs serialized (closure serializer), where the subclass's super(message) may not set it.
        this.message = message;
        this.name = "PreflightError";
    }
}

/** Runs every check; throws a PreflightError listing each failed one. Key bytes stay in this process's memory. */
export async function runPreflight(link: SshLink, spec: PreflightSpec): Promise<void> {
    const s = await link.session();
    const cert = await s.readFile(spec.certificatePath);
    const key = spec.privateKeyPath === spec.certificatePath ? cert : await s.readFile(spec.privateKeyPath);
    const readable: Record<string, true | string> = {};
    for (const [path, f] of [[spec.certificatePath, cert], [spec.privateKeyPath, key]] as const) {
        if (f.exists && readable[path] === undefined) {
            readable[path] = await readableBy(s, spec.serviceUser, path);
        }
    }
    const problems = preflightProblems(spec, { cert, key, now: await hostClock(s), readable });
    if (problems.length > 0) {
        throw new PreflightError(preflightMessage(link.target, problems));
    }
}

/**
 * Whether `user` can read `path`, asked of the kernel as that user: `runuser -u <user> -- test
 * -r <path>` (util-linux, root only; through `sudo -n` for a sudo login). Unlike stat + group
 * membership this sees everything the service would meet: directory search permission on every
 * parent, ACLs, supplementary groups, the host's own user database. true, or why not.
 */
async function readableBy(s: SshSession, user: string, path: string): Promise<true | string> {
    const argv = ["runuser", "-u", user, "--", "test", "-r", path];
    const r = await s.exec(argv, { timeoutSeconds: PROBE_TIMEOUT_SECONDS });
    const stderr = tail(r.stderr, 300);
    if (r.code === 0) {
        return true;
    }
    if (r.code === 1 && stderr === "") {
        return `${user} cannot read it (checked on the host as that user: \`runuser -u ${user} -- test -r\`); ` +
            "the service would exit with \"permission denied\"";
    }
    return `could not be checked: \`runuser -u ${user} -- test -r\` exited with ${r.signal ?? r.code}${stderr ? `: ${stderr}` : ""}`;
}

/** The host's clock (what the service and its clients on that network go by); this machine's when `date` fails. */
async function hostClock(s: SshSession): Promise<Date> {
    try {
        const r = await s.exec(["date", "-u", "+%s"], { timeoutSeconds: PROBE_TIMEOUT_SECONDS });
        const seconds = Number(r.stdout.toString("utf8").trim());
        if (r.code === 0 && Number.isFinite(seconds) && seconds > 0) {
            return new Date(seconds * 1000);
        }
    } catch {
        // fall through
    }
    return new Date();
}
