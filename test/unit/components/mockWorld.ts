/**
 * Mocks for component wiring tests: records every registered resource (with its parent and
 * dependencies, read from the mock monitor's requests) and answers tls resources with real
 * PEM made once by openssl, so outputs derived from certificates (fingerprints) are real.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { watchRegistrations } from "../../harness/monitor";
import { SECRET_SIG } from "../../sdk";

export { SECRET_SIG, settle } from "../../sdk";

export interface Registered {
    type: string;
    name: string;
    inputs: Record<string, any>;
    parent?: string;
    dependencies: string[];
    urn?: string;
    /** The replacementTrigger resource option, as sent to the engine. */
    replacementTrigger?: unknown;
    /** The additionalSecretOutputs resource option, as sent to the engine. */
    additionalSecretOutputs?: string[];
}

export function makePem(): { key: string; cert: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-mock-"));
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3", "-subj", "/CN=mock",
        "-addext", "subjectAltName=DNS:localhost,DNS:a.example,DNS:b.example,DNS:pub1.example,IP:127.0.10.1,IP:127.0.10.2,IP:127.0.10.11", "-keyout", `${dir}/k`, "-out", `${dir}/c`], { stdio: "ignore" });
    const pem = { key: fs.readFileSync(`${dir}/k`, "utf8"), cert: fs.readFileSync(`${dir}/c`, "utf8") };
    fs.rmSync(dir, { recursive: true });
    return pem;
}

export const PEM = makePem();

/** Installs the mocks; call once per test file (process), before importing components. */
export function installMocks(project = "project", stack = "stack"): Registered[] {
    const registered: Registered[] = [];
    let registering: ReturnType<typeof watchRegistrations> = () => undefined;
    pulumi.runtime.setMocks({
        newResource: (args) => {
            // The mock monitor drops parent, dependencies and options; read them off the request.
            const seen = registering();
            const r: Registered = {
                type: args.type, name: args.name, inputs: args.inputs,
                parent: seen?.parent || undefined,
                dependencies: [...(seen?.dependencies ?? [])],
                urn: seen?.urn,
                replacementTrigger: seen?.options.replacementTrigger,
                additionalSecretOutputs: seen && [...seen.options.additionalSecretOutputs],
            };
            registered.push(r);
            const state: Record<string, unknown> = { ...args.inputs };
            if (args.type === "tls:index/privateKey:PrivateKey") state.privateKeyPem = PEM.key;
            if (args.type.startsWith("tls:index/") && args.type.endsWith("Cert")) {
                state.certPem = PEM.cert;
                // As the tls provider: valid from now for validityPeriodHours (to the second).
                const start = Math.floor(Date.now() / 1000) * 1000;
                const hours = typeof args.inputs.validityPeriodHours === "number" ? args.inputs.validityPeriodHours : 24;
                state.validityStartTime = new Date(start).toISOString().replace(/\.\d+Z$/, "Z");
                state.validityEndTime = new Date(start + hours * 3600_000).toISOString().replace(/\.\d+Z$/, "Z");
                state.readyForRenewal = (args.inputs.earlyRenewalHours ?? 0) >= hours;
            }
            if (args.type === "tls:index/certRequest:CertRequest") state.certRequestPem = "CSR";
            // The file install script's one line of output: the id of its write.
            if (args.type === "command:remote:Command") state.stdout = `written ${args.name}-w1`;
            return { id: `${args.name}-id`, state };
        },
        call: () => ({}),
    }, project, stack, false);
    registering = watchRegistrations();
    return registered;
}

export function unwrapSecret(v: any): { secret: boolean; value: any } {
    if (v && typeof v === "object" && v[SECRET_SIG]) return { secret: true, value: v.value };
    return { secret: false, value: v };
}
