/**
 * Certificate and file-mode defaults shared by every role: the guide's choices (RSA 2048,
 * NUMBER_OF_DAYS) and InfluxDB's own limits (1.12.3+ refuses a certificate looser than 0644 and
 * a key looser than 0600). Each is applied once, where the argument it defaults is read, and
 * documented on that argument.
 */

/** The guide's NUMBER_OF_DAYS is the user's choice; one year is a common one. */
export const DEFAULT_VALIDITY_DAYS = 365;
/** At most; a third of the validity when that is shorter (components/renewal.ts). */
export const DEFAULT_EARLY_RENEWAL_DAYS = 30;
/** The internal CA's certificate. */
export const DEFAULT_CA_VALIDITY_DAYS = 3650;
export const DEFAULT_CA_EARLY_RENEWAL_DAYS = 90;
export const DEFAULT_RSA_BITS = 2048;

/** The preflight's minimum remaining validity of an installed certificate (issue 10 §3). */
export const DEFAULT_MIN_VALIDITY_DAYS = 7;

export const CERT_FILE_MODE = "0644";
export const KEY_FILE_MODE = "0600";
