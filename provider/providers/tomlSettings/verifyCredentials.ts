/**
 * Credentials for verify commands on auth-enabled clusters, without putting them in argv
 * (visible to every user in `ps`, copied into errors). They travel on the command's stdin to
 * a constant wrapper script that reads them into INFLUX_USERNAME / INFLUX_PASSWORD (which the
 * `influx` CLI reads) and execs the verify command with stdin closed. Environment variables
 * cannot be sent over SSH: sshd drops them unless its AcceptEnv lists them.
 *
 * The provider keeps them out of `service` (stored as plain state): the resource has a
 * separate, secret `verifyCredentials` input, folded into the service only while an
 * operation runs.
 */
import type { ServiceSpec, TomlSettingsInputs, VerifyCredentials } from "./types";
import { UNKNOWN } from "./unknown";

/**
 * Reads two lines (user, password) from stdin, exports them and runs "$@" with stdin from
 * /dev/null. Constant: no value is ever spliced into it. Exit 125 if stdin is short.
 */
export const CREDENTIALS_WRAPPER =
    'IFS= read -r INFLUX_USERNAME && IFS= read -r INFLUX_PASSWORD || { echo "pitls-verify: no credentials on stdin" >&2; exit 125; }; ' +
    'export INFLUX_USERNAME INFLUX_PASSWORD; exec "$@" </dev/null';

/** The argv and stdin to run `argv` with (no credentials: as is). */
export function verifyInvocation(argv: readonly string[], credentials?: VerifyCredentials): { argv: string[]; stdin?: string } {
    if (!credentials) {
        return { argv: [...argv] };
    }
    return {
        argv: ["sh", "-c", CREDENTIALS_WRAPPER, "pitls-verify", ...argv],
        stdin: `${credentials.username}\n${credentials.password}\n`,
    };
}

/** The inputs with the credentials folded into `service` (for the operations that verify). */
export function withCredentials<T extends TomlSettingsInputs>(inputs: T): T {
    if (!inputs.verifyCredentials || !inputs.service) {
        return inputs;
    }
    return { ...inputs, service: { ...inputs.service, verifyCredentials: inputs.verifyCredentials } };
}

/** What an operation returns, with the credentials back out of `service` (only the secret input holds them). */
export function withoutCredentials<T extends TomlSettingsInputs>(outs: T): T {
    if (!outs.service || outs.service.verifyCredentials === undefined) {
        return outs;
    }
    const { verifyCredentials: _dropped, ...service } = outs.service;
    return { ...outs, service: service as ServiceSpec };
}

/**
 * Runs an operation with the credentials folded in, and takes them out of what it returns —
 * including the `properties` of an init failure, which the engine stores like outputs.
 */
export async function withCredentialsDuring<T>(fn: () => Promise<T>): Promise<T> {
    try {
        return await fn();
    } catch (e) {
        const f = e as { properties?: unknown };
        if (f && typeof f === "object" && f.properties && typeof f.properties === "object") {
            f.properties = withoutCredentials(f.properties as TomlSettingsInputs);
        }
        throw e;
    }
}

/** check(): the credentials' shape; never quotes them. */
export function credentialProblems(v: unknown): { property: string; reason: string }[] {
    if (v === undefined || v === null || v === UNKNOWN) {
        return []; // unknown during preview: checked when known
    }
    const fail = (reason: string) => [{ property: "verifyCredentials", reason }];
    if (typeof v !== "object" || Array.isArray(v)) {
        return fail("must be an object { username, password }");
    }
    const c = v as Record<string, unknown>;
    for (const k of ["username", "password"]) {
        if (c[k] === UNKNOWN) {
            continue;
        }
        if (typeof c[k] !== "string" || c[k] === "") {
            return fail(`${k} must be a non-empty string`);
        }
        if (/[\n\r\0]/.test(c[k] as string)) {
            return fail(`${k} must not contain line breaks or NUL bytes`);
        }
    }
    return [];
}
