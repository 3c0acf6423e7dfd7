/**
 * The client side of TLS as a modern Go program (influxd-ctl, Telegraf) does it, for the
 * stand-ins: trust = the host's system CA files found the way crypto/x509 finds them on
 * Linux (SSL_CERT_FILE / SSL_CERT_DIR honoured), or an explicit CA file; names checked
 * against subjectAltName only (Go ≥ 1.15 has no Common Name fallback, guide erratum 6);
 * failures worded like Go's. Node's own TLS stack does the handshake and the chain check.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import { isIP } from "node:net";
import * as path from "node:path";
import { X509Certificate } from "node:crypto";
import type { PeerCertificate } from "node:tls";
import { dialError } from "./goerrors";
import { pemBlocks } from "./keypair";

/** crypto/x509 root_linux.go: the first of these that exists is the system bundle. */
const CERT_FILES = [
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/tls/cacert.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/cert.pem",
];
const CERT_DIRS = ["/etc/ssl/certs", "/etc/pki/tls/certs"];

/** The CERTIFICATE blocks of a PEM text that parse, as Go's AppendCertsFromPEM keeps them. */
export function certificatesIn(text: string): string[] {
    return pemBlocks(text)
        .filter((b) => b.type === "CERTIFICATE")
        .filter((b) => {
            try {
                new X509Certificate(b.text);
                return true;
            } catch {
                return false;
            }
        })
        .map((b) => b.text);
}

function readOrEmpty(file: string): string {
    try {
        return fs.readFileSync(file, "latin1");
    } catch {
        return "";
    }
}

/**
 * Go's system roots on Linux: SSL_CERT_FILE replaces the bundle list, SSL_CERT_DIR
 * (colon-separated) the directory list; the first readable bundle plus every file in the
 * directories. Read inside the host's namespace, so it is that host's /etc/ssl.
 */
export function systemRoots(env: NodeJS.ProcessEnv = process.env): string[] {
    const files = env.SSL_CERT_FILE ? [env.SSL_CERT_FILE] : CERT_FILES;
    const dirs = env.SSL_CERT_DIR ? env.SSL_CERT_DIR.split(":") : CERT_DIRS;
    const found = new Set<string>();
    for (const f of files) {
        const text = readOrEmpty(f);
        if (text === "") continue;
        certificatesIn(text).forEach((c) => found.add(c));
        break;
    }
    for (const d of dirs) {
        let names: string[] = [];
        try {
            names = fs.readdirSync(d);
        } catch {
            continue;
        }
        for (const n of names) certificatesIn(readOrEmpty(path.join(d, n))).forEach((c) => found.add(c));
    }
    return [...found];
}

/** Marks our hostname errors so describeTlsError keeps their Go text. */
class HostnameError extends Error {
    readonly code = "GO_X509_HOSTNAME";
}

/**
 * tls.Config's hostname check as Go ≥ 1.15 does it: IP SANs for an IP, DNS SANs (with
 * OpenSSL's wildcard rules) for a name, never the subject CN. Go's error texts.
 */
export function checkServerIdentityNoCn(host: string, peer: PeerCertificate): Error | undefined {
    const cert = new X509Certificate(peer.raw);
    const sans = (cert.subjectAltName ?? "").split(", ").filter((s) => s !== "");
    const ips = sans.filter((s) => s.startsWith("IP Address:")).map((s) => s.slice("IP Address:".length));
    const dns = sans.filter((s) => s.startsWith("DNS:")).map((s) => s.slice(4));
    if (isIP(host)) {
        if (cert.checkIP(host)) return undefined;
        if (ips.length === 0) return new HostnameError(`x509: cannot validate certificate for ${host} because it doesn't contain any IP SANs`);
        return new HostnameError(`x509: certificate is valid for ${ips.join(", ")}, not ${host}`);
    }
    if (cert.checkHost(host, { subject: "never" }) !== undefined) return undefined;
    const cn = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1];
    if (sans.length === 0 && cn) return new HostnameError("x509: certificate relies on legacy Common Name field, use SANs instead");
    if (dns.length === 0) return new HostnameError(`x509: certificate is not valid for any names, but wanted to match ${host}`);
    return new HostnameError(`x509: certificate is valid for ${dns.join(", ")}, not ${host}`);
}

const UNKNOWN_AUTHORITY = new Set([
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "UNABLE_TO_GET_ISSUER_CERT",
]);

