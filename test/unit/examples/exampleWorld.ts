/**
 * Runs an example program under mocks against a fake test-host state file, and renders what a
 * reviewer would see in `pulumi preview --diff` for a first `up`: each resource to create,
 * each config key per file per host, secrets masked.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { SECRET_SIG } from "../../sdk";
import { HOST_KEY } from "../components/fixtures";
import { installMocks, type Registered } from "../components/mockWorld";

export { settle } from "../../sdk";

export const HOSTS = [
    { name: "meta1", address: "127.0.10.11", roles: ["meta"] },
    { name: "data1", address: "127.0.10.1", roles: ["data"] },
    { name: "data2", address: "127.0.10.2", roles: ["data"] },
    { name: "tele1", address: "127.0.10.21", roles: ["telegraf"] },
];

/** A state.json like the sandbox's, with a client key file. */
export function fakeSandboxState(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-example-"));
    fs.writeFileSync(path.join(dir, "client_key"), "-----BEGIN OPENSSH PRIVATE KEY-----\nEXAMPLECLIENTKEY\n-----END OPENSSH PRIVATE KEY-----\n");
    const state = { clientKeyPath: path.join(dir, "client_key"), hosts: HOSTS.map((h) => ({ ...h, hostKey: HOST_KEY })) };
    fs.writeFileSync(path.join(dir, "state.json"), JSON.stringify(state));
    return path.join(dir, "state.json");
}

export function startExample(project: string, config: Record<string, string>): Registered[] {
    const registered = installMocks(project, "sandbox");
    for (const [k, v] of Object.entries(config)) {
        pulumi.runtime.setConfig(`${project}:${k}`, v);
    }
    return registered;
}

function show(v: unknown): string {
    if (v && typeof v === "object" && (v as Record<string, unknown>)[SECRET_SIG]) return "[secret]";
    return JSON.stringify(v);
}

/** The reviewer's view of a first `up`, one line per resource and per config key. */
export function previewText(registered: Registered[]): string {
    const lines: string[] = [];
    for (const r of registered) {
        lines.push(`+ ${r.type} ${r.name}`);
        if (r.type === "command:remote:Command") {
            lines.push(`    create: ${describeInstall(r.inputs.create)}`);
            lines.push(`    stdin: ${r.inputs.stdin && (r.inputs.stdin as any)[SECRET_SIG] ? "[secret]" : "<certificate PEM>"}`);
        }
        if (r.type.endsWith(":TomlSettings")) {
            lines.push(`    target: ${r.inputs.target}  path: ${r.inputs.path}`);
            for (const [table, set] of Object.entries(r.inputs.settings as Record<string, Record<string, unknown>>)) {
                for (const [k, v] of Object.entries(set)) lines.push(`    settings.${table}.${k}: ${show(v)}`);
            }
            lines.push(`    service.restart: ${show(r.inputs.service.restart)}`);
            lines.push(`    service.verify: ${show(r.inputs.service.verify)}`);
            // The files written in the same transaction (fileInstaller "transaction", the default).
            for (const f of (r.inputs.files ?? []) as { path: string; mode: string; owner: string; group: string }[]) {
                lines.push(`    files: install ${f.path} mode ${f.mode} owner ${f.owner}:${f.group} (content in fileContents)`);
            }
            if (r.inputs.files) lines.push(`    fileContents: ${(r.inputs.fileContents as any)?.[SECRET_SIG] ? "[secret]" : show(r.inputs.fileContents)}`);
        }
    }
    return lines.join("\n");
}

/** "install /etc/ssl/x.key 0600 influxdb:influxdb" from the install command's trailing arguments. */
function describeInstall(create: unknown): string {
    const m = /pitls-write (\S+) (\S+) (\S+) (\S+) any$/.exec(String(create));
    return m ? `install ${m[1]} mode ${m[2]} owner ${m[3]}:${m[4]} (content on stdin)` : show(create);
}
