/**
 * Where the example programs' hosts come from: stack config, or — for the local test hosts
 * (`npm run sandbox -- up`) — the sandbox's state.json, whose host keys are fresh on every `up`.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { SshConnectionArgs } from "pulumi-influxdb-tls";

export interface HostConfig {
    /** Address or name to connect to. */
    host: string;
    /** Pinned host key: the public key line ("ssh-ed25519 AAAA…"). */
    hostKey: string;
    /** Name clients use (default: host). */
    hostname?: string;
}

export interface ClusterHosts {
    meta: Record<string, HostConfig>;
    data: Record<string, HostConfig>;
    telegraf: Record<string, HostConfig>;
}

interface SandboxStateFile {
    clientKeyPath: string;
    hosts: { name: string; address: string; hostKey: string; roles: string[] }[];
}

/**
 * Reads `sandboxState` (path of the test hosts' state.json) or `hosts` (ClusterHosts) and
 * `privateKeyPath` from the stack config.
 */
export function clusterFromConfig(config: pulumi.Config): { hosts: ClusterHosts; connection: (h: HostConfig) => SshConnectionArgs } {
    const statePath = config.get("sandboxState");
    let hosts: ClusterHosts;
    let keyPath: string;
    if (statePath) {
        const state = JSON.parse(fs.readFileSync(path.resolve(statePath), "utf8")) as SandboxStateFile;
        hosts = { meta: {}, data: {}, telegraf: {} };
        for (const h of state.hosts) {
            const role = h.roles[0] as keyof ClusterHosts;
            hosts[role][h.name] = { host: h.address, hostKey: h.hostKey };
        }
        keyPath = state.clientKeyPath;
    } else {
        hosts = config.requireObject<ClusterHosts>("hosts");
        keyPath = config.require("privateKeyPath");
    }
    const privateKey = pulumi.secret(fs.readFileSync(keyPath, "utf8"));
    const user = config.get("user") ?? "root";
    return {
        hosts,
        connection: (h) => ({ host: h.host, user, privateKey, hostKey: h.hostKey, sudo: user !== "root" }),
    };
}
