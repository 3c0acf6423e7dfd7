/**
 * Property (issue 7 §2): for random strings — quotes, `$()`, backticks, `;`, `&&`, newlines,
 * leading `-`, spaces, globs, non-ASCII, bidi and arbitrary code points — every command line
 * the package builds is parsed by a real shell on a real test host into exactly the intended
 * words: no word split, joined, expanded or executed.
 *
 * Each builder's command line is prefixed with `printf '%s\0'`, so the shell prints the words
 * it parsed, NUL-terminated, instead of running the program. All cases go to data1 as one
 * script over one SSH connection: `sh -n` (dash) must accept it, then dash and bash must
 * print exactly the expected words. NUL cannot be in any argv and is refused by the quoting
 * function itself.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { installFileCommand, readFileArgv, removeFileArgv, removeFileCommand, writeFileArgv } from "../../provider/files";
import { restartCommand } from "../../provider/influx";
import { shellCommand, shellQuote } from "../../provider/ssh/quote";
import { withSession } from "../../provider/ssh";
import { resetHost, type SandboxState } from "../sandbox";
import { connectionTo, sandbox } from "../integration/helpers/hosts";

const RUNS = 150;
const SEED = Number(process.env.PITLS_PROPERTY_SEED ?? Date.now() % 2 ** 31);
const SEP = "\u0001";

const nasty = fc.constantFrom("'", '"', "$", "`", "\\", ";", "&", "&&", "|", "\n", "\r", "\t", " ", "-", "--", "*", "?", "[", "]", "~",
    "#", "(", ")", "{", "}", "<", ">", "!", "=", "%", "$(id)", "`id`", "${IFS}", "\u202E", "é", "日", "\u0085", "\u00a0", "a", "0");
/** Strings of shell metacharacters, or any code points; never NUL or our separator, never lone surrogates (not encodable). */
const word = fc.oneof(
    fc.string({ unit: nasty, maxLength: 12 }),
    fc.string({ unit: "binary", maxLength: 12 }),
).filter((s) => !s.includes("\0") && !s.includes(SEP) && Buffer.from(s, "utf8").toString("utf8") === s);
const hex = fc.stringMatching(/^[0-9a-f]{64}$/);

interface Built {
    builder: string;
    line: string;
    words: string[];
}

/** Every command builder of the package, given random inputs: the line it builds and the words it means. */
const builtCase = fc.record({ argv: fc.array(word, { minLength: 1, maxLength: 4 }), name: word, sha: hex, sudo: fc.boolean() }).map(({ argv, name, sha, sudo }): Built[] => {
    // A path the file rules accept (absolute, one file, no control characters): every other byte stays.
    const path = `/tmp/pitls-${name.replace(/[\u0000-\u001f\u007f-\u009f/]/g, "")}x`;
    const sudoed = (a: string[]) => (sudo ? ["sudo", "-n", "--", ...a] : a);
    const spec = { path, mode: "0600", owner: "influxdb", group: "influxdb" };
    const write = writeFileArgv(path, { mode: "0600", owner: "root", group: "root", expectedSha256: sha });
    return [
        { builder: "shellCommand(argv)", line: shellCommand(argv), words: argv },
        { builder: "session exec (sudo -n --)", line: shellCommand(sudoed(argv)), words: sudoed(argv) },
        { builder: "readFileArgv", line: shellCommand(sudoed(readFileArgv(path))), words: sudoed(readFileArgv(path)) },
        { builder: "writeFileArgv", line: shellCommand(write), words: write },
        { builder: "removeFileArgv", line: shellCommand(removeFileArgv(path, true)), words: removeFileArgv(path, true) },
        { builder: "installFileCommand", line: installFileCommand(spec, sudo), words: sudoed(writeFileArgv(path, { mode: "0600", owner: "influxdb", group: "influxdb" })) },
        { builder: "removeFileCommand", line: removeFileCommand(path, sudo), words: sudoed(removeFileArgv(path, true, "keep")) },
        { builder: "restartCommand(service)", line: shellCommand(restartCommand(name || "x")), words: restartCommand(name || "x") },
    ];
});

describe("every command the package builds means exactly its words, in a real shell on a test host", { timeout: 120_000 }, () => {
    let state: SandboxState;
    const figures: string[] = [];

    before(async () => {
        state = await sandbox();
        await resetHost("data1");
    });
    after(() => {
        console.log(`\ncommand-line property (seed ${SEED}, rerun with PITLS_PROPERTY_SEED=${SEED}):\n  ${figures.join("\n  ")}`);
    });

    it("NUL is refused by the quoting function itself", () => {
        assert.throws(() => shellQuote("a\0b"), /NUL byte/);
        assert.throws(() => shellCommand(["printf", "\0"]), /NUL byte/);
    });

    it(`${RUNS} random cases × 8 builders: sh -n accepts, dash and bash print exactly the intended words`, async () => {
        const cases = fc.sample(builtCase, { numRuns: RUNS, seed: SEED }).flat();
        const script = cases.map((c) => `printf '%s\\0' ${c.line}\nprintf '${SEP}\\0'\n`).join("");
        const expected = cases.map((c) => c.words.map((w) => w + "\0").join("") + SEP + "\0").join("");
        const started = Date.now();
        const results = await withSession(connectionTo(state, "data1"), async (s) => ({
            syntax: await s.exec(["sh", "-n"], { stdin: script }),
            dash: await s.exec(["sh"], { stdin: script }),
            bash: await s.exec(["bash", "--posix"], { stdin: script }),
        }));
        const ms = Date.now() - started;
        assert.equal(results.syntax.code, 0, `sh -n: ${results.syntax.stderr}`);
        for (const shell of ["dash", "bash"] as const) {
            const r = results[shell];
            assert.equal(r.code, 0, `${shell}: ${r.stderr}`);
            const got = r.stdout.toString("utf8");
            if (got !== expected) {
                // Name the first case whose words differ.
                const gotCases = got.split(`${SEP}\0`);
                const i = cases.findIndex((c, k) => gotCases[k] !== c.words.map((w) => w + "\0").join(""));
                assert.fail(`${shell}: ${cases[i]?.builder} parsed ${JSON.stringify(gotCases[i]?.split("\0"))}, meant ${JSON.stringify(cases[i]?.words)}\nline: ${cases[i]?.line}`);
            }
        }
        figures.push(`${cases.length} command lines (${RUNS} cases × 8 builders), ${Buffer.byteLength(script)} bytes of script, checked by sh -n, dash and bash on data1 in ${ms} ms over one SSH connection: 0 differences`);
    });
});
