import * as pulumi from "@pulumi/pulumi";
import { remote } from "@pulumi/command";
import type { SshConnectionArgs } from "../resources/connectionArgs";
import { RemoteFile } from "../resources/remoteFile";
import { commandConnection } from "./connection";
import { installFileCommand, removeFileCommand, sha256Hex, type FileSpec } from "../files/fileCommands";

/**
 * How certificate files get onto hosts: "command" — @pulumi/command's `remote.Command` (the
 * default); "ssh" — this package's own `RemoteFile` dynamic resource over its SSH layer, for
 * environments without the command provider plugin. Same contract either way.
 */
export type FileInstaller = "command" | "ssh";

export interface RemoteFileArgs extends FileSpec {
    connection: pulumi.Input<SshConnectionArgs>;
    content: pulumi.Input<string>;
    /** Key material: no command logging, stdout/stderr stored as secrets. */
    secret: boolean;
    sudo: boolean;
}

/**
 * A file on a host, written by `remote.Command` with the content on stdin. Changing the
 * content, owner or mode rewrites it in place (an update); a new path replaces it. Destroy
 * removes it only if it still has the bytes this resource wrote, and a replacement deletes the
 * old file before writing the new one, so it can never remove its successor's file. (Two
 * *different* resources writing the same path — e.g. a component renamed without `aliases` —
 * is outside what any guard can sort out: use aliases when renaming.)
 */
export function remoteFile(name: string, args: RemoteFileArgs, opts: pulumi.CustomResourceOptions, installer: FileInstaller = "command"): pulumi.CustomResource {
    if (installer === "ssh") {
        return new RemoteFile(name, {
            connection: args.connection, path: args.path, content: args.content, secret: args.secret,
            mode: args.mode, owner: args.owner, group: args.group,
        }, { ...opts, additionalSecretOutputs: args.secret ? ["content"] : undefined });
    }
    const content = args.secret ? pulumi.secret(args.content) : pulumi.output(args.content);
    return new remote.Command(name, {
        connection: commandConnection(args.connection),
        create: installFileCommand(args, args.sudo),
        // The hash of the bytes written, so the delete can tell our file from a newer one.
        delete: pulumi.output(args.content).apply((c) => removeFileCommand(args.path, sha256Hex(c), args.sudo)),
        stdin: content,
        // A new path is a new file: replace (old one removed first), so nothing is left behind.
        triggers: [args.path],
        logging: args.secret ? "none" : "stdoutAndStderr",
    }, {
        ...opts,
        deleteBeforeReplace: true,
        additionalSecretOutputs: args.secret ? ["stdout", "stderr", "stdin"] : opts.additionalSecretOutputs,
    });
}
