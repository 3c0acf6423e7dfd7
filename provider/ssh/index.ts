export * from "./types";
export * from "./quote";
export * from "./hostKey";
export * from "./errors";
export * from "./stats";
export { SshSession, withSession, ExecOptions } from "./session";
export { targetOf } from "./connect";
export { sha256Hex, CAS_EXIT } from "../files";
