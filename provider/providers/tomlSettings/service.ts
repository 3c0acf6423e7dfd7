import type { SshLink } from "../../ssh/link";
import type { SshSession } from "../../ssh/session";
import { tail } from "../../ssh/errors";
import { redactArgv, redactText } from "../../ssh/redact";
import { DEFAULT_VERIFY_TIMEOUT_SECONDS, type VerifyCredentials } from "./types";
import { verifyInvocation } from "./verifyCredentials";

const RETRY_INTERVAL_MS = 1000;
/** Seconds a status or log command may take. */
const PROBE_TIMEOUT_SECONDS = 10;
const LOG_LINES = 20;

/**
 * Verifier output that retrying cannot change: the certificate, key or trust is wrong, not
 * slow. Go's (influx, influxd-ctl, Telegraf) wording. An array of strings, not RegExps: the
 * closure serializer that stores the provider in state handles plain values best.
 */
const DETERMINISTIC_TLS_ERRORS: readonly string[] = [
    "x509: certificate signed by unknown authority",
    "x509: certificate is valid for ",
    "x509: certificate is not valid for any names",
    "x509: certificate relies on legacy Common Name field",
    "x509: certificate has expired or is not yet valid",
    "tls: private key does not match public key",
];

/** `systemctl is-active` output meaning "not up yet, but on its way". */
const STARTING_STATES: readonly string[] = ["activating", "reloading"];

/** What proves that a service works, and what explains it when it does not. */
export interface HealthCheck {
    /** Exits 0 once the service works; retried until timeoutSeconds. No check when omitted. */
    verify?: readonly string[];
    timeoutSeconds?: number;
    /** Exits non-zero once the service has exited (ServiceSpec.status). */
    status?: readonly string[];
    /** Prints the tail of the service's log (ServiceSpec.logs). */
    logs?: readonly string[];
    /** Given to `verify` on stdin (→ INFLUX_USERNAME / INFLUX_PASSWORD), never in argv. */
    credentials?: VerifyCredentials;
}

/**
 * Runs `check.verify` until it exits 0 or the timeout passes. Services take a moment to come
 * up after a restart (influxd opens its stores before it listens), so one failed attempt
 * means nothing — unless the service has exited (status command) or the verifier reports a
 * TLS error that retrying cannot fix: then it stops at once. The error carries the last
 * attempt's output, the service's state and the tail of its log. A lost connection is
 * reopened (bounded, SshLink) and verification goes on.
 */
export async function waitUntilHealthy(link: SshLink, check: HealthCheck): Promise<number> {
    const argv = check.verify;
    if (!argv || argv.length === 0) {
        return 0;
    }
    const started = Date.now();
    const deadline = started + (check.timeoutSeconds ?? DEFAULT_VERIFY_TIMEOUT_SECONDS) * 1000;
    const fail = async (s: SshSession | undefined, attempts: number, why: string, last: string): Promise<never> => {
        const log = s ? await logTail(s, check.logs) : "";
        throw new Error(
            `verification \`${redactArgv(argv).join(" ")}\`${check.credentials ? " (credentials on stdin)" : ""} on ${link.target} ${why} after ${attempts} attempt${attempts === 1 ? "" : "s"} ` +
            `in ${Math.round((Date.now() - started) / 1000)} s; last ${last}${log}`);
    };
    let attempts = 0;
    const run = verifyInvocation(argv, check.credentials);
    // Errors quote the command, never a credential (given in argv anyway, or echoed back).
    const secrets = check.credentials ? [check.credentials.password] : [];
    for (;;) {
        attempts++;
        const remaining = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
        let last: string;
        let s: SshSession | undefined;
        try {
            s = await link.session();
            const r = await s.exec(run.argv, { timeoutSeconds: remaining, stdin: run.stdin });
            if (r.code === 0) {
                return attempts;
            }
            last = `exit code ${r.code}: ${tail(redactText(r.stderr.toString("utf8") || r.stdout.toString("utf8"), secrets), 400)}`;
        } catch (e) {
            last = redactText((e as Error).message, secrets);
        }
        if (link.unreachable) {
            // The host was lost and could not be reached again: retrying verify cannot help.
            await fail(undefined, attempts, "failed: the host cannot be reached any more (not retried)", last);
        }
        const tls = DETERMINISTIC_TLS_ERRORS.find((m) => last.includes(m));
        if (tls) {
            await fail(s, attempts, "failed with a TLS error that retrying cannot fix (not retried)", last);
        }
        const stopped = s?.isOpen ? await stoppedState(s, check.status) : undefined;
        if (stopped !== undefined) {
            await fail(s, attempts, `failed: the service is not running (\`${check.status!.join(" ")}\`: ${stopped})`, last);
        }
        if (Date.now() + RETRY_INTERVAL_MS > deadline) {
            await fail(s?.isOpen ? s : undefined, attempts, "still failing", last);
        }
        await new Promise((r) => setTimeout(r, RETRY_INTERVAL_MS));
    }
}

/** The service's state when the status command says it is not running (nor starting), else undefined. */
async function stoppedState(s: SshSession, status: readonly string[] | undefined): Promise<string | undefined> {
    if (!status || status.length === 0) {
        return undefined;
    }
    try {
        const r = await s.exec(status, { timeoutSeconds: PROBE_TIMEOUT_SECONDS });
        const out = r.stdout.toString("utf8").trim();
        if (r.code === 0 || r.code === 126 || r.code === 127 || STARTING_STATES.includes(out)) {
            return undefined;
        }
        return out || `exit code ${r.code}`;
    } catch {
        return undefined; // no answer is no evidence: keep retrying
    }
}

/** "\nservice log (`cmd`):\n…last lines…", or "" when there is no log command or it fails. */
export async function logTail(s: SshSession, logs: readonly string[] | undefined): Promise<string> {
    if (!logs || logs.length === 0) {
        return "";
    }
    try {
        const r = await s.exec(logs, { timeoutSeconds: PROBE_TIMEOUT_SECONDS });
        const lines = r.stdout.toString("utf8").trimEnd().split("\n").slice(-LOG_LINES).join("\n");
        return lines ? `\nservice log (\`${logs.join(" ")}\`):\n${tail(lines, 2000)}` : "";
    } catch {
        return "";
    }
}
