import * as pulumi from "@pulumi/pulumi";
import type { SshConnection } from "../ssh/types";
import { targetOf } from "../ssh/defaults";

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
    /**
     * Pinned host key: "SHA256:…" fingerprint, "ecdsa-sha2-nistp256 SHA256:…" (a fingerprint
     * naming its key type: needed for a host's ECDSA or RSA key when it also has ed25519), or
     * the public key line "ssh-ed25519 AAAA…". Several lines pin several keys.
     */
    readonly hostKey?: pulumi.Input<string>;
    /** Accept any host key (insecure; for throwaway hosts only). Defaults to false. */
    readonly insecureIgnoreHostKey?: pulumi.Input<boolean>;
    /** Seconds to wait for connect + handshake, per attempt. Defaults to 15. */
    readonly connectTimeoutSeconds?: pulumi.Input<number>;
    /**
     * Attempts to reach the host (refused, unreachable, no handshake in time) before failing,
     * with 1 s, 2 s, 4 s … (at most 10 s) between them; auth failures and host key
     * mismatches are never retried. Defaults to 3.
     */
    readonly dialErrorLimit?: pulumi.Input<number>;
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
    return pulumi.unsecret(c.apply(targetOf));
}
