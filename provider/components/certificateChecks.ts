import { firstCertificate, firstPrivateKey, hasPrivateKey, hostnameNotCovered, keyMismatch, validityProblem } from "../tls";

/**
 * Checks of a provided certificate done before anything runs (no SSH): what would otherwise
 * only show up after the restart, as a verify that retries until its timeout while the cause
 * sits in the service's log (`tls: private key does not match public key`, `x509: certificate
 * is valid for data1, not …`, an expired certificate). Node's own X.509 parser does the work.
 */

/** The PEM arguments of `certificate.provided`, resolved. */
export interface ProvidedPems {
    certificatePem?: string;
    privateKeyPem?: string;
    bundlePem?: string;
}

/**
 * Everything wrong with the provided certificate for a node that clients reach as `hostname`,
 * as messages naming the component (`label`), the argument and the problem. Never quotes key
 * material; `now` is for tests.
 */
export function providedCertificateProblems(label: string, hostname: string, p: ProvidedPems, now: Date = new Date()): string[] {
    const bundle = p.bundlePem !== undefined;
    const certArg = bundle ? "certificate.provided.bundlePem" : "certificate.provided.certificatePem";
    const keyArg = bundle ? "certificate.provided.bundlePem" : "certificate.provided.privateKeyPem";
    const certText = bundle ? p.bundlePem! : p.certificatePem ?? "";
    const keyText = bundle ? p.bundlePem! : p.privateKeyPem;
    const at = `${label}: ${certArg}`;
    if (!bundle && hasPrivateKey(certText)) {
        // Installed as a certificate it would be world-readable (0644) and stored in plain text.
        return [`${at} holds a PRIVATE KEY block: a combined key + certificate PEM goes in bundlePem ` +
            "(installed with the key's owner and mode 0600, stored as a secret); otherwise give the certificate alone here and the key as privateKeyPem"];
    }
    const parsed = firstCertificate(certText);
    if ("problem" in parsed) {
        return [parsed.problem.startsWith("holds") ? `${at} ${parsed.problem}` : `${at}: ${parsed.problem}`];
    }
    const cert = parsed.cert;
    const problems: string[] = [];
    if (keyText !== undefined) {
        const key = firstPrivateKey(keyText);
        if ("problem" in key) {
            problems.push(key.problem.startsWith("holds")
                ? (bundle ? `${at} holds no PRIVATE KEY block: a bundle must hold the key and the certificate` : `${label}: ${keyArg} ${key.problem}`)
                : `${label}: ${keyArg}: ${key.problem}`);
        } else {
            const mismatch = keyMismatch(cert, key.key);
            if (mismatch) {
                problems.push(`${label}: ${keyArg} ${mismatch}`);
            }
        }
    }
    const validity = validityProblem(cert, now);
    if (validity) {
        problems.push(`${at} ${validity}`);
    }
    const nameProblem = hostnameNotCovered(cert, hostname);
    if (nameProblem) {
        problems.push(`${at} ${nameProblem}`);
    }
    return problems;
}

/** The provided PEMs when every one given (and the hostname) is a plain string, else undefined (checked once resolved). */
export function plainProvided(p: { certificatePem?: unknown; privateKeyPem?: unknown; bundlePem?: unknown }, hostname: unknown):
    { pems: ProvidedPems; hostname: string } | undefined {
    const given = [p.certificatePem, p.privateKeyPem, p.bundlePem].filter((v) => v !== undefined);
    if (typeof hostname !== "string" || !given.every((v) => typeof v === "string")) {
        return undefined;
    }
    return { pems: p as ProvidedPems, hostname };
}
