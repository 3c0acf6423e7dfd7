/**
 * `npm run bench` checks its arguments before it brings up any test host: a full run takes over
 * an hour, and an unknown flag once started one with the defaults.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, it } from "node:test";

const CLI = path.resolve(__dirname, "../../../bench/cli.js");
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 20_000 });

describe("bench command line", () => {
    it("--help prints the usage and exits 0", () => {
        const r = run("--help");
        assert.equal(r.status, 0);
        assert.match(r.stdout, /^usage: npm run bench -- \[--data 4,16\]/);
    });
    for (const [args, message] of [
        [["--bogus"], /unknown argument "--bogus"/],
        [["--data"], /--data needs a value/],
        [["--data", "4,x"], /--data must be a comma-separated list of positive integers/],
        [["--rounds", "-1"], /--rounds must be a non-negative integer/],
        [["--modes", "fast"], /--modes must list parallel and\/or rolling/],
        [["--program", "docker"], /--program must be one of checkout, installed-ts, installed-js/],
    ] as const) {
        it(`refuses ${args.join(" ")} before anything starts`, () => {
            const r = run(...args);
            assert.notEqual(r.status, 0);
            assert.match(r.stderr, message);
            assert.doesNotMatch(r.stdout, /test hosts|round 1/);
        });
    }
});
