import * as pulumi from "@pulumi/pulumi";
import { assertLoadableByEngine } from "./linkedCheckout";
import { remoteFileProvider } from "./providerInstances";
import { connectionTarget, type SshConnectionArgs } from "./connectionArgs";

/** Arguments of RemoteFile: one file on a host, written over SSH through the file-writing contract. */
export interface RemoteFileArgs {
    /** SSH connection to the host (stored as a secret). */
    readonly connection: pulumi.Input<SshConnectionArgs>;
    /** Absolute path of the file. Changing it replaces the resource (the new file is written first, the old one removed at the end). */
    readonly path: pulumi.Input<string>;
    /** File content. */
    readonly content: pulumi.Input<string>;
    /** Store and show the content as a secret (key material). Defaults to false. */
    readonly secret?: boolean;
    /** Octal mode, e.g. "0600". */
    readonly mode: pulumi.Input<string>;
    /** Owner: a user name or numeric id, e.g. "root" or "influxdb". */
    readonly owner: pulumi.Input<string>;
    /** Group: a group name or numeric id. */
    readonly group: pulumi.Input<string>;
}

/**
 * A file on a host written over SSH by this package's own SSH layer: atomically (temp file
 * in the same directory, never readable by others, owner and mode set, renamed into place),
 * content on stdin only; destroy removes it only if it still has the bytes written. The
 * components use it with `fileInstaller: "ssh"` (by default their files move in the config's
 * own TomlSettings transaction instead).
 */
export class RemoteFile extends pulumi.dynamic.Resource {
    /** "user@host:port" the file lives on. */
    declare public readonly target: pulumi.Output<string>;
    /** Absolute path of the file on the host. */
    declare public readonly path: pulumi.Output<string>;
    /** SHA-256 of the bytes written (a secret when the content is). */
    declare public readonly sha256: pulumi.Output<string>;
    /** Id of the last write: changes whenever the file is (re)written, never derived from content. */
    declare public readonly writeId: pulumi.Output<string>;

    constructor(name: string, args: RemoteFileArgs, opts?: pulumi.CustomResourceOptions) {
        assertLoadableByEngine();
        super(remoteFileProvider(), name, {
            schemaVersion: 1,
            connection: pulumi.secret(args.connection),
            target: connectionTarget(args.connection),
            path: args.path,
            content: args.secret ? pulumi.secret(args.content) : args.content,
            mode: args.mode,
            owner: args.owner,
            group: args.group,
            sha256: undefined,
            writeId: undefined,
        }, {
            ...opts,
            // The hash of key material stays out of plaintext state.
            additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...(args.secret ? ["content", "sha256"] : [])],
        }, "influxdb-tls", "RemoteFile");
    }
}
