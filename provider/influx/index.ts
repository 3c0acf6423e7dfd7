/** What InfluxDB and Telegraf mean: files, services, keys, checks, errata. Pure data and functions; re-exports only. */
export * from "./defaults";
export * from "./service";
export * from "./nodes";
export * from "./nodeKeys";
export * from "./nodeFiles";
export * from "./telegraf";
export * from "./errata";
export * from "./versions";
export * from "./tlsProfile";
export * from "./rollout";
export * from "./clusterShow";
export * from "./kapacitor";
