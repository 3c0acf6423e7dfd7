/**
 * A TCP proxy on a loopback address of this sandbox, between the provider and a host's sshd:
 * the provider's connection goes to the proxy, so a test can cut it after a chosen number
 * of bytes, hold a chunk while something else happens, point it at another sshd (a changed
 * host key), or stop listening (nothing there). The SSH bytes are encrypted; the rules work
 * on chunk sizes, which encryption preserves (a 19 KB config read or write is the only
 * chunk that large in an operation).
 */
import * as net from "node:net";

export type Direction = "up" | "down";

/** One-shot rule: the first chunk in `dir` of at least `minBytes` triggers it. */
export interface ChunkRule {
    readonly dir: Direction;
    readonly minBytes: number;
    /** Upper bound of the chunk size (default: any). */
    readonly maxBytes?: number;
    /** Forward this share of the chunk (0..1), then destroy both sides. */
    readonly cutAfter?: number;
    /** Run this before forwarding the chunk (the connection waits meanwhile). */
    readonly before?: () => Promise<void>;
}

export class TcpProxy {
    private server: net.Server | undefined;
    private readonly sockets = new Set<net.Socket>();
    private rule: ChunkRule | undefined;
    /** What the last rule did, for the test's log. */
    fired: string | undefined;

    constructor(readonly address: string, readonly port: number, public target: { host: string; port: number }) {}

    async start(): Promise<void> {
        if (this.server) return;
        const server = net.createServer((client) => this.pipe(client));
        await new Promise<void>((resolve, reject) => {
            server.once("error", reject);
            server.listen(this.port, this.address, () => resolve());
        });
        this.server = server;
    }

    /** Stops listening and drops every open connection: nothing answers at the address. */
    async stop(): Promise<void> {
        const closed = this.closeListener();
        for (const sock of this.sockets) sock.destroy();
        await closed;
    }

    /**
     * Stops listening but keeps the open connections: the address:port is free for something
     * else (a blackhole) before the connections are dropped by `stop`.
     */
    async stopListening(): Promise<void> {
        const s = this.server;
        this.server = undefined;
        // close() waits for the open connections to end: resolve once the listener is gone.
        if (s) await new Promise<void>((resolve) => { s.close(); setImmediate(resolve); });
    }

    private closeListener(): Promise<void> {
        const s = this.server;
        this.server = undefined;
        return s ? new Promise<void>((resolve) => s.close(() => resolve())) : Promise.resolve();
    }

    arm(rule: ChunkRule): void {
        this.rule = rule;
        this.fired = undefined;
    }

    disarm(): void {
        this.rule = undefined;
    }

    private pipe(client: net.Socket): void {
        const upstream = net.connect(this.target.port, this.target.host);
        this.sockets.add(client);
        this.sockets.add(upstream);
        const drop = () => {
            client.destroy();
            upstream.destroy();
            this.sockets.delete(client);
            this.sockets.delete(upstream);
        };
        client.on("error", drop).on("close", drop);
        upstream.on("error", drop).on("close", drop);
        // Chunks are handled one at a time, in order, so a held chunk delays what follows.
        const forward = (from: net.Socket, to: net.Socket, dir: Direction) => {
            let queue = Promise.resolve();
            from.on("data", (chunk: Buffer) => {
                from.pause();
                queue = queue.then(async () => {
                    const rule = this.rule;
                    if (rule && rule.dir === dir && chunk.length >= rule.minBytes && chunk.length <= (rule.maxBytes ?? Infinity)) {
                        this.rule = undefined;
                        if (rule.before) {
                            await rule.before();
                            this.fired = `held a ${chunk.length}-byte ${dir} chunk for a hook`;
                        }
                        if (rule.cutAfter !== undefined) {
                            const n = Math.floor(chunk.length * rule.cutAfter);
                            this.fired = `cut after ${n} of a ${chunk.length}-byte ${dir} chunk`;
                            to.write(chunk.subarray(0, n));
                            // Give the partial chunk a moment to reach the other side, then cut both ways.
                            setTimeout(drop, 50);
                            return;
                        }
                    }
                    if (!to.destroyed) to.write(chunk);
                    from.resume();
                });
            });
        };
        forward(client, upstream, "up");
        forward(upstream, client, "down");
    }
}
