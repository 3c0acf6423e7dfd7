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

export interface Registered {
    type: string;
    name: string;
    inputs: Record<string, any>;
    parent?: string;
    dependencies: string[];
    urn?: string;
    /** The replacementTrigger resource option, as sent to the engine. */
    replacementTrigger?: unknown;
}

export const SECRET_SIG = "4dabf18193072939515e22adb298388d";

export function makePem(): { key: string; cert: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-mock-"));
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3", "-subj", "/CN=mock",
        "-addext", "subjectAltName=DNS:localhost", "-keyout", `${dir}/k`, "-out", `${dir}/c`], { stdio: "ignore" });
    const pem = { key: fs.readFileSync(`${dir}/k`, "utf8"), cert: fs.readFileSync(`${dir}/c`, "utf8") };
    fs.rmSync(dir, { recursive: true });
    return pem;
}

export const PEM = makePem();

/** Installs the mocks; call once per test file (process), before importing components. */
export function installMocks(project = "project", stack = "stack"): Registered[] {
    const registered: Registered[] = [];
    pulumi.runtime.setMocks({
        newResource: (args) => {
            const r: Registered = { type: args.type, name: args.name, inputs: args.inputs, dependencies: [] };
            registered.push(r);
            const state: Record<string, unknown> = { ...args.inputs };
            if (args.type === "tls:index/privateKey:PrivateKey") state.privateKeyPem = PEM.key;
            if (args.type.startsWith("tls:index/") && args.type.endsWith("Cert")) {
                state.certPem = PEM.cert;
                state.validityEndTime = "2027-01-01T00:00:00Z";
            }
            if (args.type === "tls:index/certRequest:CertRequest") state.certRequestPem = "CSR";
            // The file install script's one line of output: the id of its write.
            if (args.type === "command:remote:Command") state.stdout = `written ${args.name}-w1`;
            return { id: `${args.name}-id`, state };
        },
        call: () => ({}),
    }, project, stack, false);
    // The mock monitor drops parent and dependencies; read them off the requests.
    const monitor = pulumi.runtime.getMonitor() as any;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, cb: any) => {
        const name = req.getName();
        const type = req.getType();
        register(req, (err: any, resp: any) => {
            const r = [...registered].reverse().find((x) => x.name === name && x.type === type);
            if (r) {
                r.parent = req.getParent() || undefined;
                r.dependencies = req.getDependenciesList();
                r.replacementTrigger = req.getReplacementTrigger()?.toJavaScript();
                r.urn = resp?.getUrn?.();
            }
            cb(err, resp);
        });
    };
    return registered;
}

/** Resolves when the output has a value (also waits for the resource registrations behind it). */
export function settle<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => o.apply((v) => { resolve(v); return v; }));
}

export function unwrapSecret(v: any): { secret: boolean; value: any } {
    if (v && typeof v === "object" && v[SECRET_SIG]) return { secret: true, value: v.value };
    return { secret: false, value: v };
}
