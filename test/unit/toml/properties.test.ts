import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { editsFor, modelOf, transform, transformed } from "./arbitraries";
import { checkApplyRevert, checkRevertAfterChanges } from "./checks";
import { FIXTURE_NAMES, fixture } from "./helpers";
import { syntheticCase } from "./synthetic";

/**
 * Property tests. On the real files: random edit sets (their own tables and new ones; keys
 * that are active, commented or new; values of every kind), on the file as shipped, as
 * CRLF, and with/without a final newline. On synthetic files: the constructs the real files
 * lack (multi-line strings holding header- and key-like lines, multi-line arrays with
 * comments, quoted and dotted keys, tabs, inline tables, arrays of tables).
 */

/** Runs per property and file; Telegraf's file is 5x longer, so it gets fewer. */
const RUNS: Record<(typeof FIXTURE_NAMES)[number], number> = {
    "enterprise-1.6.2-influxdb.conf": 300,
    "enterprise-1.6.2-influxdb-meta.conf": 350,
    "telegraf-1.4.5.conf": 150,
    "debian-influxdb-1.6.7.conf": 300,
};
const SYNTHETIC_RUNS = 500;

let cases = 0;

for (const name of FIXTURE_NAMES) {
    describe(`properties on ${name}`, () => {
        const base = fixture(name);
        const model = modelOf(base);
        const numRuns = RUNS[name];

        it("apply means original + edits; revert is byte-exact; re-applying is a no-op", () => {
            fc.assert(fc.property(editsFor(model), transform, (edits, tf) => {
                cases++;
                checkApplyRevert(transformed(base, tf), edits);
            }), { numRuns });
        });

        it("revert after other changes restores only the managed keys; update = revert + apply", () => {
            fc.assert(fc.property(editsFor(model), editsFor(model), transform, fc.boolean(), (e1, e2, tf, append) => {
                cases++;
                checkRevertAfterChanges(transformed(base, tf), e1, e2, append);
            }), { numRuns });
        });
    });
}

describe("properties on synthetic files", () => {
    it("apply/revert/re-apply on tricky layouts", () => {
        fc.assert(fc.property(syntheticCase, transform, (c, tf) => {
            cases++;
            checkApplyRevert(transformed(c.text, tf), c.e1);
        }), { numRuns: SYNTHETIC_RUNS });
    });

    it("revert after other changes, and update, on tricky layouts", () => {
        fc.assert(fc.property(syntheticCase, transform, fc.boolean(), (c, tf, append) => {
            cases++;
            checkRevertAfterChanges(transformed(c.text, tf), c.e1, c.e2, append);
        }), { numRuns: SYNTHETIC_RUNS });
    });
});

describe("property case count", () => {
    it("ran the planned number of cases", () => {
        const planned = (Object.values(RUNS).reduce((a, b) => a + b, 0) + SYNTHETIC_RUNS) * 2;
        console.log(`TOML property cases run: ${cases}`);
        assert.equal(cases, planned);
    });
});
