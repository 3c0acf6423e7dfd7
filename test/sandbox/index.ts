/** The test sandbox: hosts on loopback addresses with real sshd, influxd (1.6.7, 1.13.2) and Telegraf, and stand-ins for influxd-meta and influxd-ctl. */
export {
    DEFAULT_HOSTS, DEFAULT_TOPOLOGY, INFLUXD_VERSIONS, influxdOf, selectHosts, topologyHosts, withInfluxd,
    type HostRole, type HostSpec, type InfluxdVersion, type Topology,
} from "./hosts";
export { defaultSandboxDir, hostLayout, type HostLayout } from "./layout";
export { sandboxUp, type UpOptions } from "./up";
export { sandboxDown, type DownOptions, type DownResult } from "./down";
export { sandboxStatus, unitPid, type HostStatus, type SandboxStatus } from "./status";
export { loadSandbox, findHost, type HostState, type SandboxState } from "./state";
export { onHost, systemctl, sshArgv, waitForInfluxd, type OnHostOptions } from "./onhost";
export { resetHost } from "./reset";
export { waitForMeta, waitForTelegraf, waitForUnits } from "./services";
export { influxdProgram, telegrafProgram, TELEGRAF_VERSION } from "./binaries";
export { isAlive } from "./procs";
export { run, RunError, type RunResult } from "./run";
export { formatProbeReport, probeReport, probeTargets, startProber, type NodeProbe, type ProbeReport, type ProbeTarget, type Prober } from "./prober";
