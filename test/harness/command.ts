/**
 * Stand-in for the pulumi-command provider plugin's `command:remote:Command` (a Go binary
 * the harness cannot run): the same operations, run for real over SSH. Semantics follow
 * pulumi-command 1.2.x (provider/pkg/provider/remote): Create runs `create`; Update runs
 * `update`, else `create`; Delete runs `delete`; each opens its own connection; stdout and
 * stderr lose one trailing newline; a failure reports the command and its combined output.
 * Diff is the engine's (any input change is an update; `triggers` replace through the
 * SDK's replaceOnChanges) and is done by the deployment, not here.
 */
import type { Handler, HandlerContext } from "./handler";
import { rawExec, toSshConnection, type CommandConnection } from "./rawExec";
import type { Props, ResourceRecord } from "./types";

async function runCommand(inputs: Props, command: string, previous: Props | undefined, ctx: HandlerContext): Promise<{ stdout: string; stderr: string }> {
    ctx.describe(command);
    const conn = inputs.connection as CommandConnection | undefined;
    if (!conn || typeof conn.host !== "string") {
        throw new Error(`remote.Command ${ctx.name}: connection.host is missing`);
    }
    const env: Record<string, string> = { ...((inputs.environment as Record<string, string> | undefined) ?? {}) };
    // PULUMI_COMMAND_STDOUT/STDERR are sent like any env var; the sandbox's sshd has no
    // AcceptEnv, so (as on a default sshd) the command never sees them.
    if (previous && inputs.addPreviousOutputInEnv !== false) {
        if (previous.stdout) env.PULUMI_COMMAND_STDOUT = String(previous.stdout);
        if (previous.stderr) env.PULUMI_COMMAND_STDERR = String(previous.stderr);
    }
    const r = await rawExec(toSshConnection(conn, ctx.options.allowInsecureHostKey === true), command, {
        stdin: inputs.stdin as string | undefined,
        env,
        timeoutSeconds: ctx.options.commandTimeoutSeconds ?? 300,
        dialErrorLimit: conn.dialErrorLimit,
    });
    if (r.code !== 0) {
        // Go's ssh.ExitError text, then pulumi-command's `%w: running %q:\n%s`.
        const status = r.code === null ? `Process exited with status -1${r.signal ? ` from signal ${r.signal}` : ""}` : `Process exited with status ${r.code}`;
        throw new Error(`${status}: running ${JSON.stringify(command)}:\n${r.combined.toString("utf8")}`);
    }
    return { stdout: r.stdout.toString("utf8").replace(/\n$/, ""), stderr: r.stderr.toString("utf8").replace(/\n$/, "") };
}

export const remoteCommand: Handler = {
    async create(inputs, ctx) {
        const id = `${ctx.name}${Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, "0")}`;
        if (typeof inputs.create !== "string") {
            return { id, outputs: { ...inputs, stdout: "", stderr: "" } };
        }
        const { stdout, stderr } = await runCommand(inputs, inputs.create, undefined, ctx);
        return { id, outputs: { ...inputs, stdout, stderr } };
    },

    async update(old: ResourceRecord, news: Props, ctx) {
        const command = typeof news.update === "string" ? news.update : typeof news.create === "string" ? news.create : undefined;
        if (command === undefined) {
            return { ...news, stdout: old.outputs.stdout ?? "", stderr: old.outputs.stderr ?? "" };
        }
        const { stdout, stderr } = await runCommand(news, command, old.outputs, ctx);
        return { ...news, stdout, stderr };
    },

    async delete(old: ResourceRecord, ctx) {
        if (typeof old.outputs.delete !== "string") {
            return;
        }
        // Delete runs with the stored state: the connection and stdin of the last create/update.
        await runCommand(old.outputs, old.outputs.delete, old.outputs, ctx);
    },
};
