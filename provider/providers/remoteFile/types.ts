import type { SshConnection } from "../../ssh/types";

/** The RemoteFile provider's inputs (plain values, as the engine hands them over). */
export interface RemoteFileInputs {
    schemaVersion: number;
    connection: SshConnection;
    /** "user@host:port", shown to reviewers (the connection itself is secret). */
    target: string;
    path: string;
    /** File content (a secret when it is key material). */
    content: string;
    mode: string;
    owner: string;
    group: string;
}

export interface RemoteFileOutputs extends RemoteFileInputs {
    /** SHA-256 of the bytes this resource wrote (what delete checks before removing). */
    sha256: string;
}
