import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mixedWindow, type ProbeTarget } from "../../sandbox/prober";

const t = (name: string, role: "meta" | "data"): ProbeTarget => ({ name, role, address: "127.0.0.1", port: 1 });
const http = (at: number) => ({ at, up: true, protocol: "http" as const });
const https = (at: number) => ({ at, up: true, protocol: "https" as const });
const down = (at: number) => ({ at, up: false });

describe("prober: mixed-protocol window (pure)", () => {
    it("from the first node answering on HTTPS while another still answers HTTP, to the last one switching; down samples keep the last protocol", () => {
        const targets = [t("m1", "meta"), t("m2", "meta"), t("d1", "data")];
        const samples = [
            [http(0), down(50), https(100), https(150), https(200), https(250)],
            [http(0), http(50), http(100), http(150), down(200), https(250)],
            [http(0), https(300)],
        ];
        assert.deepEqual(mixedWindow(targets, samples, "meta"), { ms: 150, from: 100, to: 250 });
        assert.deepEqual(mixedWindow(targets, samples, "data"), { ms: 0, from: undefined, to: undefined });
    });
    it("a window still open at the end runs to the last sample", () => {
        const targets = [t("a", "data"), t("b", "data")];
        assert.deepEqual(mixedWindow(targets, [[https(0), https(100)], [http(0), http(100)]], "data"), { ms: 100, from: 0, to: 100 });
    });
});
