/**
 * The two installers of the one file-writing contract (provider/files), as the contract suite
 * drives them on a real host: the SSH layer's `SshSession.writeFileAtomic`, and the command
 * string the components hand to `remote.Command`, run the way pulumi-command runs it (the
 * harness's rawExec: one connection, the string as the SSH exec request, stdin).
 */
import type { ClientChannel } from "ssh2";
import { expectationHeader, frame, installFileCommand, parseWriteOutput, scriptMessage, writeFileArgv } from "../../../provider/files";
import { connect, endConnected } from "../../../provider/ssh/connect";
import { shellCommand } from "../../../provider/ssh/quote";
import { SshSession } from "../../../provider/ssh/session";
import type { SshConnection } from "../../../provider/ssh/types";
import { rawExec } from "../../harness";

export interface Spec {
    mode?: string;
    owner?: string;
    group?: string;
    expectedSha256?: string | null;
}

/** What a write came to: ok with its write id, or failed with the script's message / the error text. */
export type Outcome = { ok: true; writeId: string } | { ok: false; message: string; code?: number };

export interface Installer {
    readonly name: string;
    /** Write `content` at `path` the installer's normal way. */
    write(conn: SshConnection, path: string, content: string | Buffer, spec?: Spec): Promise<Outcome>;
    /** The exact command line this installer sends for a write (to drive it with a hand-made stdin). */
    commandLine(path: string, spec?: Spec): string;
}

export const sshLayer: Installer = {
    name: "SshSession.writeFileAtomic",
    async write(conn, path, content, spec = {}) {
        let s: SshSession | undefined;
        try {
            s = await SshSession.open(conn);
            const { writeId } = await s.writeFileAtomic(path, content, spec);
            return { ok: true, writeId };
        } catch (e) {
            const err = e as Error & { code?: number };
            return { ok: false, message: err.message, code: err.code };
        } finally {
            await s?.close();
        }
    },
    // What SshSession.exec sends for writeFileAtomic (no sudo).
    commandLine: (path, spec = {}) => shellCommand(writeFileArgv(path, spec)),
};

function commandSpec(spec: Spec): { mode: string; owner: string; group: string } {
    return { mode: spec.mode ?? "0644", owner: spec.owner ?? "root", group: spec.group ?? "root" };
}

export const remoteCommand: Installer = {
    name: "remote.Command",
    async write(conn, path, content, spec = {}) {
        try {
            const r = await rawExec(conn, remoteCommand.commandLine(path, spec), {
                // A compare-and-swap's hash goes first on stdin (never in the command line).
                stdin: (typeof spec.expectedSha256 === "string" ? expectationHeader(spec.expectedSha256) : "") + frame(content.toString()), timeoutSeconds: 60, dialErrorLimit: 1,
            });
            if (r.code === 0) return { ok: true, writeId: parseWriteOutput(r.stdout) ?? "" };
            return { ok: false, code: r.code ?? undefined, message: scriptMessage(r.stderr) || r.combined.toString() };
        } catch (e) {
            return { ok: false, message: (e as Error).message };
        }
    },
    // The components' install has no compare-and-swap ("any"); the same script with an
    // expectation is what a compare-and-swap through remote.Command would send.
    commandLine: (path, spec = {}) => spec.expectedSha256 === undefined
        ? installFileCommand({ path, ...commandSpec(spec) })
        : shellCommand(writeFileArgv(path, { ...commandSpec(spec), expectedSha256: spec.expectedSha256 })),
};

export const INSTALLERS: readonly Installer[] = [sshLayer, remoteCommand];

/** A command whose stdin the test writes piece by piece (and may never finish). */
export interface Stream {
    readonly channel: ClientChannel;
    /** Exit code (null: killed / no status) and stderr, once the command ended. */
    readonly done: Promise<{ code: number | null; stderr: string }>;
    close(): void;
}

export async function openStream(conn: SshConnection, command: string): Promise<Stream> {
    const connected = await connect(conn);
    return new Promise<Stream>((resolve, reject) => {
        connected.client.exec(command, (e, ch) => {
            if (e) {
                endConnected(connected);
                return reject(e);
            }
            const err: Buffer[] = [];
            let code: number | null = null;
            ch.stderr.on("data", (d: Buffer) => err.push(d));
            ch.on("data", () => undefined);
            ch.on("exit", (c: number | null) => (code = typeof c === "number" ? c : null));
            const done = new Promise<{ code: number | null; stderr: string }>((r) => ch.on("close", () => {
                endConnected(connected);
                r({ code, stderr: Buffer.concat(err).toString() });
            }));
            resolve({ channel: ch, done, close: () => endConnected(connected) });
        });
    });
}
