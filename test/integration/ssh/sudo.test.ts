// A non-root login user with NOPASSWD sudo (what most InfluxDB hosts look like), and
// password authentication. Creates the user `pitlsssh` and /etc/sudoers.d/pitlsssh-test
// (idempotent; both are left in place, clearly named).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SshCommandError, SshConnection, withSession } from "../../../provider/ssh";
import { KeyPair, startSshd, TestSshd } from "./sshd";

const USER = "pitlsssh";
const SUDOERS = "/etc/sudoers.d/pitlsssh-test";

let sshd: TestSshd;
let key: KeyPair;
let password: string;
let rootDir: string;

function ensureUser(): void {
    try {
        execFileSync("id", [USER], { stdio: "ignore" });
    } catch {
        // "*" (not "!") so sshd without PAM does not treat the account as locked.
        execFileSync("useradd", ["-M", "-d", "/", "-s", "/bin/sh", "-p", "*", USER]);
    }
    const rule = `${USER} ALL=(ALL) NOPASSWD: ALL\n`;
    writeFileSync(SUDOERS + ".tmp", rule, { mode: 0o440 });
    execFileSync("visudo", ["-cqf", SUDOERS + ".tmp"]);
    execFileSync("mv", ["-f", SUDOERS + ".tmp", SUDOERS]);
}

before(async () => {
    ensureUser();
    password = randomBytes(12).toString("base64url");
    execFileSync("chpasswd", { input: `${USER}:${password}\n` });
    sshd = await startSshd();
    key = sshd.keygen("user_key");
    sshd.authorize(USER, key.publicLine);
    rootDir = join(sshd.dir, "root-only");
    mkdirSync(rootDir, { mode: 0o700 });
});
after(async () => {
    await sshd?.stop();
});

const asUser = (extra: Partial<SshConnection> = {}): SshConnection => sshd.conn({ user: USER, privateKey: key.privateKey, ...extra });

test("without sudo the login user cannot touch root's files, and the error says why", async () => {
    const p = join(rootDir, "secret.conf");
    writeFileSync(p, "root only\n", { mode: 0o600 });
    await withSession(asUser(), async (s) => {
        assert.equal((await s.run(["id", "-un"])).stdout.toString(), `${USER}\n`);
        await assert.rejects(s.readFile(p), (e: unknown) => {
            assert.ok(e instanceof SshCommandError);
            assert.match(e.message, new RegExp(`^command on ${USER}@127\\.0\\.0\\.1:\\d+ exited with code 1: read '?/`));
            assert.match(e.message, /Permission denied/);
            return true;
        });
    });
});

test("with sudo: commands run as root; reads and atomic writes of root-owned files work", async () => {
    const p = join(rootDir, "influxdb.conf");
    writeFileSync(p, "[http]\n", { mode: 0o600 });
    await withSession(asUser({ sudo: true }), async (s) => {
        assert.equal((await s.run(["id", "-un"])).stdout.toString(), "root\n");
        const f = await s.readFile(p);
        assert.deepEqual([f.content.toString(), f.mode, f.owner, f.group], ["[http]\n", "600", "root", "root"]);
        await s.writeFileAtomic(p, "[http]\n  https-enabled = true\n", { expectedSha256: f.sha256 });
        const created = join(rootDir, "new.pem");
        await s.writeFileAtomic(created, "PEM", { mode: "0640", group: "nogroup", expectedSha256: null });
        assert.deepEqual([statSync(created).uid, statSync(created).gid, (statSync(created).mode & 0o777).toString(8)], [0, 65534, "640"]);
        await assert.rejects(s.run(["false"]), /exited with code 1: sudo -n -- false/);
    });
    assert.equal(readFileSync(p, "utf8"), "[http]\n  https-enabled = true\n");
    assert.equal((statSync(p).mode & 0o777).toString(8), "600");
    assert.deepEqual([statSync(p).uid, statSync(p).gid], [0, 0]);
    assert.deepEqual(readdirSync(rootDir).filter((n) => n.startsWith(".pitls.")), []);
});

test("password authentication (non-root user), and a wrong password is refused", async () => {
    const out = await withSession(asUser({ privateKey: undefined, password }), (s) => s.run(["id", "-un"]));
    assert.equal(out.stdout.toString(), `${USER}\n`);
    await assert.rejects(withSession(asUser({ privateKey: undefined, password: password + "x" }), async () => undefined), (e: unknown) => {
        assert.match((e as Error).message, /^SSH authentication failed for pitlsssh@127\.0\.0\.1:\d+ \(tried: password\)$/);
        assert.ok(!(e as Error).message.includes(password));
        return true;
    });
});
