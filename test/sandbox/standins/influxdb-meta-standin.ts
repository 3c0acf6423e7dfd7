/**
 * STAND-IN for InfluxDB Enterprise 1.6's meta node (`influxd-meta`), which cannot be
 * installed here. Not the real product: it serves only the meta API's /ping, /status and
 * /show, with no Raft, cluster or licensing. What it does check is the part the HTTPS
 * guide is about, the way the real one does:
 *   - reads -config (default /etc/influxdb/influxdb-meta.conf) with a real TOML parser;
 *     wrongly typed known keys are fatal ("incompatible types"), unknown keys ignored;
 *   - [meta] http-bind-address (default ":8091"; an empty host means this sandbox host's
 *     address, since hosts share one loopback interface), https-enabled,
 *     https-certificate, https-private-key ("" = key inside the certificate file);
 *   - HTTPS: opens the files as the user it runs as (unit user influxdb, as the real
 *     service), so an unreadable key exits 1 with "open …: permission denied"; a key that
 *     does not match the certificate exits 1; otherwise serves real TLS with that pair.
 * Fatal errors go to stderr in influxd's words and exit 1, so `systemctl is-active` fails.
 *
 * Cluster (metacluster.ts): /show and /status list every meta peer and data node of the
 * sandbox's topology, each probed with this node's own [meta] TLS settings; unreachable ones
 * have Version "unknown".
 *
 * Stand-in-only flags: --standin-address ADDR (this host's address), --standin-meta-nodes
 * meta1:8091,meta2:8091 (every meta node's HTTP address, this one included), --standin-data-nodes
 * data1:8088,data2:8088 (every data node's cluster address).
 */
import * as os from "node:os";
import type { Server } from "node:net";
import { FlagError, parseGoFlags } from "./goflags";
import { errnoText, readFileGo } from "./goerrors";
import { loadX509KeyPair } from "./keypair";
import { parseMetaConfig, splitHostPort, type MetaConfig } from "./metaconfig";
import { clusterShow, META_RAFT_PORT, type ClusterView } from "./metacluster";
import { STANDIN_VERSION, startMetaServer } from "./metaserver";
import { ConfigError } from "./tomltypes";

const DEFAULT_CONFIG = "/etc/influxdb/influxdb-meta.conf";
/** Debian's influxdb in the sandbox's data hosts; /show reports what they really run. */
const DATA_NODE_VERSION = "1.6.7~rc0";

const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

function fatal(message: string): never {
    process.stderr.write(`run: ${message}\n`);
    process.exit(1);
}

/** Probe timeout per peer: short, since influxd-ctl and the health gate retry. */
const PROBE_TIMEOUT_MS = 2000;

function clusterView(cfg: MetaConfig, port: number, metaNodes: string[], dataNodes: string[]): ClusterView {
    const self = `${cfg.hostname || os.hostname()}:${port}`;
    return {
        // A node always knows itself, even when started without a topology.
        metaNodes: metaNodes.includes(self) ? metaNodes : [self, ...metaNodes],
        dataNodes,
        self,
        selfVersion: STANDIN_VERSION,
        dataVersion: DATA_NODE_VERSION,
        https: cfg.httpsEnabled,
        insecureTls: cfg.httpsInsecureTls,
        timeoutMs: PROBE_TIMEOUT_MS,
    };
}

async function main(argv: readonly string[]): Promise<void> {
    let flags;
    try {
        flags = parseGoFlags(argv, { bools: [], values: ["config", "pidfile", "standin-address", "standin-meta-nodes", "standin-data-nodes"] });
    } catch (e) {
        if (!(e instanceof FlagError)) throw e;
        process.stderr.write(`${e.message}\nUsage of influxd-meta (pitls stand-in): -config FILE\n`);
        process.exit(2);
    }
    const configPath = flags.values.get("config") ?? DEFAULT_CONFIG;
    const ownAddress = flags.values.get("standin-address") ?? "127.0.0.1";
    const list = (flag: string) => (flags.values.get(flag) ?? "").split(",").filter((s) => s !== "");
    const dataNodes = list("standin-data-nodes");
    const metaNodes = list("standin-meta-nodes");
    log(`[run] pitls sandbox STAND-IN for influxd-meta ${STANDIN_VERSION} (not InfluxDB Enterprise); pid ${process.pid}, uid ${process.getuid?.()}`);
    log(`[run] Using configuration at: ${configPath}`);

    let cfg: MetaConfig;
    try {
        cfg = parseMetaConfig(readFileGo(configPath).toString("utf8"));
    } catch (e) {
        fatal(`parse config: ${e instanceof ConfigError || e instanceof Error ? e.message : String(e)}`);
    }
    let bind;
    try {
        bind = splitHostPort(cfg.httpBindAddress);
    } catch (e) {
        fatal(`open server: open service: listen tcp ${cfg.httpBindAddress}: ${(e as Error).message}`);
    }
    let tls: { cert: string; key: string } | undefined;
    if (cfg.httpsEnabled) {
        try {
            const pair = loadX509KeyPair(cfg.httpsCertificate, cfg.httpsPrivateKey || cfg.httpsCertificate);
            tls = { cert: pair.certPem, key: pair.keyPem };
        } catch (e) {
            fatal(`open server: open service: ${(e as Error).message}`);
        }
    }
    const host = bind.host || ownAddress;
    let server: Server;
    try {
        const view = clusterView(cfg, bind.port, metaNodes, dataNodes);
        const self = { addr: `${view.self.replace(/:\d+$/, "")}:${META_RAFT_PORT}`, httpAddr: view.self };
        server = await startMetaServer({ host, port: bind.port, tls, self, show: () => clusterShow(view), log });
    } catch (e) {
        fatal(`open server: open service: listen tcp ${host}:${bind.port}: bind: ${errnoText(e)}`);
    }
    log(`[meta] Listening on ${tls ? "HTTPS" : "HTTP"}: ${host}:${bind.port} (https-enabled = ${cfg.httpsEnabled}); peers ${metaNodes.join(" ") || "none"}, data nodes ${dataNodes.join(" ") || "none"}`);
    const stop = (sig: string) => {
        log(`[run] Signal received (${sig}), initializing clean shutdown...`);
        server.close();
        process.exit(0);
    };
    process.on("SIGTERM", () => stop("SIGTERM"));
    process.on("SIGINT", () => stop("SIGINT"));
}

if (require.main === module) {
    main(process.argv.slice(2)).catch((e: unknown) => fatal(e instanceof Error ? e.message : String(e)));
}
