/** The private key's mode argument of a node component. */
export interface FileArgsToCheck {
    readonly privateKeyMode?: string;
    readonly fileInstaller?: unknown;
}

const INSTALLERS = ["transaction", "command", "ssh"];

/** Modes a private key file (or a bundle holding one) may have: owner-only. */
const KEY_MODES = ["600", "0600", "400", "0400"];

/**
 * A private key file must be readable by its owner only (0600 or 0400): InfluxDB 1.12.3+
 * refuses looser keys, and a group- or world-readable key is a leak. (Paths, the mode's
 * syntax, owner and group are checked by files/validate's fileSpecProblems.)
 */
export function fileArgProblems(label: string, args: FileArgsToCheck): string[] {
    const problems: string[] = [];
    const mode = args.privateKeyMode;
    if (mode !== undefined && /^0?[0-7]{3}$/.test(mode) && !KEY_MODES.includes(mode)) {
        problems.push(`${label}: privateKeyMode: "${mode}" would let others read the private key; use "0600" or "0400"`);
    }
    if (args.fileInstaller !== undefined && !INSTALLERS.includes(args.fileInstaller as string)) {
        problems.push(`${label}: fileInstaller: ${JSON.stringify(args.fileInstaller)} is not one of ${INSTALLERS.map((i) => `"${i}"`).join(", ")}`);
    }
    return problems;
}
