/**
 * Test harness: runs a Pulumi program under mocks with real effects — remote.Command over
 * real SSH, the real dynamic providers from their serialized `__provider`, tls resources made
 * by openssl — in the engine's order, then updates and destroys it. See README.md.
 */
export { runProgram, Deployment, DeploymentError, type Program } from "./deployment";
export type { Props, ResourceRecord, ResourceOptionsSeen, RunLog, RunOptions, StepOp, StepRecord } from "./types";
export { rawExec, toSshConnection, type CommandConnection, type RawResult } from "./rawExec";
