/**
 * STAND-IN for InfluxDB Enterprise's `influxd-ctl`, which cannot be installed here. Not the
 * real tool: only `show` is implemented. It models the verification contract the HTTPS
 * guide relies on, as a Go ≥ 1.15 client does it:
 *   influxd-ctl [-bind host:port] [-bind-tls] [-k] show
 *   - -bind defaults to localhost:8091 (each sandbox host's /etc/hosts maps localhost to
 *     the host's own address, like loopback on a real machine);
 *   - without -bind-tls it speaks HTTP (an HTTPS meta node then answers 400);
 *   - with -bind-tls it verifies the chain against the system roots (SSL_CERT_FILE /
 *     SSL_CERT_DIR honoured, as Go does) and the -bind host against the certificate's
 *     SANs only (no Common Name fallback); -k skips both checks.
 * Success prints the cluster table (the real format: Data Nodes, Meta Nodes, Raft Status; a
 * node the queried meta node cannot reach has Version "unknown") and exits 0, even when nodes
 * are unreachable, as the real one; failing to reach the queried meta node prints Go's error
 * and exits 1.
 */
import { FlagError, parseGoFlags } from "./goflags";
import { goRequest } from "./tlsclient";
import { formatShow, type ShowData } from "./metacluster";

const USAGE = `Usage: influxd-ctl [options] <command> [options] [<args>]   (pitls sandbox STAND-IN: only "show")

Available commands are:
   show                 Show cluster members

Options:
   -bind <hostname>:<port>  Bind HTTP address of a meta node (default "localhost:8091")
   -bind-tls                Use TLS (HTTPS) to talk to the meta node
   -k                       Skip certificate verification (for self-signed certificates)
`;

async function main(argv: readonly string[]): Promise<number> {
    let flags;
    try {
        flags = parseGoFlags(argv, { bools: ["bind-tls", "k"], values: ["bind", "auth-type", "user", "pwd", "secret", "config"] });
    } catch (e) {
        if (!(e instanceof FlagError)) throw e;
        process.stderr.write(`${e.message}\n${USAGE}`);
        return 2;
    }
    const [command] = flags.rest;
    if (command === undefined) {
        process.stderr.write(USAGE);
        return 1;
    }
    if (command !== "show") {
        process.stderr.write(`influxd-ctl (pitls sandbox stand-in): command "${command}" is not implemented by the stand-in; only "show" is\n`);
        return 1;
    }
    const bind = flags.values.get("bind") ?? "localhost:8091";
    const scheme = flags.bools.has("bind-tls") ? "https" : "http";
    const url = new URL(`${scheme}://${bind}/show`);
    const user = flags.values.get("user");
    const headers = user ? { Authorization: `Basic ${Buffer.from(`${user}:${flags.values.get("pwd") ?? ""}`).toString("base64")}` } : undefined;
    try {
        const res = await goRequest("GET", url, { tls: { insecureSkipVerify: flags.bools.has("k") }, headers, timeoutMs: 10_000 });
        if (res.status !== 200) {
            process.stderr.write(`show: unexpected response from ${url.href}: ${res.status}: ${res.body.trim()}\n`);
            return 1;
        }
        process.stdout.write(formatShow(JSON.parse(res.body) as ShowData));
        return 0;
    } catch (e) {
        process.stderr.write(`show: ${(e as Error).message}\n`);
        return 1;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (e: unknown) => {
            process.stderr.write(`influxd-ctl (stand-in): ${e instanceof Error ? e.message : String(e)}\n`);
            process.exitCode = 1;
        },
    );
}
