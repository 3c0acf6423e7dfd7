import * as pulumi from "@pulumi/pulumi";
import type { types } from "@pulumi/command";
import type { SshConnection } from "../ssh/types";
import type { SshConnectionArgs } from "../resources/connectionArgs";

/** What the component needs to know synchronously about a connection, to fail early with a clear message. */
export function connectionProblems(component: string, c: SshConnectionArgs, usesCommand: boolean): string[] {
    const problems: string[] = [];
    const pin = c.hostKey;
    if (pin === undefined && c.insecureIgnoreHostKey !== true) {
        problems.push(`${component}: connection.hostKey must pin the host key (or set insecureIgnoreHostKey: true for throwaway hosts)`);
    }
    if (usesCommand && typeof pin === "string" && pin.trim().startsWith("SHA256:")) {
        // @pulumi/command's remote.Command only pins a full public key; a fingerprint would leave
        // the file installs unpinned, so it is refused rather than silently weakened.
        problems.push(`${component}: connection.hostKey must be the public key line ("ssh-ed25519 AAAA…"), ` +
            `not a SHA256 fingerprint: remote.Command, which installs the certificate files, can only pin a key line ` +
            `(or set fileInstaller: "ssh", whose SSH layer checks fingerprints too)`);
    }
    return problems;
}

/** The connection in @pulumi/command's shape (host key pinned whenever one is given). */
export function commandConnection(c: pulumi.Input<SshConnectionArgs>): pulumi.Output<types.input.remote.ConnectionArgs> {
    return pulumi.output(c).apply((v: SshConnection) => toCommand(v));
}

function toCommand(v: SshConnection): types.input.remote.ConnectionArgs {
    const out: Record<string, unknown> = { host: v.host, port: v.port ?? 22, user: v.user ?? "root" };
    if (v.privateKey !== undefined) out.privateKey = v.privateKey;
    if (v.privateKeyPassphrase !== undefined) out.privateKeyPassword = v.privateKeyPassphrase;
    if (v.password !== undefined) out.password = v.password;
    if (v.agentSocket !== undefined) out.agentSocketPath = v.agentSocket;
    if (v.hostKey !== undefined) out.hostKey = v.hostKey; // a pin, when given, is always enforced
    if (v.connectTimeoutSeconds !== undefined) out.perDialTimeout = v.connectTimeoutSeconds;
    if (v.proxy !== undefined) out.proxy = toCommand(v.proxy);
    return out as unknown as types.input.remote.ConnectionArgs;
}
