/**
 * A blackholed address: a listener that never accepts (its process is stopped) with a full
 * accept queue, so the kernel drops every further SYN and a client's connect hangs until its
 * own timeout — what a firewall DROP or a dead route looks like. (A `blackhole` route on a
 * local address fails at once with EINVAL, and there is no packet filter here.)
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as net from "node:net";

const LISTENER = `const s=require("net").createServer();s.listen({host:process.argv[1],port:+process.argv[2],backlog:0},()=>{process.stdout.write("up\\n")});`;

export class Blackhole {
    private child: ChildProcess | undefined;
    private readonly fillers: net.Socket[] = [];

    constructor(readonly address: string, readonly port: number) {}

    async start(): Promise<void> {
        const child = spawn(process.execPath, ["-e", LISTENER, this.address, String(this.port)], { stdio: ["ignore", "pipe", "inherit"] });
        this.child = child;
        await new Promise<void>((resolve, reject) => {
            child.stdout!.once("data", () => resolve());
            child.once("exit", (c) => reject(new Error(`blackhole listener exited (${c})`)));
        });
        child.kill("SIGSTOP"); // a stopped process never accepts
        // Fill the accept queue (backlog 0 holds one, plus the kernel's slack).
        for (let i = 0; i < 3; i++) {
            const s = net.connect(this.port, this.address);
            s.on("error", () => undefined);
            this.fillers.push(s);
        }
        await new Promise((r) => setTimeout(r, 200));
    }

    async stop(): Promise<void> {
        for (const s of this.fillers) s.destroy();
        this.fillers.length = 0;
        const child = this.child;
        this.child = undefined;
        if (child && child.exitCode === null) {
            const gone = new Promise((r) => child.once("exit", r));
            child.kill("SIGKILL");
            await gone;
        }
    }
}
