/**
 * The stdin framing of every file write: one header line, then the content.
 *
 *     pitls-file v1 <length in bytes> <sha256 hex>\n<content>
 *
 * The write script checks that exactly <length> bytes with that SHA-256 arrived before it
 * touches the target, so a connection that dies mid-content can never put a truncated file in
 * place. The header travels on stdin (a secret for key material), never in the command line:
 * the command stays constant, reviewable text and no hash of a private key is ever shown.
 */
import { sha256Hex } from "./hash";

export const FRAME_TAG = "pitls-file v1";

/** The header line (with its newline) announcing `content`. */
export function frameHeader(content: Buffer | string): string {
    const length = typeof content === "string" ? Buffer.byteLength(content, "utf8") : content.length;
    return `${FRAME_TAG} ${length} ${sha256Hex(content)}\n`;
}

/** Header + content as one string (remote.Command's stdin is a string). */
export function frame(content: string): string {
    return frameHeader(content) + content;
}

/** Header + content as bytes (the SSH layer's stdin). */
export function frameBuffer(content: Buffer | string): Buffer {
    return Buffer.concat([Buffer.from(frameHeader(content), "utf8"), typeof content === "string" ? Buffer.from(content, "utf8") : content]);
}

/**
 * A header carrying only a hash, for the guarded remove (which reads the hash and ignores the
 * length): "the file must still have these bytes".
 */
export function expectationHeader(sha256: string): string {
    return `${FRAME_TAG} - ${sha256}\n`;
}

/**
 * The write script's stdin: for a compare-and-swap against a hash, an expectation header
 * first (the hash of the file being replaced — a key's, for a key file — goes here, never in
 * the command line), then the frame.
 */
export function writeInput(content: Buffer | string, expectedSha256?: string | null): Buffer {
    const frame = frameBuffer(content);
    return typeof expectedSha256 === "string" ? Buffer.concat([Buffer.from(expectationHeader(expectedSha256), "utf8"), frame]) : frame;
}
