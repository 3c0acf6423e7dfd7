import type { SshLink } from "../../ssh/link";
import { tail } from "../../ssh/errors";
import { redactArgv, redactText } from "../../ssh/redact";
import { readTomlValues } from "../../toml";
import { describeUnreachable, parseClusterShow, unreachableNodes, type UnreachableNode } from "../../influx/clusterShow";
import { sameValue } from "../compare";
import { DEFAULT_HEALTH_GATE_TIMEOUT_SECONDS, type HealthGateSpec, type ServiceSpec } from "./types";

/**
 * The cluster-health gate (ServiceSpec.healthGate): after the node's own verify passed, the
 * gate command (`influxd-ctl … show`) must list every expected node as reachable. Retried until
 * its timeout — a data node with many shards takes minutes to rejoin. Its failure fails the
 * apply, which transition.ts rolls back like a failed verify.
 */

const RETRY_INTERVAL_MS = 2000;
/** Seconds one run of the gate command may take at most. */
const ATTEMPT_TIMEOUT_SECONDS = 60;

/** What the stored `healthGateResult` output says about the last create/update. */
export type HealthGateResult = "passed" | "skipped (protocol change)" | "not run (no restart)";

/**
 * The gate this apply runs, or why none: with `when: "protocolUnchanged"` it is skipped when one
 * of `protocolKeys` has another value in `next` than in `current` (the node switches protocol,
 * and peers still on the other one cannot reach it: the gate could only fail).
 */
export function gateFor(service: ServiceSpec | undefined, current: string, next: string): { gate?: HealthGateSpec; skipped: boolean } {
    const gate = service?.healthGate;
    if (!gate) {
        return { skipped: false };
    }
    if (gate.when === "protocolUnchanged" && (gate.protocolKeys ?? []).length > 0) {
        const keys = gate.protocolKeys!;
        const before = readTomlValues(current, keys);
        const after = readTomlValues(next, keys);
        if (keys.some((_, i) => !sameValue(before[i] ?? null, after[i] ?? null))) {
            return { skipped: true };
        }
    }
    return { gate, skipped: false };
}

/** Runs the gate command until every expected node is reachable; throws naming host, command and the nodes that are not. */
export async function waitForClusterHealth(link: SshLink, gate: HealthGateSpec): Promise<number> {
    const started = Date.now();
    const timeout = gate.timeoutSeconds ?? DEFAULT_HEALTH_GATE_TIMEOUT_SECONDS;
    const deadline = started + timeout * 1000;
    const shown = `\`${redactArgv(gate.command).join(" ")}\``;
    let attempts = 0;
    let missing: UnreachableNode[] = gate.expectNodes.map((address) => ({ address, why: "not listed" as const }));
    let last = "";
    for (;;) {
        attempts++;
        const remaining = Math.max(1, Math.min(ATTEMPT_TIMEOUT_SECONDS, Math.ceil((deadline - Date.now()) / 1000)));
        try {
            const s = await link.session();
            const r = await s.exec(gate.command, { timeoutSeconds: remaining });
            const out = r.stdout.toString("utf8");
            if (r.code === 0) {
                const show = parseClusterShow(out);
                missing = unreachableNodes(show, gate.expectNodes);
                if (missing.length === 0) {
                    return attempts;
                }
                last = show.recognised ? "" : `; the output is not \`influxd-ctl show\`'s: ${tail(redactText(out), 300)}`;
            } else {
                // influxd-ctl exits non-zero when it cannot reach the meta node it asks: nobody is known to be reachable.
                missing = gate.expectNodes.map((address) => ({ address, why: "not listed" as const }));
                last = `; last run: exit code ${r.signal ?? r.code}: ${tail(redactText(r.stderr.toString("utf8") || out), 400)}`;
            }
        } catch (e) {
            last = `; last run: ${redactText((e as Error).message)}`;
        }
        if (link.unreachable || Date.now() + RETRY_INTERVAL_MS > deadline) {
            const seconds = Math.round((Date.now() - started) / 1000);
            throw new Error(
                `health gate ${shown} on ${link.target} failed after ${attempts} attempt${attempts === 1 ? "" : "s"} in ${seconds} s ` +
                `(timeout ${timeout} s${link.unreachable ? "; the host cannot be reached any more" : ""}): ` +
                `not reachable: ${describeUnreachable(missing)}${last}`);
        }
        await new Promise((r) => setTimeout(r, RETRY_INTERVAL_MS));
    }
}
