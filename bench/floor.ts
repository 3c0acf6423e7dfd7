/**
 * Prepares bench/floor.sh's plan: per node a tar of its certificate (root 0644), key
 * (influxdb 0600), CA file and finished config (the baseline with the same keys set, by the
 * package's pure TOML editor — computing it is not part of the floor's time), and the command
 * that unpacks, restarts and verifies.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { applyTomlSettings } from "../provider/toml";
import type { TomlEdit } from "../provider/toml/types";
import { hostLayout, type HostState, type SandboxState } from "../test/sandbox";
import { REPO } from "./hosts";
import { timedRun, type Timed } from "./spawn";

interface NodePlan {
    conf: string;
    baseline: string;
    edits: TomlEdit[];
    unit: string;
    verify: string;
    files: { src: string; dest: string; owner: string; mode: string }[];
}

function planFor(h: HostState, state: SandboxState, certDir: string): NodePlan {
    const l = hostLayout(h.dir);
    const ca = { src: path.join(certDir, "ca.crt"), dest: "/etc/ssl/influxdb-ca.pem", owner: "root", mode: "0644" };
    const pair = [
        { src: path.join(certDir, `${h.name}.crt`), dest: "/etc/ssl/influxdb.crt", owner: "root", mode: "0644" },
        { src: path.join(certDir, `${h.name}.key`), dest: "/etc/ssl/influxdb.key", owner: "influxdb", mode: "0600" },
        ca,
    ];
    const https = { "https-enabled": true, "https-certificate": "/etc/ssl/influxdb.crt", "https-private-key": "/etc/ssl/influxdb.key" };
    const trust = "SSL_CERT_FILE=/etc/ssl/influxdb-ca.pem";
    switch (h.roles[0]) {
        case "meta":
            return { conf: "/etc/influxdb/influxdb-meta.conf", baseline: l.baselineMetaConf, edits: [{ table: "meta", set: https }], unit: "influxdb-meta",
                verify: `${trust} influxd-ctl -bind ${h.address}:8091 -bind-tls show`, files: pair };
        case "data":
            return { conf: "/etc/influxdb/influxdb.conf", baseline: l.baselineInfluxdbConf, edits: [{ table: "http", set: https }, { table: "meta", set: { "meta-tls-enabled": true } }],
                unit: "influxdb", verify: `${trust} influx -ssl -host ${h.address} -execute 'SHOW DATABASES'`, files: pair };
        default: {
            const urls = state.hosts.filter((d) => d.roles[0] === "data").map((d) => `https://${d.address}:8086`);
            return { conf: "/etc/telegraf/telegraf.conf", baseline: l.baselineTelegrafConf, edits: [{ table: "outputs.influxdb", set: { urls, tls_ca: "/etc/telegraf/influxdb-ca.pem" } }],
                unit: "telegraf", verify: "telegraf --config /etc/telegraf/telegraf.conf --once", files: [{ ...ca, dest: "/etc/telegraf/influxdb-ca.pem" }] };
        }
    }
}

/** Writes the plan into <sandbox>/bench-floor; `serialData` makes the data stage one node at a time. */
export function prepareFloor(state: SandboxState, certDir: string, serialData: boolean): string {
    const dir = path.join(state.dir, "bench-floor");
    fs.rmSync(dir, { recursive: true, force: true });
    for (const h of state.hosts) {
        const p = planFor(h, state, certDir);
        const nodeDir = path.join(dir, h.name);
        const root = path.join(nodeDir, "root");
        const put = (dest: string, content: Buffer | string, mode: string) => {
            fs.mkdirSync(path.join(root, path.dirname(dest)), { recursive: true });
            fs.writeFileSync(path.join(root, dest), content, { mode: parseInt(mode, 8) });
            fs.chmodSync(path.join(root, dest), parseInt(mode, 8));
        };
        put(p.conf, applyTomlSettings(fs.readFileSync(p.baseline, "utf8"), p.edits).text, "0644");
        for (const f of p.files) put(f.dest, fs.readFileSync(f.src), f.mode);
        const tar = path.join(nodeDir, "payload.tar");
        execFileSync("tar", ["-cf", tar, "-C", root, "--owner=root", "--group=root", `.${p.conf}`, ...p.files.filter((f) => f.owner === "root").map((f) => `.${f.dest}`)]);
        for (const f of p.files.filter((f) => f.owner !== "root")) execFileSync("tar", ["-rf", tar, "-C", root, `--owner=${f.owner}`, `--group=${f.owner}`, `.${f.dest}`]);
        fs.writeFileSync(path.join(nodeDir, "address"), h.address);
        fs.writeFileSync(path.join(nodeDir, "remote.sh"),
            `set -e; tar -xpf - -C /; systemctl restart ${p.unit}; i=0; until ${p.verify} >/dev/null 2>&1; do i=$((i+1)); [ $i -lt 300 ] || exit 1; sleep 0.1; done`);
    }
    const names = (role: string) => state.hosts.filter((h) => h.roles[0] === role).map((h) => h.name).join(" ");
    fs.writeFileSync(path.join(dir, "stages"), `parallel ${names("meta")}\n${serialData ? "serial" : "parallel"} ${names("data")}\nparallel ${names("telegraf")}\n`);
    return dir;
}

export function runFloor(state: SandboxState, plan: string): Promise<Timed> {
    return timedRun("bash", [path.join(REPO, "bench/floor.sh"), plan, state.clientKeyPath, state.knownHostsPath]);
}
