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
    /**
     * SHA-256 of the file's bytes as last seen: what was written, or after a refresh what is
     * there now ("" when gone), so the next diff rewrites a drifted file. A secret output when
     * the content is (a hash of key material never goes to plaintext state).
     */
    sha256: string;
    /** Id of the last write (unique per write, not derived from content): restart triggers use it. */
    writeId: string;
}
