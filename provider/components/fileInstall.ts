import * as pulumi from "@pulumi/pulumi";
import { hostPortOf } from "../ssh/defaults";
import { remote } from "@pulumi/command";
import type { SshConnectionArgs } from "../resources/connectionArgs";
import { RemoteFile } from "../resources/remoteFile";
import type { ManagedFileArgs } from "../resources/tomlSettings";
import { commandConnection } from "./connection";
import { frame, installFileCommand, parseWriteOutput, removeFileCommand, type FileSpec } from "../files";

/**
 * How certificate files get onto hosts:
 * - "transaction" (the default): the config's own resource writes them in the same
 *   all-or-nothing step as its keys — a failed create, rotation or path change puts the files
 *   and the config back together, so a certificate and key from different pairs, or a config
 *   naming a file that is not there, can never be left behind;
 * - "command": one @pulumi/command `remote.Command` per file;
 * - "ssh": one `RemoteFile` per file over this package's SSH layer.
 * The separate-resource installers cannot roll a file back when a later resource fails (a
 * rotation whose restart fails leaves the new files); they exist for stacks created with them.
 * Same write contract every way (provider/files).
 */
export type FileInstaller = "transaction" | "command" | "ssh";

/** One file for a separate-resource installer ("command" or "ssh"). */
export interface FileInstallArgs extends FileSpec {
    connection: pulumi.Input<SshConnectionArgs>;
    content: pulumi.Input<string>;
    /** Key material: no command logging, stdin/stdout/stderr stored as secrets. */
    secret: boolean;
    sudo: boolean;
}

/** A file resource and the id of its last write (changes whenever it actually writes the file). */
export interface InstalledFile {
    resource: pulumi.CustomResource;
    /** Not derived from the content; feed it into the restart triggers of a config that references the file. */
    writeId: pulumi.Output<string>;
}

/** "host:port": where the file lives. A change replaces the file resource (user or key changes do not). */
function hostOf(connection: pulumi.Input<SshConnectionArgs>): pulumi.Output<string> {
    const c = pulumi.output(connection) as pulumi.Output<{ host: string; port?: number }>;
    return pulumi.unsecret(c.apply(hostPortOf));
}

/**
 * A file on a host, written with the content (framed with its length and SHA-256) on stdin.
 * Changing the content, owner or mode rewrites it in place (an update). A new path or host
 * replaces it create-before-delete: the new file is written first, the config that depends on
 * it moves to it, and only then is the old file removed — so a failed change never leaves the
 * live config naming a deleted file. Destroy (and the old half of a replacement) removes the
 * file only if it still has the bytes this resource wrote, so a replacement cannot remove its
 * successor's file at the same path when the bytes differ. (Two resources writing the same
 * bytes to the same path — `pulumi up --replace` of a file resource, or a component renamed
 * without `aliases` — cannot be told apart by any guard: the old one's delete removes the file.)
 */
export function installFile(name: string, args: FileInstallArgs, opts: pulumi.CustomResourceOptions, installer: Exclude<FileInstaller, "transaction">): InstalledFile {
    if (installer === "ssh") {
        const file = new RemoteFile(name, {
            connection: args.connection, path: args.path, content: args.content, secret: args.secret,
            mode: args.mode, owner: args.owner, group: args.group,
        }, opts);
        return { resource: file, writeId: file.writeId };
    }
    // The frame carries the content's hash: secret with the content whenever the content is.
    const framed = pulumi.output(args.content).apply(frame);
    const command = new remote.Command(name, {
        connection: commandConnection(args.connection),
        create: installFileCommand(args, args.sudo),
        // Delete gets the stored stdin too: the frame's hash says which bytes are ours.
        delete: removeFileCommand(args.path, args.sudo),
        stdin: args.secret ? pulumi.secret(framed) : framed,
        triggers: [hostOf(args.connection), args.path],
        logging: args.secret ? "none" : "stdoutAndStderr",
    }, {
        ...opts,
        additionalSecretOutputs: args.secret ? ["stdout", "stderr", "stdin"] : opts.additionalSecretOutputs,
    });
    // stdout is only the script's "written <id>" line: nothing secret in it.
    return { resource: command, writeId: pulumi.unsecret(command.stdout).apply((o) => parseWriteOutput(o) ?? "") };
}

/** A file a component installs: its role ("cert", "key", "ca") names the resource. */
export interface ComponentFile extends FileSpec {
    role: string;
    content: pulumi.Output<string>;
    secret: boolean;
    /** Whether the service reads it (a rewrite restarts the service). */
    readBy: "service" | "verify";
}

/** What the config resource gets from the files: their resources or the files themselves. */
export interface InstalledFiles {
    /** Separate file resources the config depends on (none for "transaction"). */
    resources: pulumi.Resource[];
    /** Write ids of the files the service reads, for the config's restart triggers. */
    restartTriggers: Record<string, pulumi.Input<string>>;
    /** Files for the config's own transaction ("transaction" only). */
    managed: ManagedFileArgs[] | undefined;
}

/** Installs a component's files the chosen way. */
export function installFiles(name: string, files: ComponentFile[], common: { connection: pulumi.Input<SshConnectionArgs>; sudo: boolean },
    opts: pulumi.CustomResourceOptions, installer: FileInstaller): InstalledFiles {
    if (installer === "transaction") {
        // (A file rewritten in the transaction restarts the service by itself.)
        const managed = files.map((f) => ({ path: f.path, mode: f.mode, owner: f.owner, group: f.group, content: f.content }));
        return { resources: [], restartTriggers: {}, managed: managed.length > 0 ? managed : undefined };
    }
    const out: InstalledFiles = { resources: [], restartTriggers: {}, managed: undefined };
    for (const f of files) {
        const { role, readBy, ...spec } = f;
        const installed = installFile(`${name}-${role}-file`, { ...common, ...spec }, opts, installer);
        out.resources.push(installed.resource);
        // A file the service reads that is (re)written — new certificate, rotation, or a file
        // recreated after it went missing — restarts the service: its write id changes.
        if (readBy === "service") {
            out.restartTriggers[`${role}File`] = installed.writeId;
        }
    }
    return out;
}
