/**
 * Prints, as JSON, what an example program really registers (type, name, URN, inputs with
 * secrets unwrapped, as a policy pack's `validateResource` receives them), by running it under
 * the repository's mocks. One example per process (the mocks are process-wide):
 *   node exampleResources.js <self-signed|internal-ca|ca-signed|toml-settings> [key=value config…]
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SECRET_SIG } from "../../sdk";
import { HOSTS, fakeSandboxState, settle, startExample } from "../examples/exampleWorld";

export interface ExampleResource {
    type: string;
    name: string;
    urn: string;
    props: Record<string, any>;
}

/** Secrets arrive wrapped in mocks; the analyzer sees their values. */
function unwrap(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(unwrap);
    if (v && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (o[SECRET_SIG]) return unwrap(o.value);
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrap(x)]));
    }
    return v;
}

async function main(example: string, extra: string[]): Promise<void> {
    const config: Record<string, string> = { sandboxState: fakeSandboxState() };
    if (example === "ca-signed") {
        const certDir = fs.mkdtempSync(path.join(os.tmpdir(), "pitls-policy-ca-"));
        execFileSync("bash", [path.join(__dirname, "../../../../examples/ca-signed/make-certs.sh"), certDir, ...HOSTS.map((h) => `${h.name}=${h.address}`)], { stdio: "ignore" });
        config.certDir = certDir;
    }
    for (const kv of extra) {
        const i = kv.indexOf("=");
        config[kv.slice(0, i)] = kv.slice(i + 1);
    }
    const registered = startExample(example, config);
    const program = require(`../../../examples/${example}/index`);
    // Every example exports `verified` (or `settings` for toml-settings): it resolves after all registrations.
    const done = program.verified ?? Object.values(program)[0];
    await settle(done);
    const out: ExampleResource[] = registered.map((r) => ({ type: r.type, name: r.name, urn: r.urn ?? "", props: unwrap(r.inputs) as Record<string, any> }));
    process.stdout.write(JSON.stringify(out));
}

if (require.main === module) {
    main(process.argv[2], process.argv.slice(3)).catch((e) => {
        console.error(e);
        process.exit(1);
    });
}
