/**
 * What the sandbox needs from the real machine, made idempotently. These few
 * changes outlive `down` because several sandboxes (the suite's, a test's own)
 * share them; `down --purge-machine` undoes them (see purgeMachine).
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { IN_HOST_OPT, repoRoot } from "./layout";
import { run } from "./run";

/** The non-root login on every host; it has NOPASSWD sudo. */
export const SUDO_USER = "pitls";
const SUDOERS_FILE = "/etc/sudoers.d/pitls-sandbox";
const USER_COMMENT = "pitls sandbox sudo user";
const DEFAULT_INFLUXDB_CONF = "/etc/influxdb/influxdb.conf";
const META_FIXTURE = "enterprise-1.6.2-influxdb-meta.conf";
/** Telegraf's service user, made as the telegraf package's postinst does. */
export const TELEGRAF_USER = "telegraf";
const TELEGRAF_USER_COMMENT = "pitls sandbox telegraf service user";
/** Mount points each host's namespace needs; only /etc/telegraf may be missing here. */
const MOUNT_POINTS = ["/etc/ssl", "/etc/influxdb", "/etc/telegraf", "/var/lib/influxdb", "/usr/local/sbin", IN_HOST_OPT];
const PROGRAMS = ["/usr/sbin/sshd", "/usr/bin/influxd", "/usr/bin/node", "/usr/bin/ssh-keygen", "/usr/bin/unshare", "/usr/bin/nsenter", "/usr/bin/setpriv", "/usr/bin/sudo"];

/** The real default files a fresh host starts from. */
export interface Defaults {
    /** Debian's influxdb 1.6.7 package's influxdb.conf (the machine's, checked against dpkg). */
    readonly influxdbConf: Buffer;
    /** InfluxDB Enterprise 1.6.2's influxdb-meta.conf (test/fixtures). */
    readonly metaConf: Buffer;
}

export async function ensureMachine(): Promise<Defaults> {
    if (process.getuid?.() !== 0) throw new Error("sandbox: must run as root (mount namespaces, sshd, users)");
    const missing = PROGRAMS.filter((p) => !fs.existsSync(p));
    if (missing.length > 0) throw new Error(`sandbox: missing programs: ${missing.join(", ")}`);
    // sshd's privilege-separation directory; /run is a tmpfs so it may be gone after boot.
    fs.mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
    // An empty directory only, so each host can bind-mount its own /etc/telegraf there.
    for (const p of MOUNT_POINTS) fs.mkdirSync(p, { recursive: true, mode: 0o755 });
    await ensureSudoUser();
    await ensureTelegrafUser();
    return { influxdbConf: await pristineInfluxdbConf(), metaConf: fixture(META_FIXTURE) };
}

async function ensureSudoUser(): Promise<void> {
    const known = await run(["id", "-u", SUDO_USER], { allowFailure: true });
    if (known.code !== 0) {
        await run(["useradd", "-m", "-s", "/bin/bash", "-c", USER_COMMENT, SUDO_USER]);
    }
    // useradd leaves the password "!" (locked); without PAM, sshd refuses key logins
    // to locked accounts. "*" means: no password can match, but the account is usable.
    const shadow = (await run(["getent", "shadow", SUDO_USER])).stdout.split(":")[1] ?? "";
    if (shadow.startsWith("!")) await run(["usermod", "-p", "*", SUDO_USER]);

    const rule = `# Written by pitls-influxdb-tls test/sandbox: passwordless sudo for the sandbox's SSH user.\n${SUDO_USER} ALL=(ALL) NOPASSWD: ALL\n`;
    if (fs.existsSync(SUDOERS_FILE) && fs.readFileSync(SUDOERS_FILE, "utf8") === rule) return;
    // sudo skips names with a dot, so the temporary file is inert until renamed.
    const tmp = `${SUDOERS_FILE}.tmp`;
    fs.rmSync(tmp, { force: true });
    fs.writeFileSync(tmp, rule, { mode: 0o440 });
    await run(["visudo", "-cf", tmp]);
    fs.renameSync(tmp, SUDOERS_FILE);
}

/**
 * The Debian package's default influxdb.conf, refusing a locally edited one (checked
 * against dpkg's conffile md5) so every host really starts from the shipped file.
 */
async function pristineInfluxdbConf(): Promise<Buffer> {
    const conffiles = (await run(["dpkg-query", "-W", "-f=${Conffiles}", "influxdb"])).stdout;
    const line = conffiles.split("\n").find((l) => l.trim().startsWith(`${DEFAULT_INFLUXDB_CONF} `));
    const expected = line?.trim().split(/\s+/)[1];
    const text = fs.readFileSync(DEFAULT_INFLUXDB_CONF);
    const actual = createHash("md5").update(text).digest("hex");
    if (expected !== actual) {
        throw new Error(
            `sandbox: ${DEFAULT_INFLUXDB_CONF} differs from the influxdb package's default (md5 ${actual}, dpkg says ${expected}); ` +
                `restore it: rm it, then apt-get install --reinstall -o Dpkg::Options::=--force-confmiss influxdb`,
        );
    }
    return text;
}

/**
 * The user Telegraf runs as, as the package's postinst makes it (system
 * user and group, no home, no shell). Parallel `up`s may race: a failed useradd is fine
 * if the user exists afterwards.
 */
async function ensureTelegrafUser(): Promise<void> {
    if ((await run(["id", "-u", TELEGRAF_USER], { allowFailure: true })).code === 0) return;
    await run(
        ["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/etc/telegraf", "--shell", "/bin/false", "--comment", TELEGRAF_USER_COMMENT, TELEGRAF_USER],
        { allowFailure: true },
    );
    await run(["id", "-u", TELEGRAF_USER]);
}

/** A shipped default config file: the repo's fixture copy, else the shared one. */
function fixture(name: string): Buffer {
    const root = repoRoot();
    const candidates = [path.join(root, "test", "fixtures", name), path.resolve(root, "..", "shared", "fixtures", name)];
    const found = candidates.find((p) => fs.existsSync(p));
    if (!found) throw new Error(`sandbox: default config ${name} not found; looked at ${candidates.join(", ")}`);
    return fs.readFileSync(found);
}

/** Undoes ensureMachine's users and sudoers changes; the empty /etc/telegraf and /opt/pitls-sandbox are removed if still empty. */
export async function purgeMachine(): Promise<void> {
    fs.rmSync(SUDOERS_FILE, { force: true });
    const passwd = await run(["getent", "passwd", SUDO_USER], { allowFailure: true });
    // Only delete the user this code created (recognised by its comment field).
    if (passwd.code === 0 && passwd.stdout.split(":")[4] === USER_COMMENT) {
        await run(["userdel", "-r", SUDO_USER], { allowFailure: true });
    }
    const telegraf = await run(["getent", "passwd", TELEGRAF_USER], { allowFailure: true });
    if (telegraf.code === 0 && telegraf.stdout.split(":")[4] === TELEGRAF_USER_COMMENT) {
        await run(["userdel", TELEGRAF_USER], { allowFailure: true }); // --user-group: its group goes with it
    }
    for (const d of ["/etc/telegraf", IN_HOST_OPT]) {
        try {
            fs.rmdirSync(d);
        } catch {
            // not empty or not there: leave it
        }
    }
}
