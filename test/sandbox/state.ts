/** state.json: what `up` started, for `down`, `status` and tests. */
import * as fs from "node:fs";
import type { HostRole, InfluxdVersion } from "./hosts";
import { defaultSandboxDir, sandboxLayout } from "./layout";

export interface HostState {
    readonly name: string;
    /** 127.x.y.z; sshd on `sshPort`, influxd (data hosts) on 8086 (HTTP) and 8088 (RPC). */
    readonly address: string;
    readonly sshPort: number;
    readonly roles: readonly HostRole[];
    /** Data hosts: the influxd version they run ("1.6.7" Debian's, "1.13.2" built from the Go module proxy). */
    readonly influxd?: InfluxdVersion;
    /** Public host key line, e.g. "ssh-ed25519 AAAA…", for pinning. */
    readonly hostKey: string;
    /** "SHA256:…" as printed by `ssh-keygen -lf`. */
    readonly hostKeyFingerprint: string;
    /** The host's directory (see layout.ts hostLayout for what is inside). */
    readonly dir: string;
    /** sshd's PID; its mount namespace is the host's (`nsenter --target <pid> --mount`). */
    readonly sshdPid: number;
    /** e.g. "mnt:[4026532177]"; `down` kills every process in it. */
    readonly mountNamespace: string;
    /** Units the host's systemctl shim knows, e.g. ["influxdb"]. */
    readonly units: readonly string[];
}

export interface SandboxState {
    readonly version: 1;
    readonly dir: string;
    readonly createdAt: string;
    /** Private key (ed25519, no passphrase) accepted for every user on every host. */
    readonly clientKeyPath: string;
    /** known_hosts with every host's address and key. */
    readonly knownHostsPath: string;
    readonly users: { readonly root: "root"; readonly sudo: string };
    readonly hosts: readonly HostState[];
}

/** The sandbox `up` made in `dir` (default: $PITLS_SANDBOX_DIR or <repo>/.sandbox); throws if none. */
export function loadSandbox(dir: string = defaultSandboxDir()): SandboxState {
    const state = tryLoadSandbox(dir);
    if (!state) throw new Error(`sandbox: no sandbox in ${dir}; run \`npm run sandbox -- up\``);
    return state;
}

export function tryLoadSandbox(dir: string = defaultSandboxDir()): SandboxState | undefined {
    const file = sandboxLayout(dir).stateFile;
    if (!fs.existsSync(file)) return undefined;
    const state = JSON.parse(fs.readFileSync(file, "utf8")) as SandboxState;
    if (state.version !== 1) throw new Error(`sandbox: ${file} has unknown version ${String(state.version)}`);
    return state;
}

export function saveSandbox(state: SandboxState): void {
    const file = sandboxLayout(state.dir).stateFile;
    fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
    fs.renameSync(`${file}.tmp`, file);
}

export function findHost(state: SandboxState, name: string): HostState {
    const host = state.hosts.find((h) => h.name === name);
    if (!host) throw new Error(`sandbox: no host ${name}; have ${state.hosts.map((h) => h.name).join(", ")}`);
    return host;
}
