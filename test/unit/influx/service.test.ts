import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isActiveCommand, restartCommand, serviceProbes } from "../../../provider/influx";

describe("influx: service commands", () => {
    it("restart, never start (guide erratum 3)", () => {
        assert.deepEqual(restartCommand("influxdb-meta"), ["systemctl", "restart", "influxdb-meta"]);
        assert.deepEqual(isActiveCommand("telegraf"), ["systemctl", "is-active", "telegraf"]);
    });

    it("status and log probes only while the restart is systemd's; given ones always win", () => {
        assert.deepEqual(serviceProbes("influxdb", {}), {
            status: ["systemctl", "is-active", "influxdb"],
            logs: ["journalctl", "-u", "influxdb", "-n", "20", "--no-pager", "-o", "cat"],
        });
        assert.deepEqual(serviceProbes("influxdb", { restartCommand: ["/opt/restart"] }), { status: undefined, logs: undefined });
        assert.deepEqual(serviceProbes("influxdb", { restartCommand: ["/opt/restart"], statusCommand: ["/opt/up"], logCommand: ["cat", "/log"] }),
            { status: ["/opt/up"], logs: ["cat", "/log"] });
    });
});
