/**
 * Host key pinning: parse a pin (OpenSSH fingerprint or public key line) and check the
 * key a server presents against it. Pure functions; the session calls them from ssh2's
 * `hostVerifier`.
 */

/** A parsed pin: every fingerprint that is accepted, and the key types when known. */
export interface HostKeyPin {
    /** Accepted "SHA256:<base64 without padding>" fingerprints. */
    readonly fingerprints: readonly string[];
    /**
     * Key types of the pinned keys ("ssh-ed25519", …) when every pin names its type (a public
     * key line, or "<key type> SHA256:…"), so the handshake asks for exactly those key types:
     * a server with several host keys then presents the pinned one. Undefined when some pin
     * is a bare fingerprint (the server then presents the key type it prefers, usually ed25519).
     */
    readonly keyTypes?: readonly string[];
}

/** Result of checking a presented key. */
export interface HostKeyCheck {
    readonly ok: boolean;
    /** Fingerprint of the presented key. */
    readonly actual: string;
    /** Accepted fingerprints, for error messages. */
    readonly expected: readonly string[];
    /** Key type of the presented key ("ssh-ed25519"), when it can be read. */
    readonly actualType?: string;
}

const KEY_TYPE = /^(ssh-ed25519|ssh-rsa|ssh-dss|ecdsa-sha2-nistp(256|384|521)|sk-[A-Za-z0-9@.-]+)$/;
const FINGERPRINT = /^SHA256:([A-Za-z0-9+/]{43})=?$/;
/** "ecdsa-sha2-nistp256 SHA256:…": a fingerprint that names the key type it belongs to. */
const TYPED_FINGERPRINT = /^(\S+)\s+SHA256:([A-Za-z0-9+/]{43})=?$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** OpenSSH-style SHA-256 fingerprint of a public key blob: "SHA256:<base64, no padding>". */
export function hostKeyFingerprint(blob: Buffer): string {
    const crypto = require("crypto") as typeof import("crypto");
    const digest = crypto.createHash("sha256").update(blob).digest("base64");
    return "SHA256:" + digest.replace(/=+$/, "");
}

/** The key type string embedded at the start of an SSH public key blob, or undefined. */
export function hostKeyType(blob: Buffer): string | undefined {
    if (blob.length < 4) {
        return undefined;
    }
    const len = blob.readUInt32BE(0);
    if (len === 0 || len > 64 || blob.length < 4 + len) {
        return undefined;
    }
    return blob.subarray(4, 4 + len).toString("latin1");
}

/**
 * Parse a pin. Accepts, one per line (blank lines and `#` comments ignored):
 * - an OpenSSH fingerprint "SHA256:…" (as printed by `ssh-keygen -lf`);
 * - a fingerprint with its key type, "ecdsa-sha2-nistp256 SHA256:…" (needed to pin a
 *   host's ECDSA or RSA key by fingerprint when the host also has an ed25519 key);
 * - a public key line "ssh-ed25519 AAAA… [comment]";
 * - a known_hosts line "host[,host…] ssh-ed25519 AAAA… [comment]" (the host field is ignored).
 * Several lines pin several keys (any one may match). Throws on anything else.
 */
export function parseHostKeyPin(pin: string): HostKeyPin {
    const fingerprints: string[] = [];
    const keyTypes: string[] = [];
    let allKeys = true;
    for (const raw of pin.split(/\r?\n/)) {
        const line = raw.trim();
        if (line === "" || line.startsWith("#")) {
            continue;
        }
        const fp = FINGERPRINT.exec(line);
        if (fp) {
            fingerprints.push("SHA256:" + fp[1]);
            allKeys = false;
            continue;
        }
        const typed = TYPED_FINGERPRINT.exec(line);
        if (typed) {
            if (!KEY_TYPE.test(typed[1])) {
                throw new Error(`hostKey: unknown host key type "${typed[1].slice(0, 40)}" (expected ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa)`);
            }
            fingerprints.push("SHA256:" + typed[2]);
            keyTypes.push(typed[1]);
            continue;
        }
        const key = parseKeyLine(line);
        fingerprints.push(hostKeyFingerprint(key.blob));
        keyTypes.push(key.type);
    }
    if (fingerprints.length === 0) {
        throw new Error("hostKey is empty: expected \"SHA256:…\" or a public key line \"ssh-ed25519 AAAA…\"");
    }
    return allKeys ? { fingerprints, keyTypes } : { fingerprints };
}

function parseKeyLine(line: string): { type: string; blob: Buffer } {
    const tokens = line.split(/\s+/);
    if (tokens[0].startsWith("@")) {
        throw new Error(`hostKey: known_hosts markers such as ${tokens[0]} are not supported`);
    }
    // The key type is the first or (known_hosts) second token.
    for (let i = 0; i <= 1 && i + 1 < tokens.length; i++) {
        if (!KEY_TYPE.test(tokens[i])) {
            continue;
        }
        const data = tokens[i + 1];
        if (!BASE64.test(data)) {
            break;
        }
        const blob = Buffer.from(data, "base64");
        if (hostKeyType(blob) !== tokens[i]) {
            throw new Error(`hostKey: the ${tokens[i]} key data does not encode a ${tokens[i]} key`);
        }
        return { type: tokens[i], blob };
    }
    const typeLike = tokens.slice(0, 2).find((t) => /^(ssh-|ecdsa-|sk-)/.test(t) && !KEY_TYPE.test(t));
    if (typeLike !== undefined) {
        throw new Error(`hostKey: unknown host key type "${typeLike.slice(0, 40)}" (expected ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa)`);
    }
    // Do not echo the line: it is a public key, but keep error text short and predictable.
    throw new Error(
        "hostKey: not a fingerprint (\"SHA256:…\") or public key line (\"ssh-ed25519 AAAA… [comment]\")",
    );
}

/** Check a presented key blob against a pin (text or parsed). */
export function checkHostKey(blob: Buffer, pin: string | HostKeyPin): HostKeyCheck {
    const parsed = typeof pin === "string" ? parseHostKeyPin(pin) : pin;
    const actual = hostKeyFingerprint(blob);
    return { ok: parsed.fingerprints.includes(actual), actual, expected: parsed.fingerprints, actualType: hostKeyType(blob) };
}

/**
 * Server host key algorithms to offer in the handshake for a pin, so a server with several
 * host keys presents the pinned one. Undefined means "ssh2's defaults" (fingerprint pins).
 */
export function hostKeyAlgorithms(pin: HostKeyPin): string[] | undefined {
    if (!pin.keyTypes) {
        return undefined;
    }
    const algos: string[] = [];
    for (const type of pin.keyTypes) {
        const names = type === "ssh-rsa" ? ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] : [type];
        for (const n of names) {
            if (!algos.includes(n)) {
                algos.push(n);
            }
        }
    }
    // ssh2 cannot verify FIDO (sk-*) host keys; let it fall back to its defaults then.
    return algos.some((a) => a.startsWith("sk-")) ? undefined : algos;
}
