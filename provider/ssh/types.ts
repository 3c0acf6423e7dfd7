/**
 * How to reach a host over SSH. Plain data (no Inputs): this is what dynamic providers
 * receive. Secrets here (privateKey, privateKeyPassphrase, password) must never be logged,
 * put in an error, or in a command line.
 */
export interface SshConnection {
    /** Host name or address. */
    host: string;
    /** TCP port. Defaults to 22. */
    port?: number;
    /** Login user. Defaults to "root". */
    user?: string;
    /** PEM/OpenSSH private key text. */
    privateKey?: string;
    /** Passphrase for an encrypted privateKey. */
    privateKeyPassphrase?: string;
    /** Password authentication. */
    password?: string;
    /** Path of an ssh-agent socket (e.g. process.env.SSH_AUTH_SOCK at the caller). */
    agentSocket?: string;
    /**
     * The host key to pin: an OpenSSH fingerprint ("SHA256:…", matched against the key the
     * server prefers to present, usually ed25519), a fingerprint naming its key type
     * ("ecdsa-sha2-nistp256 SHA256:…", "ssh-rsa SHA256:…": that key type is negotiated), or a
     * public key line ("ssh-ed25519 AAAA… [comment]", as in known_hosts/authorized_keys without
     * the host field). Several lines pin several keys. Required unless insecureIgnoreHostKey is true.
     */
    hostKey?: string;
    /** Accept any host key. Insecure; an explicit opt-in for throwaway hosts. Defaults to false. */
    insecureIgnoreHostKey?: boolean;
    /** Seconds to wait for the TCP connection and SSH handshake, per attempt. Defaults to 15. */
    connectTimeoutSeconds?: number;
    /**
     * How many times to try to reach the host (refused, unreachable, no handshake within
     * connectTimeoutSeconds) before failing, with 1 s, 2 s, 4 s … (at most 10 s) between
     * attempts. Authentication failures and host key mismatches are never retried.
     * Defaults to 3. Passed to remote.Command as `dialErrorLimit`.
     */
    dialErrorLimit?: number;
    /** Seconds a single remote command may run before it is aborted. Defaults to 120. */
    commandTimeoutSeconds?: number;
    /** Run remote commands through non-interactive `sudo -n` (needs NOPASSWD). Defaults to false. */
    sudo?: boolean;
    /** Optional bastion to tunnel through (same shape, pinned the same way). */
    proxy?: SshConnection;
}

/** Result of a remote command. */
export interface ExecResult {
    /** Exit code; -1 when the command was killed by a signal (see signal). */
    code: number;
    /** Name of the signal that ended the command (e.g. "SIGKILL"), when it was killed. */
    signal?: string;
    stdout: Buffer;
    stderr: Buffer;
}

/** A file read from a host. */
export interface HostFile {
    exists: boolean;
    content: Buffer;
    /** Lowercase hex SHA-256 of content ("" when the file does not exist). */
    sha256: string;
    /** Octal mode string such as "644", owner and group names, when the file exists. */
    mode?: string;
    owner?: string;
    group?: string;
    /** Numeric owner and group ids, when the file exists. */
    uid?: string;
    gid?: string;
}

export interface WriteOptions {
    /**
     * Compare-and-swap: the SHA-256 (hex) the file must still have right before the rename;
     * null means "the file must not exist"; undefined means no check.
     */
    expectedSha256?: string | null;
    /** Octal mode such as "0600". Defaults to the existing file's mode, else "0644". */
    mode?: string;
    /** Owner user name. Defaults to the existing file's owner, else the login/sudo user. */
    owner?: string;
    /** Group name. Defaults to the existing file's group, else the owner's group. */
    group?: string;
    /**
     * Keep the replaced file as a hard-linked backup next to it, for SshSession.restoreBackup
     * (a rollback by rename: no free space needed, bytes, owner and mode exactly as they were).
     */
    keepBackup?: boolean;
}
