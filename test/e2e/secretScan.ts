/**
 * Looking for secrets where they must never be: what to look for (every private key PEM,
 * each of its base64 body lines, its SHA-256 hex; passwords), where it was found, and a
 * sampler of every process's command line (what `ps -eo args` shows) while operations run.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { onHost } from "../sandbox";

export interface Needle {
    /** What the secret is, e.g. "data1.key body line 3" (never the secret itself). */
    what: string;
    text: string;
}

export interface Hit {
    place: string;
    what: string;
}

/**
 * Needles for one private key (or a file holding one, e.g. a key + certificate bundle): the
 * whole file, every base64 body line (16+ characters) of each PRIVATE KEY block — not of
 * certificates, which are public — and the SHA-256 hex (lower and upper case) of the file's
 * bytes. The first body line of an OpenSSH key is left out: it is the fixed format header
 * plus the public key, the same in every unencrypted ed25519 key (host keys included).
 */
export function keyNeedles(name: string, pem: string): Needle[] {
    const out: Needle[] = [{ what: `${name} PEM`, text: pem.trim() }];
    const sha = crypto.createHash("sha256").update(pem).digest("hex");
    out.push({ what: `${name} SHA-256`, text: sha }, { what: `${name} SHA-256 (upper case)`, text: sha.toUpperCase() });
    let block: string | undefined;
    let first = false;
    pem.split("\n").forEach((line, i) => {
        const l = line.trim();
        const begin = /^-----BEGIN (.*)-----$/.exec(l);
        if (begin) {
            block = begin[1];
            first = true;
            return;
        }
        if (l.startsWith("-----END ")) {
            block = undefined;
            return;
        }
        const skip = first && block === "OPENSSH PRIVATE KEY";
        first = false;
        if (block?.endsWith("PRIVATE KEY") && !skip && l.length >= 16) out.push({ what: `${name} key body line ${i}`, text: l });
    });
    // The file base64-encoded once more (as stdin or an asset could be).
    out.push({ what: `${name} as base64`, text: Buffer.from(pem).toString("base64").slice(0, 60) });
    return out;
}

/** Counts places scanned and collects hits. */
export class SecretScan {
    readonly needles: Needle[] = [];
    readonly hits: Hit[] = [];
    places = 0;
    private readonly seen = new Set<string>();

    add(needles: readonly Needle[]): void {
        for (const n of needles) if (!this.needles.some((m) => m.text === n.text)) this.needles.push(n);
    }

    /** Scans one place (a file, an output, a process's command line). */
    text(place: string, text: string): void {
        this.places++;
        for (const n of this.needles) if (text.includes(n.text)) this.hits.push({ place, what: n.what });
    }

    /** Every regular file under `dir` (recursively), except paths `skip` says. */
    tree(label: string, dir: string, skip: (p: string) => boolean = () => false): number {
        let files = 0;
        const walk = (d: string) => {
            for (const e of fs.readdirSync(d, { withFileTypes: true })) {
                const p = path.join(d, e.name);
                if (skip(p)) continue;
                if (e.isDirectory()) walk(p);
                else if (e.isFile()) {
                    files++;
                    this.text(`${label}${p.slice(dir.length)}`, fs.readFileSync(p).toString("latin1"));
                }
            }
        };
        walk(dir);
        return files;
    }

    /** Scans a process command line once per distinct text (they repeat across samples). */
    commandLine(place: string, args: string): void {
        if (this.seen.has(args)) return;
        this.seen.add(args);
        this.text(place, args);
    }

    get distinctCommandLines(): number {
        return this.seen.size;
    }
}

/**
 * Samples every process's command line while operations run: /proc/<pid>/cmdline of all
 * processes every `everyMs` (the test hosts are mount namespaces on this machine and share
 * its process table, so this is what `ps -eo args` shows in any of them), plus a real
 * `ps -eo args` in each host's namespace in turn, for the record.
 */
export class ProcessSampler {
    sweeps = 0;
    psRuns = 0;
    private timer?: ReturnType<typeof setInterval>;
    private psLoop?: Promise<void>;
    private running = false;

    constructor(private readonly scan: SecretScan, private readonly hosts: readonly string[], private readonly everyMs = 25) {}

    start(step: string): void {
        this.running = true;
        this.timer = setInterval(() => this.sweep(step), this.everyMs);
        this.psLoop = (async () => {
            for (let i = 0; this.running; i++) {
                const host = this.hosts[i % this.hosts.length]!;
                const r = await onHost(host, ["ps", "-eo", "args"], { allowFailure: true }).catch(() => undefined);
                if (r) {
                    this.psRuns++;
                    for (const line of r.stdout.split("\n")) this.scan.commandLine(`ps -eo args on ${host} during ${step}`, line);
                }
                await new Promise((res) => setTimeout(res, 300));
            }
        })();
    }

    async stop(): Promise<void> {
        this.running = false;
        clearInterval(this.timer);
        await this.psLoop;
    }

    private sweep(step: string): void {
        this.sweeps++;
        for (const name of fs.readdirSync("/proc")) {
            if (!/^\d+$/.test(name)) continue;
            let args: string;
            try {
                args = fs.readFileSync(`/proc/${name}/cmdline`, "latin1").split("\0").join(" ");
            } catch {
                continue;
            }
            if (args !== "") this.scan.commandLine(`cmdline of pid ${name} during ${step}`, args);
        }
    }
}
