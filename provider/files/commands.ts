/**
 * The same scripts as shell command strings for @pulumi/command's `remote.Command`, which
 * sends one string as the SSH exec request. Every argument is quoted by ssh/quote; the
 * strings are constant for a given path/mode/owner/group, so `pulumi preview` shows exactly
 * what will run. The content, its length and its hash travel on stdin (`frame()`).
 */
import { shellCommand } from "../ssh/quote";
import { removeFileArgv, writeFileArgv } from "./argv";
import type { FileSpec } from "./validate";

function withSudo(argv: string[], sudo: boolean): string {
    return shellCommand(sudo ? ["sudo", "-n", "--", ...argv] : argv);
}

/** Install `frame(content)` from stdin at spec.path with its owner and mode (no compare-and-swap). */
export function installFileCommand(spec: FileSpec, sudo = false): string {
    return withSudo(writeFileArgv(spec.path, { mode: spec.mode, owner: spec.owner, group: spec.group }), sudo);
}

/**
 * Remove spec.path only while it still has the bytes announced by the frame on stdin (the
 * same stdin the install got: remote.Command's delete sends the stored stdin). A file someone
 * replaced since — a successor resource included — is left in place and the delete succeeds.
 */
export function removeFileCommand(path: string, sudo = false): string {
    return withSudo(removeFileArgv(path, true, "keep"), sudo);
}