/** A failed request's error in Go's words (without the `Get "url": ` prefix). */
export function describeTlsError(e: unknown, hostPort: string): string {
    const err = e as NodeJS.ErrnoException;
    const code = err.code ?? "";
    // Go ≥ 1.20 prefixes verification failures with "tls: failed to verify certificate: ".
    const verify = "tls: failed to verify certificate: ";
    if (code === "GO_X509_HOSTNAME") return verify + err.message;
    if (UNKNOWN_AUTHORITY.has(code)) return `${verify}x509: certificate signed by unknown authority`;
    if (code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID") return `${verify}x509: certificate has expired or is not yet valid`;
    if (code === "ERR_SSL_WRONG_VERSION_NUMBER" || /wrong version number/.test(err.message)) {
        return "http: server gave HTTP response to HTTPS client";
    }
    if (code === "GO_TIMEOUT") return "context deadline exceeded (Client.Timeout exceeded while awaiting headers)";
    if (code === "ECONNRESET" || code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN") return dialError(e, hostPort);
    return err.message;
}

export interface ClientTls {
    /** Trusted roots (PEM); undefined = systemRoots(). */
    readonly ca?: readonly string[];
    /** Skip chain and name checks (Go's InsecureSkipVerify). */
    readonly insecureSkipVerify: boolean;
    /** Name to verify instead of the URL's host (Telegraf's tls_server_name). */
    readonly serverName?: string;
    /** Client certificate and key (PEM). */
    readonly cert?: string;
    readonly key?: string;
}

export interface HttpResult {
    readonly status: number;
    readonly headers: http.IncomingHttpHeaders;
    readonly body: string;
    /** SHA-256 fingerprint of the server's certificate when HTTPS. */
    readonly peerFingerprint256?: string;
}

/**
 * One HTTP(S) request like Go's http.Client: verification on unless insecureSkipVerify.
 * Rejects with an Error whose message is Go's: `Get "https://…": x509: …`.
 */
export function goRequest(
    method: "GET" | "POST",
    url: URL,
    opts: { tls?: ClientTls; body?: string; headers?: http.OutgoingHttpHeaders; timeoutMs: number; signal?: AbortSignal },
): Promise<HttpResult> {
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const hostPort = `${host}:${url.port || (url.protocol === "https:" ? 443 : 80)}`;
    const goMethod = method === "GET" ? "Get" : "Post";
    const fail = (e: unknown) => new Error(`${goMethod} "${url.href}": ${describeTlsError(e, hostPort)}`);
    return new Promise((resolve, reject) => {
        const common = { method, headers: opts.headers, agent: false as const, signal: opts.signal };
        let req: http.ClientRequest;
        const onResponse = (res: http.IncomingMessage) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("error", (e) => reject(fail(e)));
            res.on("end", () => {
                const sock = res.socket as (typeof res.socket & { getPeerCertificate?: () => PeerCertificate }) | null;
                const peer = sock?.getPeerCertificate?.();
                resolve({
                    status: res.statusCode ?? 0,
                    headers: res.headers,
                    body: Buffer.concat(chunks).toString("utf8"),
                    peerFingerprint256: peer && peer.fingerprint256 ? peer.fingerprint256 : undefined,
                });
            });
        };
        if (url.protocol === "https:") {
            const t = opts.tls ?? { insecureSkipVerify: false };
            const name = t.serverName ?? host;
            req = https.request(url, {
                ...common,
                ca: [...(t.ca ?? systemRoots())],
                cert: t.cert,
                key: t.key,
                servername: isIP(name) ? undefined : name,
                rejectUnauthorized: !t.insecureSkipVerify,
                checkServerIdentity: t.insecureSkipVerify ? () => undefined : (_h, peer) => checkServerIdentityNoCn(name, peer),
                minVersion: "TLSv1.2",
            }, onResponse);
        } else if (url.protocol === "http:") {
            req = http.request(url, common, onResponse);
        } else {
            reject(new Error(`unsupported protocol scheme "${url.protocol.replace(/:$/, "")}"`));
            return;
        }
        req.setTimeout(opts.timeoutMs, () => req.destroy(Object.assign(new Error("timeout"), { code: "GO_TIMEOUT" })));
        req.on("error", (e) => reject(fail(e)));
        req.end(opts.body);
    });
}
