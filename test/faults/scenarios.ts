/**
 * The fault matrix's scenarios (issue 7 §1): for each, the operations it applies to and how
 * the fault is injected for real. Scenario 18 (Pulumi itself interrupted) lives with the
 * real-CLI tests.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import { findHost, hostLayout, onHost, systemctl, waitForInfluxd } from "../sandbox";
import type { CellSpec, Injection } from "./cell";
import { Blackhole } from "./inject/blackhole";
import { fillTmpfs, fullTmpfs, maskFile, readOnly, roomyTmpfs } from "./inject/mounts";
import { killConnections } from "./inject/sshd";
import type { WrapperKind } from "./inject/wrappers";
import { CONFIG, CONFIG_DIR, type Op, type Via, type World } from "./world";

export interface Scenario {
    readonly id: string;
    readonly title: string;
    readonly via?: Via;
    /** Verify timeout of 4 s instead of 8 s for the chain (verify fails on purpose). */
    readonly quickVerify?: boolean;
    /** SSH connect timeout (s) for the chain; default 10. */
    readonly connectTimeout?: number;
    readonly cells: Partial<Record<Op, CellSpec>>;
}

const CONFIG_SIZE_CHUNK = 8000; // the config (≈19 KB) is the only chunk this large in an operation

/** Cut the connection halfway through the first chunk of `minBytes..maxBytes` going `dir`. */
const cut = (dir: "up" | "down", minBytes: number, maxBytes?: number) => async (w: World): Promise<Injection> => {
    w.proxy.arm({ dir, minBytes, maxBytes, cutAfter: 0.5 });
    return { undo: async () => w.proxy.disarm(), fired: () => w.proxy.fired !== undefined };
};

/** Hold the wrapper at call `at`, then kill every SSH connection of data1 by PID and stop the wrapper. */
const killAt = (kind: WrapperKind, at: number, then?: (w: World) => Promise<void>) => async (w: World): Promise<Injection> => {
    w.wrappers.arm(kind, { holdAt: at });
    let killed: number[] = [];
    const bg = (async () => {
        if (!(await w.wrappers.reached(kind))) return;
        if (then) await then(w);
        else killed = killConnections(w.host);
        w.wrappers.release(kind, "stop");
    })();
    return { undo: () => bg, fired: () => (then ? w.wrappers.calls(kind) >= at : killed.length > 0) };
};

const refuse = (...kinds: WrapperKind[]) => async (w: World): Promise<Injection> => {
    for (const k of kinds) w.wrappers.arm(k, { fail: "always" });
    return { fired: () => kinds.some((k) => w.wrappers.calls(k) > 0) };
};

const verifyFailsUntilRollback = async (w: World): Promise<Injection> => {
    w.wrappers.arm("restart", { count: true });
    w.wrappers.arm("verify", { failUntilRestarts: 2 });
    return { fired: () => w.wrappers.calls("verify") > 0 };
};

const fs_ = (make: (host: string) => Promise<() => Promise<void>>) => async (w: World): Promise<Injection> => {
    const undo = await make(w.host.name);
    return { undo };
};

/** Replaces the config's bytes on the host; undo puts `before` back if the file still has the injected bytes. */
const rewriteConfig = (edit: (b: Buffer) => Buffer) => async (w: World): Promise<Injection> => {
    const before = (await w.read(CONFIG))!;
    const bad = edit(before);
    await onHost(w.host.name, ["sh", "-c", 'cat > "$1"', "sh", CONFIG], { input: bad });
    return {
        untouched: async () => bad,
        undo: async () => {
            const now = await w.read(CONFIG);
            if (now && now.equals(bad)) await onHost(w.host.name, ["sh", "-c", 'cat > "$1"', "sh", CONFIG], { input: before });
        },
    };
};

