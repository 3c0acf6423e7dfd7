/** Writing a file on a host: one contract (scripts, validation, hash, stdin framing) for both installers. */
export * from "./hash";
export * from "./frame";
export * from "./validate";
export { CAS_EXIT, CONTENT_EXIT, NO_BACKUP_EXIT, TARGET_EXIT } from "./scripts";
export * from "./argv";
export * from "./commands";
