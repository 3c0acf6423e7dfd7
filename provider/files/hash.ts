import * as crypto from "crypto";

/** Lowercase hex SHA-256 of the bytes (a string counts as its UTF-8 bytes): the one hash of file content. */
export function sha256Hex(data: Buffer | string): string {
    return crypto.createHash("sha256").update(data).digest("hex");
}
