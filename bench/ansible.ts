/**
 * The peer: bench/ansible/https.yml with ansible-playbook (ansible-core from Debian's apt),
 * forks ≥ the number of hosts, pipelining, ControlPersist, host keys checked against the
 * sandbox's known_hosts.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { SandboxState } from "../test/sandbox";
import { REPO } from "./hosts";
import { timedRun, type Timed } from "./spawn";

export interface AnsibleRun extends Timed {
    changed: number;
    failed: number;
}

export class AnsibleBench {
    private readonly dir: string;
    private readonly inventory: string;

    constructor(private readonly state: SandboxState, certDir: string) {
        this.dir = path.join(state.dir, "bench-ansible");
        fs.mkdirSync(path.join(this.dir, "cp"), { recursive: true });
        const group = (role: string) => Object.fromEntries(state.hosts.filter((h) => h.roles[0] === role).map((h) => [h.name, { ansible_host: h.address }]));
        const inventory = {
            all: {
                vars: {
                    ansible_user: "root",
                    ansible_ssh_private_key_file: state.clientKeyPath,
                    ansible_ssh_common_args: `-o UserKnownHostsFile=${state.knownHostsPath} -o StrictHostKeyChecking=yes`,
                    cert_dir: certDir,
                },
                children: { meta: { hosts: group("meta") }, data: { hosts: group("data") }, telegraf: { hosts: group("telegraf") } },
            },
        };
        this.inventory = path.join(this.dir, "inventory.yml");
        fs.writeFileSync(this.inventory, JSON.stringify(inventory, null, 1)); // JSON is YAML
    }

    async run(serial: boolean): Promise<AnsibleRun> {
        const args = ["-i", this.inventory, path.join(REPO, "bench/ansible/https.yml"), ...(serial ? ["-e", "bench_serial=1"] : [])];
        const env = {
            ...process.env,
            ANSIBLE_CONFIG: path.join(REPO, "bench/ansible/ansible.cfg"),
            ANSIBLE_FORKS: String(Math.max(5, this.state.hosts.length + 2)),
            ANSIBLE_SSH_CONTROL_PATH_DIR: path.join(this.dir, "cp"),
            ANSIBLE_HOME: path.join(this.dir, "home"),
            ANSIBLE_LOCAL_TEMP: path.join(this.dir, "tmp"),
            ANSIBLE_NOCOLOR: "1",
        };
        const r = await timedRun("ansible-playbook", args, { env });
        const sum = (k: string) => [...r.out.matchAll(new RegExp(`\\b${k}=(\\d+)`, "g"))].reduce((a, m) => a + Number(m[1]), 0);
        return { ...r, changed: sum("changed"), failed: sum("failed") + sum("unreachable") };
    }

    /** Ends the ControlPersist masters left by the runs (so the next round starts without them). */
    closeMasters(): void {
        const cp = path.join(this.dir, "cp");
        for (const sock of fs.readdirSync(cp)) {
            try {
                execFileSync("ssh", ["-o", `ControlPath=${path.join(cp, sock)}`, "-O", "exit", "bench"], { stdio: "ignore" });
            } catch {
                // already gone
            }
        }
    }
}
