import type { HostFile } from "../../ssh/types";
import { firstCertificate, firstPrivateKey, hasPrivateKey, hostnameNotCovered, keyMismatch, validityProblem } from "../../tls";
import type { PreflightSpec } from "./types";

/**
 * What the preflight finds wrong with the certificate and key as installed on the host. Pure:
 * the facts (files as read, the host's clock, what the service user could read) are gathered by
 * preflight.ts. Never quotes key material: problems name the file, the check and what is wrong.
 */

/** One failed check: the file it is about, the check's name, what is wrong. */
export interface PreflightProblem {
    file: string;
    check: string;
    detail: string;
}

/** What the preflight read on the host. */
export interface PreflightFacts {
    cert: HostFile;
    /** The same object as `cert` for a combined .pem. */
    key: HostFile;
    /** The host's clock. */
    now: Date;
    /** Per path: true when the service user can read it, else why not (or why it could not be checked). */
    readable: Record<string, true | string>;
}

/** The widest modes InfluxDB 1.12.2+ starts with: a key 0600, a certificate 0644. */
const KEY_MODE_MAX = 0o600;
const CERT_MODE_MAX = 0o644;

function modeProblem(f: HostFile, max: number, what: string): string | undefined {
    if (f.mode === undefined) {
        return undefined;
    }
    const mode = parseInt(f.mode, 8) & 0o7777;
    if ((mode & ~max) === 0) {
        return undefined;
    }
    const octal = (m: number) => m.toString(8).padStart(4, "0");
    return `mode ${octal(mode)} is wider than ${octal(max)} (${what}; InfluxDB 1.12.2+ refuses to start with it)`;
}

/** Every check that fails, in the order: files there, readable as PEM, key matches, names, validity, modes, service user. */
export function preflightProblems(spec: PreflightSpec, facts: PreflightFacts): PreflightProblem[] {
    const problems: PreflightProblem[] = [];
    const add = (file: string, check: string, detail: string | undefined) => void (detail && problems.push({ file, check, detail }));
    const combined = spec.certificatePath === spec.privateKeyPath;
    const files = combined ? [{ path: spec.certificatePath, f: facts.cert }] : [{ path: spec.certificatePath, f: facts.cert }, { path: spec.privateKeyPath, f: facts.key }];
    for (const { path, f } of files) {
        add(path, "file exists", f.exists ? undefined : "the file does not exist");
    }
    if (!facts.cert.exists || !facts.key.exists) {
        return problems;
    }
    const certText = facts.cert.content.toString("utf8");
    const cert = firstCertificate(certText);
    add(spec.certificatePath, "certificate", "problem" in cert ? cert.problem : undefined);
    const key = firstPrivateKey(facts.key.content.toString("utf8"));
    add(spec.privateKeyPath, "private key", "problem" in key ? key.problem : undefined);
    if ("cert" in cert) {
        if ("key" in key) {
            const mismatch = keyMismatch(cert.cert, key.key);
            add(spec.privateKeyPath, "key matches certificate", mismatch && `${mismatch.replace(/^does not match the certificate/, `does not match the certificate ${spec.certificatePath}`)}`);
        }
        for (const h of spec.hostnames) {
            add(spec.certificatePath, "hostname in subjectAltName", hostnameNotCovered(cert.cert, h));
        }
        add(spec.certificatePath, `valid now and for ${spec.minValidityDays} days`, validityProblem(cert.cert, facts.now, spec.minValidityDays));
    }
    // A certificate file holding a private key (a combined .pem) is key material: held to the key's rule.
    const certIsKey = combined || hasPrivateKey(certText);
    add(spec.certificatePath, "file mode", modeProblem(facts.cert, certIsKey ? KEY_MODE_MAX : CERT_MODE_MAX,
        certIsKey ? "the certificate file holds a private key: at most 0600" : "a certificate: at most 0644"));
    if (!combined) {
        add(spec.privateKeyPath, "file mode", modeProblem(facts.key, KEY_MODE_MAX, "a private key: at most 0600"));
    }
    for (const { path } of files) {
        const r = facts.readable[path];
        add(path, `readable by ${spec.serviceUser}`, r === undefined || r === true ? undefined : r);
    }
    return problems;
}

/** The error text: host, then one line per failed check naming its file. */
export function preflightMessage(target: string, problems: readonly PreflightProblem[]): string {
    return `preflight on ${target} refused the certificate files before the config was written (the service was not restarted):\n` +
        problems.map((p) => `  ${p.file}: ${p.check}: ${p.detail}`).join("\n");
}
