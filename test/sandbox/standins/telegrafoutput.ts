/**
 * One [[outputs.influxdb]] entry of the Telegraf stand-in: writes one point per flush to
 * the first URL that accepts it (in the listed order; real Telegraf shuffles them),
 * creating the database first, over HTTP or HTTPS with Go-client verification (tls_ca as
 * the only trusted root when set, else the system roots; names checked against SANs;
 * insecure_skip_verify skips both). Errors are logged in Telegraf's words and retried at
 * the next flush, as Telegraf does.
 */
import { readFileGo } from "./goerrors";
import { certificatesIn, goRequest, systemRoots, type ClientTls } from "./tlsclient";
import type { InfluxOutput, OutputTls } from "./telegrafconfig";

/** Which trust path a URL's requests use; tests assert on it through the status file. */
export type TlsMode = "plain-http" | "verify-tls_ca" | "verify-system-roots" | "insecure-skip-verify";

export interface UrlStatus {
    readonly url: string;
    readonly tls: TlsMode;
    successes: number;
    errors: number;
    lastSuccessAt?: string;
    lastError?: { at: string; message: string };
    /** SHA-256 fingerprint of the server certificate of the last HTTPS success. */
    peerFingerprint256?: string;
}

/** The stand-in's --standin-status file (service mode), rewritten after each flush. */
export interface TelegrafStandinStatus {
    readonly standin: "telegraf";
    readonly pid: number;
    readonly state: "running" | "stopped";
    readonly startedAt: string;
    readonly updatedAt: string;
    readonly flushes: number;
    readonly configFiles: readonly string[];
    readonly hostname: string | null;
    readonly outputs: readonly {
        readonly id: string;
        readonly database: string;
        readonly tls_ca: string | null;
        readonly insecure_skip_verify: boolean;
        readonly urls: readonly UrlStatus[];
    }[];
}

export const MEASUREMENT = "standin_telegraf";

/** Line protocol tag escaping: commas, spaces and equals signs. */
const escapeTag = (s: string) => s.replace(/([,= \\])/g, "\\$1");

export function pointLine(hostname: string | undefined, nowMs: number): string {
    const tags = hostname === undefined ? "" : `,host=${escapeTag(hostname)}`;
    return `${MEASUREMENT}${tags} value=1i ${BigInt(nowMs) * 1_000_000n}\n`;
}

/**
 * Loads tls_ca / tls_cert / tls_key as the service user, at start-up like Telegraf: an
 * unreadable or empty file is fatal there, not a per-write error. Without tls_ca the
 * system roots are read once, as Go caches them.
 */
export function loadClientTls(o: InfluxOutput): ClientTls {
    const t = o.tls;
    let ca: string[] | undefined;
    if (t.ca) {
        ca = certificatesIn(readFileGo(t.ca).toString("latin1"));
        if (ca.length === 0) throw new Error(`could not parse any PEM certificates "${t.ca}"`);
    }
    const cert = t.cert ? readFileGo(t.cert).toString("latin1") : undefined;
    const key = t.key ? readFileGo(t.key).toString("latin1") : undefined;
    return { ca: ca ?? systemRoots(), cert, key, serverName: t.serverName, insecureSkipVerify: t.insecureSkipVerify };
}

export class InfluxOutputWriter {
    private readonly created = new Set<string>();
    readonly status: UrlStatus[];

    constructor(
        readonly output: InfluxOutput,
        private readonly tls: ClientTls,
        private readonly log: (line: string) => void,
    ) {
        this.status = output.urls.map((url) => ({ url, tls: modeFor(url, output.tls), successes: 0, errors: 0 }));
    }

    /** One flush: true once a URL took the point. */
    async write(line: string, signal?: AbortSignal): Promise<boolean> {
        for (const st of this.status) {
            try {
                const fp = await this.writeTo(st.url, line, signal);
                st.successes++;
                st.lastSuccessAt = new Date().toISOString();
                st.peerFingerprint256 = fp;
                return true;
            } catch (e) {
                if (signal?.aborted) return false;
                const message = (e as Error).message;
                st.errors++;
                st.lastError = { at: new Date().toISOString(), message };
                this.log(`E! InfluxDB Output Error: ${message}`);
            }
        }
        this.log("E! Error writing to output [influxdb]: Could not write to any InfluxDB server in cluster");
        return false;
    }

    private async writeTo(base: string, line: string, signal?: AbortSignal): Promise<string | undefined> {
        const o = this.output;
        const url = (path: string, q: Record<string, string>) => {
            const u = new URL(path, base.endsWith("/") ? base : `${base}/`);
            for (const [k, v] of Object.entries(q)) if (v !== "") u.searchParams.set(k, v);
            return u;
        };
        const headers: Record<string, string> = { "User-Agent": o.userAgent, ...o.httpHeaders };
        if (o.username) headers.Authorization = `Basic ${Buffer.from(`${o.username}:${o.password ?? ""}`).toString("base64")}`;
        const opts = { tls: this.tls, timeoutMs: o.timeoutMs, signal };
        if (!this.created.has(base)) {
            const q = `q=${encodeURIComponent(`CREATE DATABASE "${o.database.replace(/"/g, '\\"')}"`)}`;
            const r = await goRequest("POST", url("query", {}), { ...opts, body: q, headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" } });
            if (r.status !== 200) throw new Error(`Database creation failed: ${r.status}: ${r.body.trim()}`);
            this.created.add(base);
        }
        const w = url("write", { db: o.database, rp: o.retentionPolicy, consistency: o.writeConsistency, precision: "ns" });
        const r = await goRequest("POST", w, { ...opts, body: line, headers });
        if (r.status !== 204) throw new Error(`${r.status}: ${r.body.trim()}`);
        return r.peerFingerprint256;
    }
}

function modeFor(url: string, tls: OutputTls): TlsMode {
    if (!url.startsWith("https:")) return "plain-http";
    if (tls.insecureSkipVerify) return "insecure-skip-verify";
    return tls.ca ? "verify-tls_ca" : "verify-system-roots";
}
