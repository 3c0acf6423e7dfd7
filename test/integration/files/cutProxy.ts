/**
 * A TCP proxy on 127.0.0.1 in front of a host's sshd that cuts the connection for real after
 * N bytes from the client: the SSH connection dies in the middle of whatever it was sending.
 */
import * as net from "node:net";

export interface CutProxy {
    readonly port: number;
    /** Bytes forwarded from the client before the cut (across connections). */
    readonly forwarded: () => number;
    close(): Promise<void>;
}

export async function cutProxy(upstreamHost: string, upstreamPort: number, cutAfterBytes: number): Promise<CutProxy> {
    let forwarded = 0;
    const sockets = new Set<net.Socket>();
    const server = net.createServer((client) => {
        const upstream = net.connect(upstreamPort, upstreamHost);
        sockets.add(client).add(upstream);
        const cut = (): void => {
            client.destroy();
            upstream.destroy();
        };
        client.on("data", (d: Buffer) => {
            const room = cutAfterBytes - forwarded;
            if (room <= 0) return cut();
            const part = d.length <= room ? d : d.subarray(0, room);
            forwarded += part.length;
            upstream.write(part);
            if (d.length > room) cut();
        });
        upstream.on("data", (d: Buffer) => client.write(d));
        for (const s of [client, upstream]) {
            s.on("error", cut);
            s.on("close", cut);
        }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    return {
        port,
        forwarded: () => forwarded,
        close: () => new Promise<void>((resolve) => {
            for (const s of sockets) s.destroy();
            server.close(() => resolve());
        }),
    };
}
