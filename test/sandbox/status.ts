/** What is running in a sandbox, host by host. */
import * as fs from "node:fs";
import * as path from "node:path";
import { defaultSandboxDir, hostLayout } from "./layout";
import { isAlive, mountNamespace } from "./procs";
import { tryLoadSandbox, type HostState } from "./state";
import { pingStatus } from "./wait";

export interface HostStatus {
    readonly name: string;
    readonly address: string;
    readonly sshdPid: number;
    /** sshd runs and still holds the host's mount namespace. */
    readonly sshdAlive: boolean;
    /** Per unit the shim knows: its main PID (if any) and whether it runs. */
    readonly units: readonly { readonly name: string; readonly pid?: number; readonly alive: boolean }[];
    /** HTTP status of GET /ping on :8086 (204 when influxd is up), undefined if nothing answers. */
    readonly ping?: number;
    /** Meta hosts: HTTP status of GET /ping on :8091 (204 when the meta stand-in serves plain HTTP). */
    readonly metaPing?: number;
}

export interface SandboxStatus {
    readonly dir: string;
    readonly up: boolean;
    readonly hosts: readonly HostStatus[];
    /**
     * Every host's sshd and units run, and every data/meta host answers a plain-HTTP /ping:
     * 204 on HTTP, or 400 ("HTTP request to an HTTPS server") while a test or `npm start`
     * has HTTPS on — a healthy host either way, which `up` must not rebuild.
     */
    readonly healthy: boolean;
}

export async function sandboxStatus(dir: string = defaultSandboxDir()): Promise<SandboxStatus> {
    const state = tryLoadSandbox(dir);
    if (!state) return { dir, up: false, hosts: [], healthy: false };
    const hosts = await Promise.all(state.hosts.map(hostStatus));
    const healthy = hosts.every(
        (h, i) =>
            h.sshdAlive &&
            h.units.every((u) => u.alive) &&
            (!state.hosts[i]!.roles.includes("data") || answers(h.ping)) &&
            (!state.hosts[i]!.roles.includes("meta") || answers(h.metaPing)),
    );
    return { dir, up: true, hosts, healthy };
}

export function unitPid(host: HostState, unit: string): number | undefined {
    const file = path.join(hostLayout(host.dir).run, `${unit}.pid`);
    return fs.existsSync(file) ? Number(fs.readFileSync(file, "utf8").trim()) : undefined;
}

async function hostStatus(host: HostState): Promise<HostStatus> {
    const units = host.units.map((name) => {
        const pid = unitPid(host, name);
        return { name, pid, alive: pid !== undefined && isAlive(pid) };
    });
    return {
        name: host.name,
        address: host.address,
        sshdPid: host.sshdPid,
        sshdAlive: isAlive(host.sshdPid) && mountNamespace(host.sshdPid) === host.mountNamespace,
        units,
        ping: host.roles.includes("data") ? await pingStatus(host.address) : undefined,
        metaPing: host.roles.includes("meta") ? await pingStatus(host.address, 8091) : undefined,
    };
}

/** A /ping status that shows the server is up: 204 (HTTP) or 400 (serving HTTPS). */
function answers(status: number | undefined): boolean {
    return status === 204 || status === 400;
}
