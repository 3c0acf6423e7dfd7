import { hostPathProblem } from "../inputs/hostPath";

/** The node component arguments that name files on the host and the private key's mode. */
export interface FileArgsToCheck {
    readonly certificatePath?: string;
    readonly privateKeyPath?: string;
    readonly caCertificatePath?: string;
    /** TelegrafOutputTls's name for the CA file. */
    readonly caPath?: string;
    readonly privateKeyMode?: string;
}

/** Modes a private key file (or a bundle holding one) may have: owner-only. */
const KEY_MODES = ["600", "0600", "400", "0400"];

/**
 * Problems with the file arguments, each naming the argument: paths follow the one host path
 * rule (no `..`, `.` or empty segments, no control characters), and a private key file must
 * be readable by its owner only (0600 or 0400) — InfluxDB 1.12.3+ refuses looser keys, and a
 * group- or world-readable key is a leak. The file installers check their specs again.
 */
export function fileArgProblems(label: string, args: FileArgsToCheck): string[] {
    const problems: string[] = [];
    for (const k of ["certificatePath", "privateKeyPath", "caCertificatePath", "caPath"] as const) {
        const p = args[k] === undefined ? undefined : hostPathProblem(args[k]);
        if (p) {
            problems.push(`${label}: ${k}: ${p}`);
        }
    }
    const mode = args.privateKeyMode;
    if (mode !== undefined && /^0?[0-7]{3}$/.test(mode) && !KEY_MODES.includes(mode)) {
        problems.push(`${label}: privateKeyMode: "${mode}" would let others read the private key; use "0600" or "0400"`);
    }
    return problems;
}
