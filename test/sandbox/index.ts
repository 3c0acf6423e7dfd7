/** The test sandbox: stand-in hosts with real sshd and influxd on loopback addresses. */
export { DEFAULT_HOSTS, selectHosts, type HostRole, type HostSpec } from "./hosts";
export { defaultSandboxDir, hostLayout, type HostLayout } from "./layout";
export { sandboxUp, type UpOptions } from "./up";
export { sandboxDown, type DownOptions, type DownResult } from "./down";
export { sandboxStatus, unitPid, type HostStatus, type SandboxStatus } from "./status";
export { loadSandbox, findHost, type HostState, type SandboxState } from "./state";
export { onHost, systemctl, sshArgv, waitForInfluxd, type OnHostOptions } from "./onhost";
export { resetHost } from "./reset";
export { isAlive } from "./procs";
export { run, RunError, type RunResult } from "./run";
