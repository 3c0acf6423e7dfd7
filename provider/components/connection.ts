import * as pulumi from "@pulumi/pulumi";
import type { types } from "@pulumi/command";
import type { SshConnection } from "../ssh/types";
import { normalizeConnection } from "../ssh/defaults";
import type { SshConnectionArgs } from "../resources/connectionArgs";
import { connectionProblems as sshConnectionProblems } from "../ssh/connectionProblems";

/** Values not known while the program runs (Outputs, promises): checked when they resolve. */
function pending(v: unknown): boolean {
    return pulumi.Output.isInstance(v) || (v instanceof Promise);
}

/**
 * Every problem with the connection and each bastion (`connection.proxy`, …): the SSH
 * layer's rules (host, port, user, pins of every hop — an unpinned bastion would let a
 * command talk through a host nobody verified), plus, when remote.Command installs files,
 * that each pin is a public key line: remote.Command cannot check a fingerprint.
 */
function problemsOf(component: string, c: unknown, usesCommand: boolean): string[] {
    const problems = sshConnectionProblems(c, "connection", pending).map((p) => `${component}: ${p.property}: ${p.reason}`);
    let prop = "connection";
    for (let hop = c as { hostKey?: unknown; proxy?: unknown } | undefined; hop && typeof hop === "object" && !pending(hop); hop = hop.proxy as typeof hop) {
        const pin = hop.hostKey;
        if (usesCommand && typeof pin === "string" && pin.split(/\r?\n/).some((l) => /^(\S+\s+)?SHA256:/.test(l.trim()))) {
            // @pulumi/command's remote.Command only pins a full public key; a fingerprint would leave
            // the file installs unpinned, so it is refused rather than silently weakened.
            problems.push(`${component}: ${prop}.hostKey must be the public key line ("ssh-ed25519 AAAA…"), ` +
                `not a SHA256 fingerprint: remote.Command, which installs the certificate files, can only pin a key line ` +
                `(or set fileInstaller: "ssh", whose SSH layer checks fingerprints too)`);
        }
        prop += ".proxy";
    }
    return problems;
}

/**
 * What the component can know synchronously about a connection, to fail early with a clear
 * message naming the argument. Values given as Outputs are checked again when they are known
 * (commandConnection), before any remote.Command gets them.
 */
export function connectionProblems(component: string, c: SshConnectionArgs, usesCommand: boolean): string[] {
    return problemsOf(component, c, usesCommand);
}

/**
 * The connection in @pulumi/command's shape (host key pinned whenever one is given). The
 * whole chain's pins are checked on the resolved value, so a bastion that was an Output at
 * construction cannot reach remote.Command unpinned: the connection then fails to resolve
 * and no command runs.
 */
export function commandConnection(c: pulumi.Input<SshConnectionArgs>, component = "file installer (remote.Command)"): pulumi.Output<types.input.remote.ConnectionArgs> {
    return pulumi.output(c).apply((v: SshConnection) => checkedCommandConnection(component, v));
}

/** A resolved connection in @pulumi/command's shape; throws, naming the argument, if any hop breaks the rules. */
export function checkedCommandConnection(component: string, v: SshConnection): types.input.remote.ConnectionArgs {
    const problems = problemsOf(component, v, true);
    if (problems.length > 0) {
        throw new Error(problems.join("\n"));
    }
    return toCommand(v);
}

function toCommand(v: SshConnection): types.input.remote.ConnectionArgs {
    const n = normalizeConnection(v);
    const out: Record<string, unknown> = { host: n.host, port: n.port, user: n.user };
    if (v.privateKey !== undefined) out.privateKey = v.privateKey;
    if (v.privateKeyPassphrase !== undefined) out.privateKeyPassword = v.privateKeyPassphrase;
    if (v.password !== undefined) out.password = v.password;
    if (v.agentSocket !== undefined) out.agentSocketPath = v.agentSocket;
    if (v.hostKey !== undefined) out.hostKey = v.hostKey; // a pin, when given, is always enforced
    if (v.connectTimeoutSeconds !== undefined) out.perDialTimeout = v.connectTimeoutSeconds;
    if (v.dialErrorLimit !== undefined) out.dialErrorLimit = v.dialErrorLimit;
    if (v.proxy !== undefined) out.proxy = toCommand(v.proxy);
    return out as unknown as types.input.remote.ConnectionArgs;
}
