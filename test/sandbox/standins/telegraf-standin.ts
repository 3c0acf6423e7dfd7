/**
 * STAND-IN for Telegraf, which cannot be installed here. Not the real agent: it has no
 * inputs and models only [[outputs.influxdb]]. What it checks is what enabling HTTPS on
 * the InfluxDB output depends on, the way Telegraf 1.7–1.34 does:
 *   - loads -config (default /etc/telegraf/telegraf.conf) and -config-directory *.conf
 *     with a real TOML parser; an unknown key in an [[outputs.influxdb]] table is fatal;
 *   - urls, database, tls_ca/ssl_ca, tls_cert/ssl_cert, tls_key/ssl_key, tls_server_name,
 *     insecure_skip_verify; TLS files are read at start-up as the user it runs as (unit
 *     user telegraf), so an unreadable tls_ca is fatal;
 *   - every 2 s writes `standin_telegraf,host=<hostname> value=1i` to the first URL that
 *     takes it (CREATE DATABASE first), verifying the server like a Go client; on failure
 *     logs "E! InfluxDB Output Error: …" and retries at the next flush.
 * Modes: service (default; stops on SIGTERM), --once (one flush; exit 0 only if every
 * output reached some URL), --test (print the point, write nothing), --version.
 * Stand-in-only flag: --standin-status FILE, a JSON status (per URL: TLS mode, last
 * success / error) written after each flush in service mode, for tests.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FlagError, parseGoFlags } from "./goflags";
import { readFileGo } from "./goerrors";
import { parseTelegrafConfig, type TelegrafConfig } from "./telegrafconfig";
import { InfluxOutputWriter, loadClientTls, pointLine, type TelegrafStandinStatus } from "./telegrafoutput";

const VERSION = "1.4.5-standin";
const FLUSH_INTERVAL_MS = 2000;

const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

function fatal(message: string): never {
    log(`E! [telegraf] Error running agent: ${message}`);
    process.exit(1);
}

function configFiles(main: string, dir: string | undefined): { path: string; text: string }[] {
    const files = [main];
    if (dir) {
        let names: string[] = [];
        try {
            names = fs.readdirSync(dir);
        } catch (e) {
            fatal(`error loading config directory ${dir}: ${(e as Error).message}`);
        }
        files.push(...names.filter((n) => n.endsWith(".conf")).sort().map((n) => path.join(dir, n)));
    }
    return files.map((f) => {
        try {
            return { path: f, text: readFileGo(f).toString("utf8") };
        } catch (e) {
            fatal(`error loading config file ${f}: ${(e as Error).message}`);
        }
    });
}

function writeStatus(file: string | undefined, status: TelegrafStandinStatus): void {
    if (!file) return;
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(status, null, 2)}\n`);
    fs.renameSync(tmp, file);
}

async function main(argv: readonly string[]): Promise<number> {
    let flags;
    try {
        flags = parseGoFlags(argv, { bools: ["once", "test", "debug", "quiet", "version"], values: ["config", "config-directory", "standin-status"] });
    } catch (e) {
        if (!(e instanceof FlagError)) throw e;
        process.stderr.write(`${e.message}\nUsage: telegraf [--config FILE] [--config-directory DIR] [--once|--test]   (pitls sandbox STAND-IN)\n`);
        return 2;
    }
    if (flags.bools.has("version")) {
        process.stdout.write(`Telegraf v${VERSION} (pitls sandbox stand-in, not the real Telegraf)\n`);
        return 0;
    }
    const mainFile = flags.values.get("config") ?? process.env.TELEGRAF_CONFIG_PATH ?? "/etc/telegraf/telegraf.conf";
    const files = configFiles(mainFile, flags.values.get("config-directory"));
    let cfg: TelegrafConfig;
    try {
        cfg = parseTelegrafConfig(files);
    } catch (e) {
        fatal((e as Error).message);
    }
    const host = cfg.omitHostname ? undefined : cfg.hostname || os.hostname();
    if (flags.bools.has("test")) {
        process.stdout.write(`> ${pointLine(host, Date.now())}`);
        return 0;
    }
    log(`I! Starting Telegraf ${VERSION} (pitls sandbox STAND-IN; pid ${process.pid}, uid ${process.getuid?.()})`);
    log(`I! Loaded outputs: ${["influxdb", ...cfg.otherOutputs].join(" ")}`);
    for (const other of cfg.otherOutputs) log(`W! stand-in: outputs.${other} is not modelled and is ignored`);
    let writers: InfluxOutputWriter[];
    try {
        writers = cfg.outputs.map((o) => new InfluxOutputWriter(o, loadClientTls(o), log));
    } catch (e) {
        fatal(`could not initialize output influxdb: could not load TLS config: ${(e as Error).message}`);
    }

    const flushAll = async (signal?: AbortSignal) => {
        const line = pointLine(host, Date.now());
        const results: boolean[] = [];
        for (const w of writers) results.push(await w.write(line, signal));
        return results.every(Boolean);
    };
    if (flags.bools.has("once")) return (await flushAll()) ? 0 : 1;

    const statusFile = flags.values.get("standin-status");
    const startedAt = new Date().toISOString();
    let flushes = 0;
    const status = (state: TelegrafStandinStatus["state"]): TelegrafStandinStatus => ({
        standin: "telegraf",
        pid: process.pid,
        state,
        startedAt,
        updatedAt: new Date().toISOString(),
        flushes,
        configFiles: files.map((f) => f.path),
        hostname: host ?? null,
        outputs: writers.map((w) => ({ id: w.output.id, database: w.output.database, tls_ca: w.output.tls.ca ?? null, insecure_skip_verify: w.output.tls.insecureSkipVerify, urls: w.status })),
    });
    writeStatus(statusFile, status("running"));
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const loop = async () => {
        await flushAll(abort.signal);
        flushes++;
        if (abort.signal.aborted) return;
        writeStatus(statusFile, status("running"));
        timer = setTimeout(() => void loop(), FLUSH_INTERVAL_MS);
    };
    const stop = () => {
        log("I! Hang on, flushing any cached metrics before shutdown");
        abort.abort();
        clearTimeout(timer);
        writeStatus(statusFile, status("stopped"));
        process.exit(0);
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
    void loop();
    return new Promise<number>(() => undefined); // runs until a signal
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (e: unknown) => fatal(e instanceof Error ? e.message : String(e)),
    );
}
