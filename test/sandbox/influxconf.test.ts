/** The sandbox's edits to the Debian default influxdb.conf, and the effective-config check. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { describe, it } from "node:test";
import { applyLineEdits, effectiveConfigProblems, sandboxEdits } from "./influxconf";

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