const wrongKey = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
// An encrypted RSA key (the OpenSSH-format client key cannot be re-encrypted with node's crypto).
const encryptedKey = (_w: World) => crypto.generateKeyPairSync("rsa", {
    modulusLength: 2048, publicKeyEncoding: { type: "pkcs1", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem", cipher: "aes-256-cbc", passphrase: "the-right-one" },
}).privateKey;

/** Empties data1's authorized_keys (sshd reads it per login): the configured key is no longer accepted. */
const revokeKey = async (w: World): Promise<Injection> => {
    const f = hostLayout(w.host.dir).authorizedKeys;
    const saved = fs.readFileSync(f);
    fs.writeFileSync(f, "");
    return { undo: async () => fs.writeFileSync(f, saved) };
};

const unreachable = async (w: World): Promise<Injection> => {
    await w.proxy.stop();
    return { undo: () => w.proxy.start() };
};

const blackholed = async (w: World): Promise<Injection> => {
    await w.proxy.stop();
    const hole = new Blackhole(w.proxy.address, w.proxy.port);
    await hole.start();
    return { undo: async () => { await hole.stop(); await w.proxy.start(); } };
};

const hostKeyChanged = async (w: World): Promise<Injection> => {
    const other = findHost(w.state, w.host.name === "data2" ? "data1" : "data2");
    w.proxy.target = { host: other.address, port: other.sshPort };
    return { undo: async () => { w.proxy.target = { host: w.address, port: w.host.sshPort }; } };
};

/** While the config's bytes travel to the provider (after its read, before its write), a third party appends a line. */
const editBetweenReadAndWrite = async (w: World): Promise<Injection> => {
    const line = `# edited by someone else at ${Date.now()}\n`;
    let edited: Buffer | undefined;
    w.proxy.arm({
        dir: "down", minBytes: CONFIG_SIZE_CHUNK,
        before: async () => {
            await onHost(w.host.name, ["sh", "-c", 'printf %s "$2" >> "$1"', "sh", CONFIG, line]);
            w.thirdParty += line;
            edited = await w.read(CONFIG);
        },
    });
    return { undo: async () => w.proxy.disarm(), fired: () => edited !== undefined, untouched: async () => edited };
};

/** Someone turns HTTPS off by hand (a managed key) and restarts influxd. */
const editManagedKey = async (w: World): Promise<Injection> => {
    await onHost(w.host.name, ["sed", "-i", "s/^\\(\\s*\\)https-enabled = true$/\\1https-enabled = false/", CONFIG]);
    await systemctl(w.host.name, "restart", "influxdb");
    await waitForInfluxd(w.host, 15_000);
    return { untouched: () => w.read(CONFIG) };
};

const symlinked = async (w: World): Promise<Injection> => {
    await onHost(w.host.name, ["sh", "-c", 'mv -- "$1" "$1.real" && ln -s influxdb.conf.real "$1"', "sh", CONFIG]);
    return {
        undo: async () => {
            await onHost(w.host.name, ["sh", "-c", 'if [ -L "$1" ]; then t=$(readlink -f -- "$1"); rm -f -- "$1"; mv -- "$t" "$1"; fi', "sh", CONFIG]);
        },
    };
};

const missing = async (w: World): Promise<Injection> => {
    await onHost(w.host.name, ["mv", "--", CONFIG, `${CONFIG_DIR}/.pitls-fault-moved`]);
    // "Untouched" here means still missing: nothing may create a config from nothing.
    return {
        untouched: async () => undefined,
        undo: async () => { await onHost(w.host.name, ["mv", "--", `${CONFIG_DIR}/.pitls-fault-moved`, CONFIG]); },
    };
};

/** /etc/passwd and /etc/group without the service user, in data1's namespace only. */
const noServiceUser = async (w: World): Promise<Injection> => {
    const strip = (f: string) => fs.readFileSync(f, "utf8").split("\n").filter((l) => !l.startsWith("influxdb:")).join("\n");
    const u1 = await maskFile(w.host.name, "/etc/passwd", strip("/etc/passwd"));
    const u2 = await maskFile(w.host.name, "/etc/group", strip("/etc/group"));
    return { undo: async () => { await u2(); await u1(); } };
};

const ALL: Op[] = ["create", "update", "rotation", "refresh", "delete"];
const each = (ops: Op[], spec: CellSpec | ((op: Op) => CellSpec)): Partial<Record<Op, CellSpec>> =>
    Object.fromEntries(ops.map((op) => [op, typeof spec === "function" ? spec(op) : spec]));

/** The step whose verify a fault targets: delete verifies with revertVerify. */
const verifyOf = (op: Op): WrapperKind => (op === "delete" ? "revert" : "verify");

export const SCENARIOS: Scenario[] = [
    {
        id: "1", title: "SSH connection cut while the temp file is being written", via: "proxy",
        cells: {
            create: { inject: cut("up", CONFIG_SIZE_CHUNK) },
            update: { inject: cut("up", CONFIG_SIZE_CHUNK) },
            // The rotation's first write is B's RSA-4096 key (≈3.2 KB on the wire).
            rotation: { inject: cut("up", 3200, 3700) },
            delete: { inject: cut("up", CONFIG_SIZE_CHUNK) },
        },
    },
    { id: "2", title: "SSH connection killed after the rename, before the restart", cells: each(["create", "update", "rotation", "delete"], { inject: killAt("restart", 1) }) },
    // The provider may reconnect and finish verifying (fully applied and verified) or roll back: either is fine.
    { id: "3", title: "SSH connection killed during the verify retries", cells: each(["create", "update", "rotation", "delete"], (op) => ({ inject: killAt(verifyOf(op), 2), expect: "either" as const })) },
    {
        id: "4a", title: "service fails to start: key unreadable (root:root 0600)",
        cells: each(["create", "rotation"], { target: (_w, v) => ({ ...v, keyOwner: "root" }) }),
    },
    {
        id: "4b", title: "service fails to start: not a certificate",
        // Refused before any SSH (checked at construction): the error names the node and the argument.
        cells: each(["create", "rotation"], { target: (w, v) => ({ ...v, pair: w.certs.garbage }), argument: /certificate\.provided\.certificatePem\b/ }),
    },
    {
        id: "4c", title: "service fails to start: new config unusable (bind address not on the host)",
        cells: { update: { target: (_w, v) => ({ ...v, extraEdits: [{ table: "http", set: { "bind-address": "192.0.2.1:8086" } }] }) } },
    },
    {
        id: "5", title: "service never passes verify within the timeout", quickVerify: true,
        cells: {
            create: { inject: refuse("verify") },
            // An update's rollback verifies with the old verify command (the same wrapper): refuse only until the rollback's restart.
            ...each(["update", "rotation"], { inject: verifyFailsUntilRollback }),
            delete: { inject: refuse("revert") },
        },
    },
    {
        id: "6", title: "the revert after a failed apply fails to verify too", quickVerify: true,
        cells: each(["create", "update", "rotation", "delete"], { inject: refuse("verify", "revert"), errorMatch: /verif[\s\S]*(roll|revert)/i }),
    },
    { id: "7a", title: "disk full in the config's directory at write", cells: each(["create", "update", "delete"], { inject: fs_((h) => fullTmpfs(h, CONFIG_DIR)) }) },
    {
        id: "7b", title: "disk full in the config's directory at the revert of a failed apply",
        cells: each(["create", "update"], {
            inject: async (w) => {
                const undo = await roomyTmpfs(w.host.name, CONFIG_DIR);
                const inner = await killAt("restart", 1, (x) => fillTmpfs(x.host.name, CONFIG_DIR))(w);
                return { ...inner, undo: async () => { await inner.undo!(); await undo(); } };
            },
        }),
    },
    {
        id: "8", title: "read-only filesystem for the config's directory",
        cells: { ...each(["create", "update", "delete"], { inject: fs_((h) => readOnly(h, CONFIG_DIR)) }), refresh: { inject: fs_((h) => readOnly(h, CONFIG_DIR)), expect: "ok" } },
    },
    { id: "9", title: "`sudo -n` refused for the login user", via: "sudo", cells: each(ALL, { inject: fs_((h) => maskFile(h, "/etc/sudoers.d/pitls-sandbox", "")) }) },
    {
        id: "10a", title: "wrong private key",
        cells: {
            ...each(["create", "update", "rotation"], { target: (_w, v) => ({ ...v, conn: { privateKey: wrongKey } }) }),
            ...each(["refresh", "delete"], { inject: revokeKey }),
        },
    },
    { id: "10b", title: "wrong password", cells: { create: { target: (_w, v) => ({ ...v, conn: { privateKey: undefined, password: "not-the-password" } }) } } },
    { id: "10c", title: "passphrase-protected key, wrong passphrase", cells: { create: { target: (w, v) => ({ ...v, conn: { privateKey: encryptedKey(w), privateKeyPassphrase: "a-wrong-one" } }) } } },
    { id: "11a", title: "host unreachable: nothing listening", via: "proxy", connectTimeout: 5, cells: each(ALL, { inject: unreachable }) },
    { id: "11b", title: "host unreachable: blackholed address", via: "proxy", connectTimeout: 5, cells: each(ALL, { inject: blackholed }) },
    { id: "12", title: "host key changed since it was pinned", via: "proxy", cells: each(ALL, { inject: hostKeyChanged, errorMatch: /host key/i }) },
    { id: "13a", title: "config edited between read and write (compare-and-swap)", via: "proxy", cells: each(["create", "update", "delete"], { inject: editBetweenReadAndWrite }) },
    { id: "13b", title: "a managed key edited by hand between up and the next step", cells: each(["refresh", "update", "delete"], { inject: editManagedKey, expect: "ok" }) },
    { id: "14a", title: "config replaced by a symlink to another file", cells: each(["create", "update", "refresh", "delete"], { inject: symlinked, expect: "either" }) },
    {
        id: "14b", title: "config file missing",
        cells: { ...each(["create", "update"], { inject: missing }), refresh: { inject: missing, expect: "either" } },
    },
    { id: "15", title: "malformed TOML on the host", cells: { ...each(["create", "update", "delete"], { inject: rewriteConfig((b) => Buffer.concat([b, Buffer.from("\n[http\n")])) }), refresh: { inject: rewriteConfig((b) => Buffer.concat([b, Buffer.from("\n[http\n")])), expect: "either" } } },
    // 16a–c, like 4b, are refused before any SSH: the error names the node and the argument at fault.
    { id: "16a", title: "certificate and key do not match", cells: each(["create", "rotation"], { target: (w, v) => ({ ...v, pair: w.certs.mismatched }), argument: /certificate\.provided\.(privateKeyPem|certificatePem)\b/ }) },
    { id: "16b", title: "expired certificate", cells: each(["create", "rotation"], { target: (w, v) => ({ ...v, pair: w.certs.expired }), argument: /certificate\.provided\.certificatePem\b/ }) },
    { id: "16c", title: "certificate without the node's SAN", cells: each(["create", "rotation"], { target: (w, v) => ({ ...v, pair: w.certs.noSan }), argument: /certificate\.provided\.certificatePem\b/ }) },
    { id: "17", title: "service user missing on the host", cells: each(["create", "rotation"], { inject: noServiceUser }) },
];
