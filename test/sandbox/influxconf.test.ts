/** The sandbox's edits to the Debian default influxdb.conf, and the effective-config check. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { describe, it } from "node:test";
import { influxdOf, withInfluxd, type HostSpec } from "./hosts";
import { applyLineEdits, effectiveConfigProblems, requiredDefaultLines, sandboxEdits } from "./influxconf";

const DEBIAN_DEFAULT = "/etc/influxdb/influxdb.conf"; // installed by test/setup-machine.sh

describe("sandbox influxdb.conf edits", () => {
    it("changes exactly the two commented bind-address lines of the real default, in place", () => {
        const original = fs.readFileSync(DEBIAN_DEFAULT, "utf8");
        const edited = applyLineEdits(original, sandboxEdits("127.0.10.1"));
        const a = original.split("\n");
        const b = edited.split("\n");
        assert.equal(b.length, a.length);
        const changed = a.flatMap((line, i) => (line === b[i] ? [] : [[line, b[i]]]));
        assert.deepEqual(changed, [
            ['# bind-address = "127.0.0.1:8088"', 'bind-address = "127.0.10.1:8088"'],
            ['  # bind-address = ":8086"', '  bind-address = "127.0.10.1:8086"'],
        ]);
    });

    it("refuses a file without the expected default lines", () => {
        assert.throws(() => applyLineEdits("reporting-enabled = false\n", sandboxEdits("127.0.10.1")), /expected line/);
        assert.throws(() => applyLineEdits('# bind-address = "127.0.0.1:8088"\n', []), /reporting-enabled = false/);
    });

    it("flags listeners off the host's address, reporting and the unix socket", () => {
        const ok = 'reporting-enabled = false\nbind-address = "127.0.10.1:8088"\n[http]\n  enabled = true\n  bind-address = "127.0.10.1:8086"\n  unix-socket-enabled = false\n[[udp]]\n  enabled = false\n  bind-address = ":8089"\n';
        assert.deepEqual(effectiveConfigProblems(ok, "127.0.10.1"), []);
        const bad = ok.replace("reporting-enabled = false", "reporting-enabled = true").replace('"127.0.10.1:8086"', '":8086"').replace("udp]]\n  enabled = false", "udp]]\n  enabled = true");
        assert.deepEqual(effectiveConfigProblems(bad, "127.0.10.1"), [
            "reporting-enabled is not false",
            '[http] listens on ":8086", not 127.0.10.1',
            '[udp] listens on ":8089", not 127.0.10.1',
        ]);
    });
});

describe("sandbox influxdb.conf edits for upstream 1.13.2", () => {
    it("also turns usage reporting off in upstream's default (reporting-disabled), and checks that key", () => {
        const upstreamLike = '# reporting-disabled = false\n# bind-address = "127.0.0.1:8088"\n[http]\n  # bind-address = ":8086"\n';
        assert.equal(applyLineEdits(upstreamLike, sandboxEdits("127.0.10.2", "1.13.2"), requiredDefaultLines("1.13.2")),
            'reporting-disabled = true\nbind-address = "127.0.10.2:8088"\n[http]\n  bind-address = "127.0.10.2:8086"\n');
        const effective = 'reporting-disabled = true\nbind-address = "127.0.10.2:8088"\n[http]\n  bind-address = "127.0.10.2:8086"\n  unix-socket-enabled = false\n';
        assert.deepEqual(effectiveConfigProblems(effective, "127.0.10.2", "1.13.2"), []);
        assert.deepEqual(effectiveConfigProblems(effective.replace("= true", "= false"), "127.0.10.2", "1.13.2"), ["reporting-disabled is not true"]);
    });
});

describe("sandbox --influxd", () => {
    const hosts: HostSpec[] = [{ name: "data1", address: "127.0.10.1", roles: ["data"] }, { name: "tele1", address: "127.0.10.21", roles: ["telegraf"] },
        { name: "data2", address: "127.0.10.2", roles: ["data"], influxd: "1.13.2" }];
    it("sets every data host, or the named ones; data hosts default to 1.6.7", () => {
        assert.deepEqual(hosts.map(influxdOf), ["1.6.7", undefined, "1.13.2"]);
        assert.deepEqual(withInfluxd(hosts, "1.13.2").map(influxdOf), ["1.13.2", undefined, "1.13.2"]);
        assert.deepEqual(withInfluxd(hosts, "data2=1.6.7").map(influxdOf), ["1.6.7", undefined, "1.6.7"]);
        assert.throws(() => withInfluxd(hosts, "1.8.10"), /unknown version "1\.8\.10"; known: 1\.6\.7, 1\.13\.2/);
        assert.throws(() => withInfluxd(hosts, "tele1=1.13.2"), /"tele1" is not a data host/);
    });
});
