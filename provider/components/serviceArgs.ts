import * as pulumi from "@pulumi/pulumi";
import { pathProblem as hostPathProblem } from "../files/validate";
import { hostnameProblem, serviceNameProblem } from "../inputs/names";
import type { NodeTlsArgs } from "./nodeTlsArgs";

/** The node/Telegraf component arguments that become the config path and the service's commands. */
export type ServiceArgsToCheck = Partial<Pick<NodeTlsArgs, "hostname" | "configPath" | "serviceName" | "restartCommand" |
    "verifyCommand" | "revertVerifyCommand" | "verifyTimeoutSeconds">>;

function argvProblem(v: unknown): string | undefined {
    if (!Array.isArray(v) || v.length === 0) {
        return "must be a non-empty argv array of strings, e.g. [\"systemctl\", \"restart\", \"influxdb\"] (not a shell string)";
    }
    for (const a of v) {
        if (pulumi.Output.isInstance(a)) {
            continue; // checked by TomlSettings once known
        }
        if (typeof a !== "string") {
            return "every element must be a string";
        }
        if (a.includes("\0")) {
            return "arguments must not contain NUL bytes (no command line can carry them)";
        }
    }
    if (typeof v[0] === "string" && (v[0].trim() === "" || v[0].startsWith("-"))) {
        return `the program (first element) must be a command name or path, got ${JSON.stringify(v[0].slice(0, 80))}`;
    }
    return undefined;
}

/**
 * Problems with the arguments that end up in the config path and the remote commands, each
 * naming the argument; values given as Outputs are left to the TomlSettings check. A
 * hostname starting with `-` would be read as an option of `influx -host`, a service name
 * with spaces is never a unit: both are refused before anything runs.
 */
export function serviceArgProblems(label: string, args: ServiceArgsToCheck): string[] {
    const problems: string[] = [];
    const add = (arg: string, p: string | undefined): void => void (p && problems.push(`${label}: ${arg}: ${p}`));
    if (typeof args.hostname === "string") {
        add("hostname", hostnameProblem(args.hostname));
    }
    if (args.configPath !== undefined) {
        add("configPath", hostPathProblem(args.configPath));
    }
    if (args.serviceName !== undefined) {
        add("serviceName", serviceNameProblem(args.serviceName));
    }
    for (const k of ["restartCommand", "verifyCommand", "revertVerifyCommand"] as const) {
        const v = args[k];
        if (v !== undefined && !pulumi.Output.isInstance(v)) {
            add(k, argvProblem(v));
        }
    }
    const t = args.verifyTimeoutSeconds;
    if (t !== undefined && !(typeof t === "number" && t > 0 && t <= 3600)) {
        add("verifyTimeoutSeconds", "must be a number of seconds greater than 0 and at most 3600");
    }
    return problems;
}
