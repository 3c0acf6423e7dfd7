import type { SshSession } from "../../ssh/session";
import { redactArgv, redactText } from "../../ssh/redact";
import { DEFAULT_VERIFY_TIMEOUT_SECONDS, type ServiceSpec, type VerifyCredentials } from "./types";
import { verifyInvocation } from "./verifyCredentials";

const RETRY_INTERVAL_MS = 1000;

/** Restarts the service; throws an error naming the host and command on a non-zero exit. */
export async function restartService(session: SshSession, service: ServiceSpec): Promise<void> {
    await session.run(service.restart);
}

/**
 * Runs `argv` until it exits 0 or `timeoutSeconds` pass. Services take a moment to come up
 * after a restart (influxd opens its stores before it listens), so one failed attempt means
 * nothing; the last attempt's exit code and stderr tail go into the error.
 */
export async function waitUntilHealthy(
    session: SshSession, argv: readonly string[] | undefined, timeoutSeconds?: number, credentials?: VerifyCredentials,
): Promise<number> {
    if (!argv || argv.length === 0) {
        return 0;
    }
    const started = Date.now();
    const deadline = started + (timeoutSeconds ?? DEFAULT_VERIFY_TIMEOUT_SECONDS) * 1000;
    let attempts = 0;
    const run = verifyInvocation(argv, credentials);
    // Errors quote the command, never a credential (given in argv anyway, or echoed back).
    const secrets = credentials ? [credentials.password] : [];
    for (;;) {
        attempts++;
        const remaining = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
        let last: string;
        try {
            const r = await session.exec(run.argv, { timeoutSeconds: remaining, stdin: run.stdin });
            if (r.code === 0) {
                return attempts;
            }
            last = `exit code ${r.code}: ${tail(redactText(r.stderr.toString("utf8") || r.stdout.toString("utf8"), secrets))}`;
        } catch (e) {
            last = redactText((e as Error).message, secrets);
        }
        if (Date.now() + RETRY_INTERVAL_MS > deadline) {
            throw new Error(
                `verification \`${redactArgv(argv).join(" ")}\`${credentials ? " (credentials on stdin)" : ""} on ${session.target} still failing after ${attempts} attempts ` +
                `in ${Math.round((Date.now() - started) / 1000)} s; last ${last}`);
        }
        await new Promise((r) => setTimeout(r, RETRY_INTERVAL_MS));
    }
}

/** The last few hundred characters of command output, trimmed, for error messages. */
export function tail(text: string, max = 400): string {
    const t = text.trim();
    return t.length <= max ? t : `…${t.slice(t.length - max)}`;
}
