/**
 * The rules for an SSH connection's settings, in one place: the TomlSettings provider's
 * `check` reports them per property, the SSH layer refuses a connection that breaks them
 * before it opens a socket. Pure; unknown preview values can be skipped.
 */
import { hostnameProblem, userNameProblem } from "../inputs/names";
import { pathProblem as hostPathProblem } from "../files/validate";
import { parseHostKeyPin } from "./hostKey";

/** One problem, naming the property ("connection.proxy.hostKey"). */
export interface ConnectionProblem {
    readonly property: string;
    readonly reason: string;
}

/** Most dial attempts `dialErrorLimit` may ask for. */
export const MAX_DIAL_ATTEMPTS = 100;

function isRecord(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function given(v: unknown): boolean {
    return v !== undefined && v !== null && v !== "";
}

/**
 * Every problem with connection `c` and, through `proxy`, its bastions. `skip(v)` is true
 * for values that are not known yet (preview); they are not judged.
 */
export function connectionProblems(c: unknown, prop = "connection", skip: (v: unknown) => boolean = () => false): ConnectionProblem[] {
    const out: ConnectionProblem[] = [];
    const fail = (property: string, reason: string): void => void out.push({ property, reason });
    if (skip(c)) {
        return out;
    }
    if (!isRecord(c)) {
        fail(prop, "an SSH connection object is required");
        return out;
    }
    const known = (k: string): boolean => c[k] !== undefined && c[k] !== null && !skip(c[k]);
    if (!skip(c.host)) {
        const p = hostnameProblem(c.host);
        if (p) {
            fail(`${prop}.host`, p);
        }
    }
    if (known("port") && !(Number.isInteger(c.port) && (c.port as number) >= 1 && (c.port as number) <= 65535)) {
        fail(`${prop}.port`, `must be an integer between 1 and 65535, got ${JSON.stringify(c.port)}`);
    }
    if (known("user")) {
        const p = userNameProblem(c.user);
        if (p) {
            fail(`${prop}.user`, p);
        }
    }
    if (!["privateKey", "password", "agentSocket"].some((k) => given(c[k]))) {
        fail(prop, "no SSH authentication: set privateKey, password or agentSocket");
    }
    if (known("agentSocket") && c.agentSocket !== "") {
        const p = hostPathProblem(c.agentSocket);
        if (p) {
            fail(`${prop}.agentSocket`, `must be the agent socket's absolute path: ${p}`);
        }
    }
    if (!given(c.hostKey)) {
        if (c.insecureIgnoreHostKey !== true && !skip(c.insecureIgnoreHostKey)) {
            fail(`${prop}.hostKey`,
                `the host key of ${typeof c.host === "string" ? c.host : "the host"} must be pinned: "SHA256:…" as printed by ` +
                "`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`, \"<key type> SHA256:…\" for another key type, or the public " +
                "key line \"ssh-ed25519 AAAA…\"; set insecureIgnoreHostKey: true only for throwaway hosts");
        }
    } else if (!skip(c.hostKey)) {
        if (typeof c.hostKey !== "string") {
            fail(`${prop}.hostKey`, "must be a string");
        } else {
            try {
                parseHostKeyPin(c.hostKey);
            } catch (e) {
                fail(`${prop}.hostKey`, (e as Error).message.replace(/^hostKey: /, ""));
            }
        }
    }
    for (const k of ["connectTimeoutSeconds", "commandTimeoutSeconds"]) {
        if (known(k) && !(typeof c[k] === "number" && Number.isFinite(c[k]) && (c[k] as number) > 0)) {
            fail(`${prop}.${k}`, "must be a positive number of seconds");
        }
    }
    if (known("dialErrorLimit") && !(Number.isInteger(c.dialErrorLimit) && (c.dialErrorLimit as number) >= 1 && (c.dialErrorLimit as number) <= MAX_DIAL_ATTEMPTS)) {
        fail(`${prop}.dialErrorLimit`, `must be a whole number of attempts between 1 and ${MAX_DIAL_ATTEMPTS}`);
    }
    for (const k of ["insecureIgnoreHostKey", "sudo"]) {
        if (known(k) && typeof c[k] !== "boolean") {
            fail(`${prop}.${k}`, "must be true or false");
        }
    }
    if (c.proxy !== undefined && c.proxy !== null) {
        out.push(...connectionProblems(c.proxy, `${prop}.proxy`, skip));
    }
    return out;
}
