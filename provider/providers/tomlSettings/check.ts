import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { parseSettingsKey, tableNameProblem } from "./settings";
import { UNKNOWN } from "./unknown";

/**
 * Validates the provider's inputs and returns every problem at once (the engine prints them
 * all, so a user fixes everything in one round). Pure: no network, no I/O. Unknown preview
 * values are skipped.
 */
export function checkInputs(news: Record<string, unknown>): CheckFailure[] {
    const failures: CheckFailure[] = [];
    const fail = (property: string, reason: string) => failures.push({ property, reason });
    checkConnection(news.connection, "connection", fail);
    checkPath(news.path, fail);
    checkSettings(news.settings, fail);
    if (news.service !== undefined && news.service !== null) {
        checkService(news.service, fail);
    }
    if (news.restartTriggers !== undefined && news.restartTriggers !== null && news.restartTriggers !== UNKNOWN) {
        if (!isRecord(news.restartTriggers)) {
            fail("restartTriggers", "must be a map of strings");
        } else {
            for (const [k, v] of Object.entries(news.restartTriggers)) {
                if (typeof v !== "string") {
                    fail(`restartTriggers.${k}`, "must be a string");
                }
            }
        }
    }
    return failures;
}

type Fail = (property: string, reason: string) => void;

function isRecord(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isKnown(v: unknown): boolean {
    return v !== UNKNOWN;
}

function checkConnection(c: unknown, prop: string, fail: Fail): void {
    if (!isKnown(c)) {
        return;
    }
    if (!isRecord(c)) {
        fail(prop, "an SSH connection object is required");
        return;
    }
    if (isKnown(c.host) && (typeof c.host !== "string" || c.host.trim() === "")) {
        fail(`${prop}.host`, "a host name or address is required");
    }
    if (c.port !== undefined && isKnown(c.port) && !(Number.isInteger(c.port) && (c.port as number) > 0 && (c.port as number) < 65536)) {
        fail(`${prop}.port`, "must be an integer between 1 and 65535");
    }
    if (c.user !== undefined && isKnown(c.user) && (typeof c.user !== "string" || c.user === "")) {
        fail(`${prop}.user`, "must be a non-empty string");
    }
    const auth = ["privateKey", "password", "agentSocket"].filter((k) => c[k] !== undefined && c[k] !== null && c[k] !== "");
    if (auth.length === 0) {
        fail(prop, "no SSH authentication: set privateKey, password or agentSocket");
    }
    const pinned = c.hostKey !== undefined && c.hostKey !== null && c.hostKey !== "";
    if (!pinned && c.insecureIgnoreHostKey !== true) {
        fail(`${prop}.hostKey`,
            "the host key must be pinned (\"SHA256:…\" fingerprint or \"ssh-ed25519 AAAA…\" line); " +
            "set insecureIgnoreHostKey: true only for throwaway hosts");
    }
    if (pinned && isKnown(c.hostKey) && typeof c.hostKey === "string" &&
        !/^SHA256:[A-Za-z0-9+/]{43}=?$/.test(c.hostKey.trim()) && !/^(ssh-|ecdsa-|sk-)\S+ [A-Za-z0-9+/]+=*( .*)?$/.test(c.hostKey.trim())) {
        fail(`${prop}.hostKey`, "expected an OpenSSH fingerprint \"SHA256:…\" or a public key line \"ssh-ed25519 AAAA…\"");
    }
    for (const k of ["connectTimeoutSeconds", "commandTimeoutSeconds"]) {
        const v = c[k];
        if (v !== undefined && isKnown(v) && !(typeof v === "number" && v > 0)) {
            fail(`${prop}.${k}`, "must be a positive number of seconds");
        }
    }
    if (c.proxy !== undefined && c.proxy !== null) {
        checkConnection(c.proxy, `${prop}.proxy`, fail);
    }
}

function checkPath(p: unknown, fail: Fail): void {
    if (!isKnown(p)) {
        return;
    }
    if (typeof p !== "string" || !p.startsWith("/")) {
        fail("path", "an absolute file path on the host is required");
    } else if (p.includes("\0") || p.endsWith("/")) {
        fail("path", `"${p}" is not a file path`);
    }
}

function checkSettings(s: unknown, fail: Fail): void {
    if (!isKnown(s)) {
        return;
    }
    if (!isRecord(s) || Object.keys(s).length === 0) {
        fail("settings", "at least one table with at least one key to set is required");
        return;
    }
    for (const [mapKey, set] of Object.entries(s)) {
        try {
            const { table } = parseSettingsKey(mapKey);
            const problem = table === "" ? undefined : tableNameProblem(table);
            if (problem) {
                fail(`settings.${mapKey}`, problem);
            }
        } catch (e) {
            fail(`settings.${mapKey}`, (e as Error).message);
        }
        if (!isKnown(set)) {
            continue;
        }
        if (!isRecord(set) || Object.keys(set).length === 0) {
            fail(`settings.${mapKey}`, "must set at least one key");
            continue;
        }
        for (const [key, value] of Object.entries(set)) {
            const problem = valueProblem(value);
            if (key.trim() === "") {
                fail(`settings.${mapKey}`, "empty key name");
            }
            if (problem) {
                fail(`settings.${mapKey}.${key}`, problem);
            }
        }
    }
}

/** Why v is not a TOML value this package writes, or undefined when it is (unknowns pass). */
export function valueProblem(v: unknown): string | undefined {
    if (v === UNKNOWN || typeof v === "string" || typeof v === "boolean") {
        return undefined;
    }
    if (typeof v === "number") {
        return Number.isFinite(v) ? undefined : "numbers must be finite";
    }
    if (Array.isArray(v)) {
        for (const item of v) {
            const p = valueProblem(item);
            if (p) {
                return `array item: ${p}`;
            }
        }
        return undefined;
    }
    return `unsupported value ${v === null ? "null" : typeof v}: use a string, number, boolean or array of them`;
}

function checkArgv(v: unknown, prop: string, fail: Fail): void {
    if (!isKnown(v)) {
        return;
    }
    if (!Array.isArray(v) || v.length === 0 || v.some((a) => a !== UNKNOWN && typeof a !== "string")) {
        fail(prop, "must be a non-empty argv array of strings, e.g. [\"systemctl\", \"restart\", \"influxdb\"]");
    } else if (v.some((a) => typeof a === "string" && a.includes("\0"))) {
        fail(prop, "arguments must not contain NUL bytes");
    }
}

function checkService(s: unknown, fail: Fail): void {
    if (!isKnown(s)) {
        return;
    }
    if (!isRecord(s)) {
        fail("service", "must be an object { restart, verify?, revertVerify?, verifyTimeoutSeconds?, status?, logs? }");
        return;
    }
    checkArgv(s.restart, "service.restart", fail);
    for (const k of ["verify", "revertVerify", "status", "logs"]) {
        if (s[k] !== undefined && s[k] !== null) {
            checkArgv(s[k], `service.${k}`, fail);
        }
    }
    const t = s.verifyTimeoutSeconds;
    if (t !== undefined && t !== null && isKnown(t) && !(typeof t === "number" && t > 0 && t <= 3600)) {
        fail("service.verifyTimeoutSeconds", "must be a number of seconds between 0 and 3600");
    }
}
