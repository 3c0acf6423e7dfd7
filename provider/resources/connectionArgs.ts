import * as pulumi from "@pulumi/pulumi";
import type { SshConnection } from "../ssh/types";

/**
 * How to reach a host over SSH. The whole connection is stored as a secret.
 * Host keys are pinned by default: give `hostKey`, or opt out with `insecureIgnoreHostKey`.
 */
export interface SshConnectionArgs {
    /** Host name or address. */
    readonly host: pulumi.Input<string>;
    /** TCP port. Defaults to 22. */
    readonly port?: pulumi.Input<number>;
    /** Login user. Defaults to "root". */
    readonly user?: pulumi.Input<string>;
    /** Private key text (PEM or OpenSSH format). */
    readonly privateKey?: pulumi.Input<string>;
    /** Passphrase of an encrypted `privateKey`. */
    readonly privateKeyPassphrase?: pulumi.Input<string>;
    /** Password authentication. */
    readonly password?: pulumi.Input<string>;
    /** ssh-agent socket path, e.g. `process.env.SSH_AUTH_SOCK`. */
    readonly agentSocket?: pulumi.Input<string>;
    /** Pinned host key: "SHA256:…" fingerprint or "ssh-ed25519 AAAA…" public key line. */
    readonly hostKey?: pulumi.Input<string>;
    /** Accept any host key (insecure; for throwaway hosts only). Defaults to false. */
    readonly insecureIgnoreHostKey?: pulumi.Input<boolean>;
    /** Seconds to wait for connect + handshake. Defaults to 15. */
    readonly connectTimeoutSeconds?: pulumi.Input<number>;
    /** Seconds one remote command may run. Defaults to 120. */
    readonly commandTimeoutSeconds?: pulumi.Input<number>;
    /** Run commands through `sudo -n` (needs NOPASSWD sudo). Defaults to false. */
    readonly sudo?: pulumi.Input<boolean>;
    /** Bastion host to tunnel through. */
    readonly proxy?: pulumi.Input<SshConnectionArgs>;
}

/** "user@host:port" for display; never secret, never carries credentials. */
export function connectionTarget(connection: pulumi.Input<SshConnectionArgs>): pulumi.Output<string> {
    const c = pulumi.output(connection) as pulumi.Output<SshConnection>;
    // The target names no credential, so it is shown to reviewers even when the connection is secret.
    return pulumi.unsecret(c.apply((v) => `${v.user ?? "root"}@${v.host}:${v.port ?? 22}`));
}
