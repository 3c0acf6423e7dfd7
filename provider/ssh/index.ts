export * from "./types";
export * from "./quote";
export * from "./hostKey";
export * from "./errors";
export * from "./stats";
export { SshSession, withSession, ExecOptions, KILL_GRACE_SECONDS } from "./session";
export { SshLink, withLink } from "./link";
export { targetOf } from "./connect";
export { sha256Hex, CAS_EXIT } from "../files";
