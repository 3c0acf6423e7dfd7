/**
 * Credentials that a caller put in a command line anyway (`influx -password x`,
 * `influxd-ctl -pwd x`, `password=…`, `https://user:pass@host`) are blanked out of every
 * command line quoted in an error: errors are printed by the CLI and end up in CI logs.
 * (To keep them off the host's process list too, use `verifyCredentials`: stdin, then env.)
 */

const HIDDEN = "[redacted]";

/** Flags whose next argument is a credential. */
const SECRET_FLAG = /^--?(p|pw|pwd|pass|passwd|password|secret|shared-secret|token|auth-token|api-key|apikey|key-passphrase|passphrase)$/i;
/** `--password=x`, `password=x` (also inside query strings and -execute texts). */
const SECRET_ASSIGNMENT = /((?:^|[^A-Za-z0-9])(?:-{0,2})(?:password|passwd|pwd|pass|secret|shared-secret|token|api[-_]?key|passphrase|p)=)([^&\s'"]*)/gi;
/** InfluxQL `… WITH PASSWORD 'x'` / `SET PASSWORD FOR u = 'x'`. */
const INFLUXQL_PASSWORD = /(PASSWORD\s+(?:FOR\s+\S+\s*=\s*)?)('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")/gi;
/** `scheme://user:password@host`. */
const URL_USERINFO = /([A-Za-z][A-Za-z0-9+.-]*:\/\/[^:/@\s]*:)([^@/\s]*)(@)/g;

/** A copy of `argv` with credential-looking values replaced by "[redacted]". */
export function redactArgv(argv: readonly string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        out.push(redactText(a));
        if (SECRET_FLAG.test(a) && i + 1 < argv.length) {
            out.push(HIDDEN);
            i++;
        }
    }
    return out;
}

/** `text` with credential-looking assignments and the given secret values replaced. */
export function redactText(text: string, secrets: readonly string[] = []): string {
    let t = text
        .replace(SECRET_ASSIGNMENT, `$1${HIDDEN}`)
        .replace(INFLUXQL_PASSWORD, `$1${HIDDEN}`)
        .replace(URL_USERINFO, `$1${HIDDEN}$3`);
    for (const s of secrets) {
        if (s.length > 0) {
            t = t.split(s).join(HIDDEN);
        }
    }
    return t;
}
