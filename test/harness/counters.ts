/**
 * SSH counting and timing.
 *
 * provider/ssh's sshStats cannot be used: a dynamic provider runs from its serialized
 * `__provider` text, which (run from this repository) carries its own by-value copy of
 * provider/ssh — with its own sshStats object. What every copy shares is the ssh2 module
 * (required from node_modules at call time), so the harness counts at ssh2's Client: a
 * connection when a handshake completes ("ready"), a command per exec channel request.
 * That covers SshSession, the raw remote.Command sessions and serialized providers alike.
 * Counters are process-wide: a step's share is only known when steps do not overlap (the
 * harness's default, `parallel: false`).
 */
import * as ssh2 from "ssh2";

export interface SshSnapshot {
    connections: number;
    commands: number;
}

const totals: SshSnapshot = { connections: 0, commands: 0 };

let installed = false;
/** Wrap ssh2's Client.connect/exec once per process. */
export function installSshCounters(): void {
    if (installed) return;
    installed = true;
    const proto = ssh2.Client.prototype as unknown as {
        connect(this: ssh2.Client, ...args: unknown[]): unknown;
        exec(this: ssh2.Client, ...args: unknown[]): unknown;
    };
    const connect = proto.connect;
    proto.connect = function (...args) {
        this.once("ready", () => totals.connections++);
        return connect.apply(this, args);
    };
    const exec = proto.exec;
    proto.exec = function (...args) {
        totals.commands++;
        return exec.apply(this, args);
    };
}

export function snapshot(): SshSnapshot {
    installSshCounters();
    return { ...totals };
}

export function since(start: SshSnapshot): SshSnapshot {
    return { connections: totals.connections - start.connections, commands: totals.commands - start.commands };
}

/** One operation at a time (like `pulumi up --parallel 1`), or no limit. */
export function makeGate(serial: boolean): <T>(fn: () => Promise<T>) => Promise<T> {
    let tail: Promise<unknown> = Promise.resolve();
    return <T>(fn: () => Promise<T>): Promise<T> => {
        if (!serial) return fn();
        const run = tail.then(fn, fn);
        tail = run.then(() => undefined, () => undefined);
        return run;
    };
}
