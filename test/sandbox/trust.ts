/**
 * An administrator's step, not the package's: put a CA into every host's system trust store
 * (`/etc/ssl/certs/ca-certificates.crt` of the host). InfluxDB (and the meta stand-ins) verify
 * their peers against the system roots, so with a private CA the meta nodes only see each other
 * once it is there (README, ClusterTls "Limits"). Idempotent: a CA already in a bundle is not added again.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { hostLayout } from "./layout";
import type { SandboxState } from "./state";

/** Appends `caPem` to the bundle of every host (or of the hosts named); returns the hosts changed. */
export function trustCa(state: SandboxState, caPem: string, only?: readonly string[]): string[] {
    const pem = caPem.trim();
    if (!/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/.test(pem)) {
        throw new Error("sandbox trust-ca: not one PEM certificate");
    }
    const changed: string[] = [];
    for (const h of state.hosts) {
        if (only && !only.includes(h.name)) continue;
        const bundle = path.join(hostLayout(h.dir).etcSsl, "certs", "ca-certificates.crt");
        const now = fs.readFileSync(bundle, "utf8");
        if (now.includes(pem)) continue;
        fs.appendFileSync(bundle, `${now.endsWith("\n") ? "" : "\n"}${pem}\n`);
        changed.push(h.name);
    }
    return changed;
}
