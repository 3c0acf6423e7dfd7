/**
 * The `__provider` text exactly as the engine receives it: a child node process with cwd =
 * the consumer project requires the resource class from the consumer's node_modules, runs it
 * under `pulumi.runtime.setMocks` and prints the inputs the mock's newResource got (the SDK
 * serializes the provider into `__provider` before registering). Running it in this process
 * instead would serialize from the repo's paths and inline our modules.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Consumer } from "./consumer";
import { SECRET_SIG } from "../sdk";

export interface ResourceSpec {
    /** What to require in the consumer: "pulumi-influxdb-tls" or a path relative to the consumer dir ("./x.js"). */
    module: string;
    /** The exported resource class, e.g. "TomlSettings". */
    exportName: string;
    name: string;
    args: Record<string, unknown>;
}

export interface Serialized {
    type: string;
    name: string;
    /** Inputs as registered, secrets unwrapped (what the engine sends a provider that does not accept secrets). */
    inputs: Record<string, unknown>;
    /** Top-level inputs that were secret (the engine re-marks same-named outputs secret). */
    secretInputs: string[];
    provider: string;
    providerBytes: number;
}

const MARK = "__SERIALIZED__";

// Runs inside the consumer. Specs come on stdin (they carry a private key: never on argv).
const PROBE = `
const pulumi = require("@pulumi/pulumi");
const path = require("path");
const SIG = ${JSON.stringify(SECRET_SIG)};
const isSecret = (v) => v !== null && typeof v === "object" && v[SIG] !== undefined;
const unwrap = (v) => isSecret(v) ? unwrap(v.value) : Array.isArray(v) ? v.map(unwrap)
    : v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrap(x)])) : v;
(async () => {
    const specs = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const seen = new Map();
    const waiting = new Map(specs.map((s) => [s.name, null]));
    const done = new Promise((resolve) => {
        pulumi.runtime.setMocks({
            newResource(a) {
                seen.set(a.name, { type: a.type, name: a.name, inputs: a.inputs });
                if ([...waiting.keys()].every((n) => seen.has(n))) resolve();
                return { id: a.name + "-id", state: {} };
            },
            call() { return {}; },
        }, ${JSON.stringify("consumer")}, "engine", false);
    });
    for (const s of specs) {
        const mod = require(s.module.startsWith(".") ? path.resolve(s.module) : s.module);
        new mod[s.exportName](s.name, s.args);
    }
    await done;
    const out = specs.map((s) => {
        const r = seen.get(s.name);
        return { type: r.type, name: r.name, secretInputs: Object.keys(r.inputs).filter((k) => isSecret(r.inputs[k])), inputs: unwrap(r.inputs) };
    });
    process.stdout.write(${JSON.stringify(MARK)} + JSON.stringify(out) + "\\n");
})().catch((e) => { console.error(e && e.stack || String(e)); process.exit(1); });
`;

/** Serializes each resource in one child process (loading @pulumi/pulumi takes most of the time). */
export function serializeInConsumer(consumer: Consumer, specs: ResourceSpec[]): Serialized[] {
    const probe = path.join(consumer.dir, "serialize-probe.js");
    fs.writeFileSync(probe, PROBE);
    const stdout = execFileSync(process.execPath, [probe], {
        cwd: consumer.dir, input: JSON.stringify(specs), encoding: "utf8", maxBuffer: 64 << 20, timeout: 60_000,
    });
    const line = stdout.split("\n").find((l) => l.startsWith(MARK));
    if (!line) {
        throw new Error(`serialize probe printed no result; stdout: ${stdout.slice(0, 2000)}`);
    }
    return (JSON.parse(line.slice(MARK.length)) as Omit<Serialized, "provider" | "providerBytes">[]).map((r) => {
        const provider = r.inputs.__provider;
        if (typeof provider !== "string") {
            throw new Error(`${r.name}: no __provider in the registered inputs`);
        }
        return { ...r, provider, providerBytes: Buffer.byteLength(provider, "utf8") };
    });
}

/** Our module paths the serialized text requires, e.g. "pulumi-influxdb-tls/bin/providers/tomlSettings/operations.js". */
export function packageRequires(provider: string): string[] {
    return [...provider.matchAll(/require\("(pulumi-influxdb-tls[^"]*)"\)/g)].map((m) => m[1]);
}
