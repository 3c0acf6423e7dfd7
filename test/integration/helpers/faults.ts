/**
 * Real fault injection for the TomlSettings tests: cutting an SSH connection by killing the
 * per-connection sshd process by PID, a one-shot blocking command wrapper that marks the
 * moment to cut, and a TCP proxy that can drop its connections and refuse new ones. Nothing
 * here touches the code under test.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import { parentPid, procName } from "../../sandbox/procs";

/**
 * Kills (SIGKILL) the per-connection sshd processes above `pid` — every `sshd*` ancestor
 * below the host's listener — which cuts that SSH connection as a crash or a network
 * failure would. Returns the PIDs killed.
 */
export function killConnectionOf(pid: number, listenerPid: number): number[] {
    const killed: number[] = [];
    for (let p = parentPid(pid); p !== undefined && p > 1 && p !== listenerPid; p = parentPid(p)) {
        const name = procName(p);
        if (name === undefined) break;
        if (name.startsWith("sshd")) {
            process.kill(p, "SIGKILL");
            killed.push(p);
        }
    }
    if (killed.length === 0) throw new Error(`no sshd process above PID ${pid}`);
    return killed;
}

export function killQuietly(pid: number): void {
    try {
        process.kill(pid, "SIGKILL");
    } catch {
        /* already gone */
    }
}

/**
 * argv that, the first time it runs, writes its PID to `marker` and blocks (sleep 120);
 * afterwards it runs `then`. The injection point for "cut the connection while this step runs".
 */
export function blockOnce(marker: string, then: readonly string[]): string[] {
    return ["sh", "-c", 'm=$1; shift; if [ ! -e "$m" ]; then echo $$ > "$m"; exec sleep 120; fi; exec "$@"', "block-once", marker, ...then];
}

/** Waits until `marker` holds a PID (the wrapper has started) and returns it. */
export async function waitForMarker(marker: string, ms = 20_000): Promise<number> {
    const deadline = Date.now() + ms;
    for (;;) {
        const text = fs.existsSync(marker) ? fs.readFileSync(marker, "utf8").trim() : "";
        if (/^\d+$/.test(text)) return Number(text);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${marker}`);
        await new Promise((r) => setTimeout(r, 50));
    }
}

/** A TCP proxy to host:port on 127.0.0.1 that can cut every connection and refuse new ones. */
export class CuttableProxy {
    private readonly sockets = new Set<net.Socket>();
    private server: net.Server | undefined;
    port = 0;

    constructor(private readonly host: string, private readonly targetPort: number) {}

    async start(port = 0): Promise<number> {
        const server = net.createServer((client) => {
            const upstream = net.connect(this.targetPort, this.host);
            for (const s of [client, upstream]) {
                this.sockets.add(s);
                s.on("close", () => this.sockets.delete(s));
                s.on("error", () => s.destroy());
            }
            client.pipe(upstream);
            upstream.pipe(client);
            client.on("close", () => upstream.destroy());
            upstream.on("close", () => client.destroy());
        });
        await new Promise<void>((resolve, reject) => {
            server.once("error", reject);
            server.listen(port, "127.0.0.1", () => resolve());
        });
        this.server = server;
        this.port = (server.address() as net.AddressInfo).port;
        return this.port;
    }

    /** Drops every open connection and stops listening: new connections are refused. */
    async cut(): Promise<void> {
        const server = this.server;
        this.server = undefined;
        for (const s of this.sockets) s.destroy();
        if (server) await new Promise<void>((r) => server.close(() => r()));
    }
}
