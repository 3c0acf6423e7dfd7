import type { SshLink } from "../../ssh/link";
import type { SshSession } from "../../ssh/session";
import { tail } from "../../ssh/errors";
import { preflightMessage, preflightProblems } from "./preflightChecks";
import type { PreflightSpec } from "./types";

/**
 * The preflight on the host (TomlSettingsInputs.preflight), in the transaction's own SSH
 * connection, after its files are written and before the config is written or the service
 * restarted (transition.ts): a key that does not match, a certificate that does not name the
 * node or is about to expire, modes InfluxDB 1.12.2+ refuses, or files the service user cannot
 * read would otherwise show only after the restart, with the node down.
 */

const PROBE_TIMEOUT_SECONDS = 10;

/** Recognised by name (serialized providers may carry their own copy of the class). */
export class PreflightError extends Error {
    constructor(message: string) {
        super(message);
        // Set again: the provider runs serialized (closure serializer), where the subclass's super(message) may not set it.
        this.message = message;
        this.name = "PreflightError";
    }
}

/**
 * Runs every check; throws a PreflightError listing each failed one. Key bytes stay in this
 * process's memory. Two commands: both files read in one, then the readability checks and
 * the host's clock in one (PROBE_SCRIPT) — the same checks as one command each.
 */
export async function runPreflight(link: SshLink, spec: PreflightSpec): Promise<void> {
    const s = await link.session();
    const same = spec.privateKeyPath === spec.certificatePath;
    const [cert, key = cert] = await s.readFiles(same ? [spec.certificatePath] : [spec.certificatePath, spec.privateKeyPath]);
    const paths = [...new Set([spec.certificatePath, spec.privateKeyPath])].filter((p) => (p === spec.certificatePath ? cert : key).exists);
    const probe = await probeHost(s, spec.serviceUser, paths);
    const readable: Record<string, true | string> = Object.fromEntries(paths.map((p, i) => [p, probe.readable[i]]));
    const problems = preflightProblems(spec, { cert, key, now: probe.clock, readable });
    if (problems.length > 0) {
        throw new PreflightError(preflightMessage(link.target, problems));
    }
}

/**
 * $1 = the service user, then paths. Per path whether that user can read it, asked of the
 * kernel as that user: `runuser -u <user> -- test -r <path>` (util-linux, root only; the whole
 * command runs through `sudo -n` for a sudo login). Unlike stat + group membership this sees
 * everything the service would meet: directory search permission on every parent, ACLs,
 * supplementary groups, the host's own user database. Prints per path "readable <exit code>
 * <stderr on one line>", then "clock <date -u +%s>" (empty when date fails).
 */
const PROBE_SCRIPT = `u=$1; shift
for p; do
  if err=$(runuser -u "$u" -- test -r "$p" 2>&1 >/dev/null); then c=0; else c=$?; fi
  printf 'readable %s %s\n' "$c" "$(printf '%s' "$err" | tr '\n' ' ' | head -c 300)"
done
d=$(date -u +%s 2>/dev/null) || d=
printf 'clock %s\n' "$d"`;

/** Per path true or why the service user cannot read it; the host's clock (this machine's when `date` fails). */
async function probeHost(s: SshSession, user: string, paths: string[]): Promise<{ readable: (true | string)[]; clock: Date }> {
    const r = await s.exec(["sh", "-c", PROBE_SCRIPT, "pitls-preflight", user, ...paths], { timeoutSeconds: PROBE_TIMEOUT_SECONDS * (paths.length + 1) });
    const lines = r.stdout.toString("utf8").split("\n");
    const readable = paths.map((_, i): true | string => {
        const m = /^readable ([0-9]+) ?(.*)$/.exec(lines[i] ?? "");
        if (r.code !== 0 || !m) {
            return `could not be checked: the check exited with ${r.signal ?? r.code}${tail(r.stderr, 300) ? `: ${tail(r.stderr, 300)}` : ""}`;
        }
        const code = Number(m[1]);
        const stderr = m[2].trim();
        if (code === 0) {
            return true;
        }
        if (code === 1 && stderr === "") {
            return `${user} cannot read it (checked on the host as that user: \`runuser -u ${user} -- test -r\`); ` +
                "the service would exit with \"permission denied\"";
        }
        return `could not be checked: \`runuser -u ${user} -- test -r\` exited with ${code}${stderr ? `: ${stderr}` : ""}`;
    });
    const clock = /^clock ([0-9]+)$/.exec(lines[paths.length] ?? "");
    const seconds = clock ? Number(clock[1]) : NaN;
    return { readable, clock: r.code === 0 && Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : new Date() };
}
