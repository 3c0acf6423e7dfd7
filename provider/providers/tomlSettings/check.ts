import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { fileSpecProblems, pathProblem as hostPathProblem } from "../../files/validate";
import { connectionProblems } from "../../ssh/connectionProblems";
import { tomlKeyProblem, tomlValueProblem } from "../../toml/values";
import { parseSettingsKey, tableNameProblem } from "./settings";
import { UNKNOWN } from "./unknown";
import { checkArgv, isKnown, isRecord, type Fail } from "./checkCommon";
import { checkHealthGate, checkPreflight } from "./checkGuards";

/**
 * Validates the provider's inputs and returns every problem at once (the engine prints them
 * all, so a user fixes everything in one round). Pure: no network, no I/O. Unknown preview
 * values are skipped.
 */
export function checkInputs(news: Record<string, unknown>): CheckFailure[] {
    const failures: CheckFailure[] = [];
    const fail = (property: string, reason: string) => failures.push({ property, reason });
    checkConnection(news.connection, "connection", fail);
    if (news.healthGateConnection !== undefined && news.healthGateConnection !== null) {
        checkConnection(news.healthGateConnection, "healthGateConnection", fail);
    }
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
    checkFiles(news, fail);
    if (news.preflight !== undefined && news.preflight !== null) {
        checkPreflight(news.preflight, fail);
    }
    return failures;
}

/** The managed files: specs as the file installers want them, one content per file, no path twice or equal to the config's. */
function checkFiles(news: Record<string, unknown>, fail: Fail): void {
    const files = news.files;
    if (files === undefined || files === null || !isKnown(files)) {
        return;
    }
    if (!Array.isArray(files)) {
        fail("files", "must be a list of { path, mode, owner, group }");
        return;
    }
    const seen = new Set<string>();
    files.forEach((f, i) => {
        if (!isKnown(f)) {
            return;
        }
        if (!isRecord(f)) {
            fail(`files[${i}]`, "must be { path, mode, owner, group }");
            return;
        }
        if (Object.values(f).some((v) => !isKnown(v))) {
            return; // checked again once known
        }
        for (const p of fileSpecProblems("", f)) {
            fail(`files[${i}]`, p.slice(2));
        }
        if (typeof f.path === "string") {
            if (seen.has(f.path)) {
                fail(`files[${i}].path`, `${f.path} is listed twice`);
            }
            if (f.path === news.path) {
                fail(`files[${i}].path`, `${f.path} is the TOML file itself`);
            }
            seen.add(f.path);
        }
    });
    const contents = news.fileContents;
    if (isKnown(contents) && (!Array.isArray(contents) || contents.length !== files.length || contents.some((c) => isKnown(c) && typeof c !== "string"))) {
        fail("fileContents", "must hold one string per entry of files");
    }
}

function checkConnection(c: unknown, prop: string, fail: Fail): void {
    for (const p of connectionProblems(c, prop, (v) => v === UNKNOWN)) {
        fail(p.property, p.reason);
    }
}

function checkPath(p: unknown, fail: Fail): void {
    if (!isKnown(p)) {
        return;
    }
    const problem = hostPathProblem(p);
    if (problem) {
        fail("path", problem);
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
            const keyProblem = tomlKeyProblem(key);
            if (keyProblem) {
                fail(`settings.${mapKey}`, keyProblem);
            }
            const problem = valueProblem(value);
            if (problem) {
                fail(`settings.${mapKey}.${key}`, problem);
            }
        }
    }
}

/** Why v is not a TOML value this package writes, or undefined when it is (unknowns pass; rules: toml/values.ts). */
export function valueProblem(v: unknown): string | undefined {
    const p = tomlValueProblem(v, (x) => x === UNKNOWN);
    return p && (p.at ? `array item ${p.at}: ${p.reason}` : p.reason);
}

function checkService(s: unknown, fail: Fail): void {
    if (!isKnown(s)) {
        return;
    }
    if (!isRecord(s)) {
        fail("service", "must be an object { restart, verify?, revertVerify?, verifyTimeoutSeconds?, status?, logs?, healthGate? }");
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
    if (s.healthGate !== undefined && s.healthGate !== null) {
        checkHealthGate(s.healthGate, fail);
    }
}
