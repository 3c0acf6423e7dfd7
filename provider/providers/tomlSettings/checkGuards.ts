import { pathProblem } from "../../files/validate";
import { hostnameProblem, hostPortProblem, userNameProblem } from "../../inputs/names";
import { tomlKeyProblem } from "../../toml/values";
import { checkArgv, isKnown, isRecord, type Fail } from "./checkCommon";
import { tableNameProblem } from "./settings";

/** The checks of `preflight` and `service.healthGate` (pure; unknown preview values pass). */

/** At most ten years: a longer requirement is a typo (days, not hours). */
const MAX_MIN_VALIDITY_DAYS = 3650;
/** At most a day: a gate that never passes must end. */
const MAX_GATE_TIMEOUT_SECONDS = 86_400;

/** A non-empty list whose known items each pass `problemOf`; items named `prop[i]`. */
function checkList(v: unknown, prop: string, what: string, problemOf: (item: unknown) => string | undefined, fail: Fail): void {
    if (!isKnown(v)) {
        return;
    }
    if (!Array.isArray(v) || v.length === 0) {
        fail(prop, `must be a non-empty list of ${what}`);
        return;
    }
    v.forEach((item, i) => {
        const problem = isKnown(item) ? problemOf(item) : undefined;
        if (problem) {
            fail(`${prop}[${i}]`, problem);
        }
    });
}

export function checkPreflight(p: unknown, fail: Fail): void {
    if (!isKnown(p)) {
        return;
    }
    if (!isRecord(p)) {
        fail("preflight", "must be an object { certificatePath, privateKeyPath, hostnames, minValidityDays, serviceUser }");
        return;
    }
    for (const k of ["certificatePath", "privateKeyPath"]) {
        const problem = isKnown(p[k]) ? pathProblem(p[k]) : undefined;
        if (problem) {
            fail(`preflight.${k}`, problem);
        }
    }
    checkList(p.hostnames, "preflight.hostnames", "the names clients use (DNS names or IP addresses)", hostnameProblem, fail);
    const d = p.minValidityDays;
    if (isKnown(d) && !(typeof d === "number" && Number.isFinite(d) && d >= 0 && d <= MAX_MIN_VALIDITY_DAYS)) {
        fail("preflight.minValidityDays", `must be a number of days from 0 to ${MAX_MIN_VALIDITY_DAYS}`);
    }
    const u = p.serviceUser;
    const userProblem = isKnown(u) ? userNameProblem(u) : undefined;
    if (userProblem) {
        fail("preflight.serviceUser", userProblem);
    }
}

export function checkHealthGate(g: unknown, fail: Fail): void {
    if (!isKnown(g)) {
        return;
    }
    if (!isRecord(g)) {
        fail("service.healthGate", "must be an object { command, expectNodes, when, protocolKeys?, timeoutSeconds? }");
        return;
    }
    checkArgv(g.command, "service.healthGate.command", fail);
    checkList(g.expectNodes, "service.healthGate.expectNodes", "\"host:port\" HTTP addresses", hostPortProblem, fail);
    if (isKnown(g.when) && g.when !== "always" && g.when !== "protocolUnchanged") {
        fail("service.healthGate.when", `must be "always" or "protocolUnchanged", got ${JSON.stringify(g.when)}`);
    }
    const keys = g.protocolKeys;
    if (keys === undefined || keys === null) {
        if (g.when === "protocolUnchanged") {
            fail("service.healthGate.protocolKeys", "is required with when: \"protocolUnchanged\" (the keys whose change is a protocol switch)");
        }
    } else if (isKnown(keys)) {
        checkProtocolKeys(keys, g.when === "protocolUnchanged", fail);
    }
    const t = g.timeoutSeconds;
    if (t !== undefined && t !== null && isKnown(t) && !(typeof t === "number" && t > 0 && t <= MAX_GATE_TIMEOUT_SECONDS)) {
        fail("service.healthGate.timeoutSeconds", `must be a number of seconds greater than 0 and at most ${MAX_GATE_TIMEOUT_SECONDS}`);
    }
}

function checkProtocolKeys(keys: unknown, required: boolean, fail: Fail): void {
    const prop = "service.healthGate.protocolKeys";
    if (!Array.isArray(keys) || (required && keys.length === 0)) {
        fail(prop, "must be a non-empty list of { table, key, index? }");
        return;
    }
    keys.forEach((k, i) => {
        if (!isKnown(k)) {
            return;
        }
        if (!isRecord(k) || typeof k.table !== "string" || typeof k.key !== "string") {
            fail(`${prop}[${i}]`, "must be { table, key, index? } with string table and key");
            return;
        }
        const problem = (k.table === "" ? undefined : tableNameProblem(k.table)) ?? tomlKeyProblem(k.key);
        if (problem) {
            fail(`${prop}[${i}]`, problem);
        }
        if (k.index !== undefined && k.index !== null && !(Number.isInteger(k.index) && (k.index as number) >= 0)) {
            fail(`${prop}[${i}].index`, "must be a non-negative integer");
        }
    });
}
