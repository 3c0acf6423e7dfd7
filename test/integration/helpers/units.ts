/** Waiting on a side sandbox's services and reading their logs (the systemctl shim appends to log/<unit>.log). */
import * as fs from "node:fs";
import * as path from "node:path";
import { hostLayout, systemctl, type HostState, type SandboxState } from "../../sandbox";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Calls `probe` until it returns something other than undefined; throws after `ms`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
        const v = await probe();
        if (v !== undefined) return v;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await sleep(100);
    }
}

const logOf = (h: HostState, unit: string) => path.join(hostLayout(h.dir).log, `${unit}.log`);

/** The unit's log size now: pass it to logSince after a restart to read only that run's lines. */
export const logSize = (h: HostState, unit: string) => (fs.existsSync(logOf(h, unit)) ? fs.statSync(logOf(h, unit)).size : 0);
export const logSince = (h: HostState, unit: string, from: number) => fs.readFileSync(logOf(h, unit)).subarray(from).toString("utf8");

/** Waits for the unit to be active and `ready`, or to have failed; returns is-active's word. */
export async function settle(state: SandboxState, h: HostState, unit: string, ready: () => Promise<boolean>, ms = 30_000): Promise<string> {
    return until(`${unit} on ${h.name} to settle`, async () => {
        const st = (await systemctl(h.name, "is-active", unit, { state, allowFailure: true })).stdout.trim();
        if (st === "failed") return st;
        return st === "active" && (await ready()) ? st : undefined;
    }, ms);
}
