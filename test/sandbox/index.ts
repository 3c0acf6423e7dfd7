/** The test sandbox: hosts on loopback addresses with real sshd and influxd, and stand-ins for influxd-meta, influxd-ctl and Telegraf. */
export { DEFAULT_HOSTS, DEFAULT_TOPOLOGY, selectHosts, topologyHosts, type HostRole, type HostSpec, type Topology } from "./hosts";
export { defaultSandboxDir, hostLayout, type HostLayout } from "./layout";
export { sandboxUp, type UpOptions } from "./up";
export { sandboxDown, type DownOptions, type DownResult } from "./down";
export { sandboxStatus, unitPid, type HostStatus, type SandboxStatus } from "./status";
export { loadSandbox, findHost, type HostState, type SandboxState } from "./state";
export { onHost, systemctl, sshArgv, waitForInfluxd, type OnHostOptions } from "./onhost";
export { resetHost } from "./reset";
export { telegrafStatus, waitForMeta, waitForTelegraf, waitForUnits } from "./services";
export type { TelegrafStandinStatus } from "./standins/telegrafoutput";
export { isAlive } from "./procs";
export { run, RunError, type RunResult } from "./run";
export { formatProbeReport, probeReport, probeTargets, startProber, type NodeProbe, type ProbeReport, type ProbeTarget, type Prober } from "./prober";
export { trustCa } from "./trust";
