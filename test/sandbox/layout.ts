/**
 * Where the sandbox keeps things. One place names every path so the generator,
 * `down` and tests agree on the layout.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The directory holding package.json, found from this (compiled) file's location. */
export function repoRoot(): string {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "package.json"))) return dir;
        if (path.dirname(dir) === dir) throw new Error(`sandbox: no package.json above ${__dirname}`);
    }
}

/** `$PITLS_SANDBOX_DIR`, else `<repo>/.sandbox` (git-ignored). */
export function defaultSandboxDir(): string {
    return path.resolve(process.env.PITLS_SANDBOX_DIR ?? path.join(repoRoot(), ".sandbox"));
}

export interface SandboxLayout {
    readonly dir: string;
    readonly stateFile: string;
    readonly lockFile: string;
    /** One ed25519 key pair (no passphrase) for every host and user. */
    readonly clientKey: string;
    /** Every host's address with its host key, for `ssh -o UserKnownHostsFile=`. */
    readonly knownHosts: string;
}

export function sandboxLayout(dir: string): SandboxLayout {
    return {
        dir,
        stateFile: path.join(dir, "state.json"),
        lockFile: path.join(dir, ".lock"),
        clientKey: path.join(dir, "client_key"),
        knownHosts: path.join(dir, "known_hosts"),
    };
}

/** Paths inside one host's directory. The `etc*`/`var*`/`sbin` dirs are bind-mounted in its namespace. */
export interface HostLayout {
    readonly dir: string;
    /** Mounted on /etc/ssl; starts as a copy of the machine's, so CA bundle paths exist. */
    readonly etcSsl: string;
    /** Mounted on /etc/influxdb. */
    readonly etcInfluxdb: string;
    /** Mounted on /etc/telegraf. */
    readonly etcTelegraf: string;
    /** Mounted on /var/lib/influxdb, owned by influxdb. */
    readonly varLibInfluxdb: string;
    /** Mounted on /etc/hosts: `localhost` is this host's address, plus every sandbox host's name. */
    readonly etcHosts: string;
    /** Mounted on /usr/local/sbin; holds the `systemctl` shim, the stand-in programs' wrappers and telegraf. */
    readonly sbin: string;
    readonly shim: string;
    /** The `journalctl` stand-in (prints the tail of log/<unit>.log). */
    readonly journalctl: string;
    /** `<unit>.env` files the shim reads (a stand-in for .service files). */
    readonly units: string;
    readonly ssh: string;
    readonly hostKey: string;
    readonly sshdConfig: string;
    readonly authorizedKeys: string;
    /** pid files: sshd.pid, `<unit>.pid`. */
    readonly run: string;
    /** sshd.log, `<unit>.log`. */
    readonly log: string;
    /** The host's influxdb.conf as `up` wrote it; tests compare against it byte for byte. */
    readonly baselineInfluxdbConf: string;
    /** Telegraf hosts only: telegraf.conf as `up` wrote it (Telegraf 1.37.2's `telegraf config` plus the sandbox's lines). */
    readonly baselineTelegrafConf: string;
    /** Meta hosts only: influxdb-meta.conf as `up` wrote it (from Enterprise 1.6.2's default). */
    readonly baselineMetaConf: string;
    /** Data hosts not on the machine's influxd: their influxd binary, mounted on /usr/bin/influxd. */
    readonly influxdProgram: string;
    /** Telegraf hosts: the Telegraf binary, /usr/local/sbin/telegraf (sbin is mounted there). */
    readonly telegrafProgram: string;
    /**
     * Mounted on /opt/pitls-sandbox (IN_HOST_OPT): root-owned 0755, what the service users run
     * and write. Not a path into the checkout, which they may not be able to traverse.
     */
    readonly opt: string;
    /** opt/standins: copies of the compiled stand-ins and the one package they need (smol-toml). */
    readonly standins: string;
}

/** Where a host's `opt/` is mounted in its namespace (a mount point ensureMachine makes). */
export const IN_HOST_OPT = "/opt/pitls-sandbox";

/** A path under the host's `opt/` as the host's own processes see it. */
export function inHostOpt(layout: HostLayout, file: string): string {
    const rel = path.relative(layout.opt, file);
    if (rel.startsWith("..") || path.isAbsolute(rel)) throw new Error(`sandbox: ${file} is not under ${layout.opt}`);
    return path.posix.join(IN_HOST_OPT, rel);
}

/** `dir` is the host's directory, `<sandbox dir>/<host name>` (HostState.dir). */
export function hostLayout(dir: string): HostLayout {
    const sbin = path.join(dir, "sbin");
    const ssh = path.join(dir, "ssh");
    const opt = path.join(dir, "opt");
    return {
        dir,
        etcSsl: path.join(dir, "etc-ssl"),
        etcInfluxdb: path.join(dir, "etc-influxdb"),
        etcTelegraf: path.join(dir, "etc-telegraf"),
        varLibInfluxdb: path.join(dir, "var-lib-influxdb"),
        etcHosts: path.join(dir, "etc-hosts"),
        sbin,
        shim: path.join(sbin, "systemctl"),
        journalctl: path.join(sbin, "journalctl"),
        units: path.join(dir, "units"),
        ssh,
        hostKey: path.join(ssh, "ssh_host_ed25519_key"),
        sshdConfig: path.join(ssh, "sshd_config"),
        // Under opt/ (the host sees it at /opt/pitls-sandbox/ssh): sshd opens it as the login user,
        // and pitls cannot traverse a checkout inside a 0700 directory.
        authorizedKeys: path.join(opt, "ssh", "authorized_keys"),
        run: path.join(dir, "run"),
        log: path.join(dir, "log"),
        baselineInfluxdbConf: path.join(dir, "baseline-influxdb.conf"),
        baselineTelegrafConf: path.join(dir, "baseline-telegraf.conf"),
        baselineMetaConf: path.join(dir, "baseline-influxdb-meta.conf"),
        influxdProgram: path.join(dir, "bin", "influxd"),
        telegrafProgram: path.join(sbin, "telegraf"),
        opt,
        standins: path.join(opt, "standins"),
    };
}
