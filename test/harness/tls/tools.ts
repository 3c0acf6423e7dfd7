/**
 * Running the real `openssl` and `ssh-keygen` CLIs on files in a private temp directory.
 * Key material only ever goes to 0600 files in a 0700 directory that is removed afterwards.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "harness-tls-"));
    try {
        return await fn(dir);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

export function writeSecret(dir: string, name: string, content: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content, { mode: 0o600 });
    return file;
}

/** Run a tool; reject with its stderr (never its stdin or the files' content). */
export function tool(program: "openssl" | "ssh-keygen", args: readonly string[]): Promise<string> {
    return new Promise((resolve, reject) => {
        execFile(program, args, { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
            if (err) {
                reject(new Error(`${program} ${args[0]} failed: ${stderr.trim() || err.message}`));
                return;
            }
            resolve(stdout);
        });
    });
}
