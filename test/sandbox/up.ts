/**
 * Brings a sandbox up: N hosts on loopback addresses, each with its own mount
 * namespace, sshd and its role's services (data: influxd 1.6.7 or 1.13.2; meta: the
 * influxdb-meta stand-in; telegraf: the real Telegraf 1.37.2). Idempotent: an up and healthy sandbox
 * with the requested hosts and units is returned as is; anything else is torn down and
 * rebuilt (so a sandbox made by an older version of this code is replaced once).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { downUnlocked } from "./down";
import { DEFAULT_HOSTS, influxdOf, validateHosts, type HostSpec } from "./hosts";
import { prepareHost } from "./hostfs";
import { defaultSandboxDir, hostLayout, sandboxLayout } from "./layout";
import { withLock } from "./lock";
import { ensureMachine, SUDO_USER } from "./machine";
import { systemctl } from "./onhost";
import { mountNamespace } from "./procs";
import { run } from "./run";
import { installStandinPrograms, META_HTTP_PORT, waitForUnits } from "./services";
import { SSH_PORT, startSshd } from "./sshd";
import { saveSandbox, tryLoadSandbox, type HostState, type SandboxState } from "./state";
import { sandboxStatus } from "./status";
import { unitsForRoles } from "./units";
import { pingStatus, sshBanner } from "./wait";

export interface UpOptions {
    /** Sandbox directory. Defaults to $PITLS_SANDBOX_DIR or <repo>/.sandbox. */
    readonly dir?: string;
    /** Hosts to run. Defaults to DEFAULT_HOSTS (data1, data2, meta1, tele1). */
    readonly hosts?: readonly HostSpec[];
    /**
     * Reuse a running sandbox only if it has exactly these hosts (`up --meta/--data/--telegraf`:
     * a 1+16+1 sandbox is not a 3+4+1 one). Default false: any healthy sandbox that has every
     * requested host is reused, so tests asking for the default four run on a bigger one too.
     */
    readonly exact?: boolean;
}

export async function sandboxUp(opts: UpOptions = {}): Promise<SandboxState> {
    const dir = path.resolve(opts.dir ?? defaultSandboxDir());
    const hosts = opts.hosts ?? DEFAULT_HOSTS;
    validateHosts(hosts);
    return withLock(dir, async () => {
        const existing = await reusable(dir, hosts, opts.exact ?? false);
        if (existing) return existing;
        await downUnlocked(dir); // stale or half-built leftovers, if any
        try {
            return await build(dir, hosts);
        } catch (e) {
            await downUnlocked(dir); // leave nothing running behind a failed `up`
            throw e;
        }
    });
}

/** The current state if it is healthy and has every requested host at the same address and roles. */
async function reusable(dir: string, wanted: readonly HostSpec[], exact: boolean): Promise<SandboxState | undefined> {
    let state: SandboxState | undefined;
    try {
        state = tryLoadSandbox(dir);
    } catch {
        return undefined;
    }
    if (!state) return undefined;
    const units = (w: HostSpec) => unitsForRoles(w.roles).map((u) => u.name).join();
    const same = wanted.every((w) =>
        state!.hosts.some((h) => h.name === w.name && h.address === w.address && h.roles.join() === w.roles.join() && h.units.join() === units(w)
            && h.influxd === influxdOf(w)
            // made before the journalctl stand-in existed, or before the stand-ins ran from opt/
            && fs.existsSync(hostLayout(h.dir).journalctl) && fs.existsSync(hostLayout(h.dir).standins)),
    );
    if (!same || (exact && state.hosts.length !== wanted.length)) return undefined;
    if (!(await sandboxStatus(dir)).healthy) return undefined;
    for (const h of state.hosts) installStandinPrograms(hostLayout(h.dir)); // rebuilt stand-ins run from the next restart on
    return state;
}

async function build(dir: string, hosts: readonly HostSpec[]): Promise<SandboxState> {
    const defaults = await ensureMachine();
    await assertAddressesFree(hosts);
    const l = sandboxLayout(dir);
    await run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "pitls-sandbox-client", "-f", l.clientKey]);
    const clientPublicKey = fs.readFileSync(`${l.clientKey}.pub`, "utf8");
    const prepared = await settled(hosts.map((h) => prepareHost(h, dir, defaults, hosts, clientPublicKey)));
    fs.writeFileSync(l.knownHosts, hosts.map((h, i) => `${h.address} ${prepared[i]!.hostKey}\n`).join(""));

    const pids = await settled(hosts.map((h, i) => startSshd(h, prepared[i]!.layout)));
    const state: SandboxState = {
        version: 1,
        dir,
        createdAt: new Date().toISOString(),
        clientKeyPath: l.clientKey,
        knownHostsPath: l.knownHosts,
        users: { root: "root", sudo: SUDO_USER },
        hosts: hosts.map((h, i): HostState => {
            const p = prepared[i]!;
            const ns = mountNamespace(pids[i]!);
            if (!ns || ns === mountNamespace(process.pid)) throw new Error(`sandbox: sshd of ${h.name} is not in its own mount namespace`);
            return {
                name: h.name,
                address: h.address,
                sshPort: SSH_PORT,
                roles: h.roles,
                ...(influxdOf(h) !== undefined ? { influxd: influxdOf(h) } : {}),
                hostKey: p.hostKey,
                hostKeyFingerprint: p.hostKeyFingerprint,
                dir: p.layout.dir,
                sshdPid: pids[i]!,
                mountNamespace: ns,
                units: p.units,
            };
        }),
    };
    saveSandbox(state); // before starting services, so a failure below can still be cleaned up by PID
    await settled(
        state.hosts.map(async (h) => {
            for (const unit of h.units) await systemctl(h.name, "start", unit, { state });
            await waitForUnits(h);
        }),
    );
    return state;
}

/**
 * Like Promise.all, but waits for every host's step to finish before failing, so the
 * cleanup after a failure does not race with steps still running.
 */
async function settled<T>(steps: readonly Promise<T>[]): Promise<T[]> {
    const results = await Promise.allSettled(steps);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
    return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/** Fails early if another sandbox (or anything else) already serves one of these addresses. */
async function assertAddressesFree(hosts: readonly HostSpec[]): Promise<void> {
    // All at once: with 16+ hosts, one 500 ms timeout after another would add up.
    await settled(hosts.map(async (h) => {
        const busy = await Promise.all([
            sshBanner(h.address, SSH_PORT, 500),
            pingStatus(h.address, 8086, 500).then((s) => s !== undefined),
            pingStatus(h.address, META_HTTP_PORT, 500).then((s) => s !== undefined),
        ]);
        if (busy.some(Boolean)) throw new Error(`sandbox: ${h.address} already has a listener on :${SSH_PORT}, :8086 or :${META_HTTP_PORT} (another sandbox dir?)`);
    }));
}
