/**
 * The meta API the stand-in serves on [meta] http-bind-address: /ping, /status and /show,
 * over HTTP or HTTPS. Like Go's net/http, an HTTPS port answers a plain-HTTP request with
 * `400 Client sent an HTTP request to an HTTPS server.`: the first byte of each connection
 * decides (0x16 = TLS handshake record) before the socket is handed to the TLS server.
 */
import * as http from "node:http";
import * as https from "node:https";
import * as net from "node:net";
import type { ShowData } from "./metacluster";

export const STANDIN_VERSION = "1.6.2-c1.6.2-standin";

export interface MetaServerOptions {
    readonly host: string;
    readonly port: number;
    /** PEM cert chain and key: serve HTTPS; absent: HTTP. */
    readonly tls?: { readonly cert: string; readonly key: string };
    /** This node's raft and HTTP address (for /status). */
    readonly self: { readonly addr: string; readonly httpAddr: string };
    /** The cluster as this node sees it now (probes its peers: metacluster.ts). */
    readonly show: () => Promise<ShowData>;
    readonly log: (line: string) => void;
}

/** Go's crypto/tls check for "this record header is really an HTTP request". */
const HTTP_STARTS = ["GET /", "HEAD ", "POST ", "PUT /", "OPTIO"];
const HTTP_ON_HTTPS = "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n";

function handler(opts: MetaServerOptions): http.RequestListener {
    return (req, res) => {
        const url = new URL(req.url ?? "/", "http://meta");
        res.setHeader("X-Influxdb-Version", STANDIN_VERSION);
        res.setHeader("X-Influxdb-Build", "ENT");
        const json = (status: number, body: unknown) => {
            res.writeHead(status, { "Content-Type": "application/json" });
            res.end(`${JSON.stringify(body)}\n`);
        };
        const done = () => opts.log(`[httpd] ${req.socket.remoteAddress ?? "-"} "${req.method ?? "-"} ${req.url ?? "-"} HTTP/${req.httpVersion}" ${res.statusCode}`);
        const self = opts.self;
        if (url.pathname === "/ping" && (req.method === "GET" || req.method === "HEAD")) {
            res.writeHead(204).end();
        } else if ((url.pathname === "/status" || url.pathname === "/show") && req.method === "GET") {
            opts.show().then(
                (show) => {
                    if (url.pathname === "/show") json(200, show);
                    else json(200, { nodeType: "meta", leader: show.raft.leader, httpAddr: self.httpAddr, raftAddr: self.addr, peers: show.meta.map((m) => m.addr) });
                    done();
                },
                (e: unknown) => {
                    json(500, { error: e instanceof Error ? e.message : String(e) });
                    done();
                },
            );
            return;
        } else {
            json(404, { error: `${url.pathname}: not served by the pitls influxdb-meta stand-in` });
        }
        done();
    };
}

/** Listens and resolves with the server once bound; rejects with the listen error. */
export function startMetaServer(opts: MetaServerOptions): Promise<net.Server> {
    const onRequest = handler(opts);
    let server: net.Server;
    if (opts.tls) {
        const tlsServer = https.createServer({ cert: opts.tls.cert, key: opts.tls.key, minVersion: "TLSv1.2" }, onRequest);
        tlsServer.on("tlsClientError", (e, sock) => {
            // The peer's address is gone once the handshake failed; Go would name it.
            const from = sock.remoteAddress ? ` from ${sock.remoteAddress}:${sock.remotePort ?? ""}` : "";
            opts.log(`[httpd] http: TLS handshake error${from}: ${e.message}`);
        });
        server = net.createServer((sock) => {
            sock.once("data", (first: Buffer) => {
                sock.pause();
                if (first[0] === 0x16) {
                    sock.unshift(first);
                    tlsServer.emit("connection", sock); // TLSSocket replays the buffered bytes
                    return;
                }
                if (HTTP_STARTS.includes(first.subarray(0, 5).toString("latin1"))) sock.end(HTTP_ON_HTTPS);
                else sock.destroy();
            });
            sock.on("error", () => sock.destroy());
        });
    } else {
        server = http.createServer(onRequest);
    }
    return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(opts.port, opts.host, () => {
            server.off("error", reject);
            resolve(server);
        });
    });
}
