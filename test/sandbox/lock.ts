/**
 * One `up`/`down`/reset at a time per sandbox directory: node --test runs test files
 * in parallel processes, and several may call sandboxUp() on the shared sandbox.
 */
import * as fs from "node:fs";
import { sandboxLayout } from "./layout";
import { isAlive } from "./procs";
import { sleep } from "./wait";

export async function withLock<T>(dir: string, fn: () => Promise<T>, timeoutMs = 180_000): Promise<T> {
    const file = sandboxLayout(dir).lockFile;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
        try {
            fs.writeFileSync(file, String(process.pid), { flag: "wx" });
            break;
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
            let holder = 0;
            try {
                holder = Number(fs.readFileSync(file, "utf8") || "0");
            } catch {
                continue; // released meanwhile
            }
            // A lock whose holder has died is stale (an empty file may be mid-write: wait).
            if (holder > 0 && !isAlive(holder)) fs.rmSync(file, { force: true });
            else if (Date.now() > deadline) throw new Error(`sandbox: ${file} held by PID ${holder} for too long`);
            else await sleep(200);
        }
    }
    try {
        return await fn();
    } finally {
        // `down` deletes the whole directory, lock included.
        if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === String(process.pid)) fs.rmSync(file);
    }
}
