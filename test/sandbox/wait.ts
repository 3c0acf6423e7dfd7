/** Polling helpers for "is it up yet" with a deadline. Loopback only, like all sandbox traffic. */
import * as http from "node:http";
import * as net from "node:net";

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Calls `probe` until it returns true. `abort` may throw to stop early (e.g. the
 * process died); on timeout, throws with `describe()` (e.g. a log tail).
 */
export async function waitFor(
    what: string,
    probe: () => Promise<boolean>,
    opts: { timeoutMs: number; abort?: () => void; describe?: () => string },
): Promise<void> {
    const deadline = Date.now() + opts.timeoutMs;
    for (;;) {
        opts.abort?.();
        if (await probe()) return;
        if (Date.now() > deadline) {
            throw new Error(`sandbox: timed out after ${opts.timeoutMs} ms waiting for ${what}${opts.describe ? `\n${opts.describe()}` : ""}`);
        }
        await sleep(100);
    }
}

/** GET http://address:port/ping; the status code, or undefined when nothing answers. */
export function pingStatus(address: string, port = 8086, timeoutMs = 2000): Promise<number | undefined> {
    return new Promise((resolve) => {
        const req = http.get({ host: address, port, path: "/ping", timeout: timeoutMs, agent: false }, (res) => {
            res.resume();
            resolve(res.statusCode);
        });
        req.on("timeout", () => req.destroy());
        req.on("error", () => resolve(undefined));
    });
}

/** True once something on address:port sends an SSH identification line. */
export function sshBanner(address: string, port: number, timeoutMs = 2000): Promise<boolean> {
    return new Promise((resolve) => {
        const sock = net.connect({ host: address, port, timeout: timeoutMs });
        let got = "";
        const done = (ok: boolean) => {
            sock.destroy();
            resolve(ok);
        };
        sock.on("data", (b: Buffer) => {
            got += b.toString("latin1");
            if (got.includes("\n")) done(got.startsWith("SSH-2.0-"));
        });
        sock.on("timeout", () => done(false));
        sock.on("error", () => done(false));
        sock.on("close", () => done(false));
    });
}
