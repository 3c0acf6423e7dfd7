import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import fc from "fast-check";
import { shellQuote, shellCommand } from "../../../provider/ssh";

// The remote side runs our command line through the login shell, and with sudo through
// `sh -c`; so parse it with real shells here, not with a model of one.
const SHELLS = ["/bin/sh", "/bin/bash"].filter((s) => existsSync(s));
const ECHO_ARGS = 'printf "%s\\0" "$@"';

/** What a real shell makes of shellCommand(["sh", "-c", ECHO_ARGS, "sh", ...args]). */
function roundTrip(shell: string, args: string[]): string[] {
    const line = shellCommand(["sh", "-c", ECHO_ARGS, "sh", ...args]);
    const out = execFileSync(shell, ["-c", line], { encoding: "utf8" });
    const parts = out.split("\0");
    assert.equal(parts.pop(), "", "output ends with a NUL");
    return parts;
}

test("safe words stay unquoted, everything else is single-quoted", () => {
    assert.equal(shellQuote("/etc/influxdb/influxdb.conf"), "/etc/influxdb/influxdb.conf");
    assert.equal(shellQuote("-n"), "-n");
    assert.equal(shellQuote(""), "''");
    assert.equal(shellQuote("a b"), "'a b'");
    assert.equal(shellQuote("it's"), "'it'\\''s'");
    assert.equal(shellQuote("$(id)"), "'$(id)'");
    assert.equal(shellQuote("a=b"), "'a=b'", "an unquoted first word a=b would be an assignment");
    assert.equal(shellQuote("~"), "'~'");
    assert.equal(shellQuote("{a,b}"), "'{a,b}'");
});

test("NUL bytes and empty argv are rejected", () => {
    assert.throws(() => shellQuote("a\0b"), /NUL/);
    assert.throws(() => shellCommand([]), /empty/);
});

test("nasty fixed strings round-trip through real shells", () => {
    const nasty = [
        "",
        " ",
        "a b",
        "'",
        "''",
        '"',
        "\\",
        "$(touch /tmp/pwned)",
        "`id`",
        "$HOME",
        "${x:-y}",
        "a\nb",
        "\n",
        "*",
        "?",
        "[a]",
        "-e",
        "--",
        "!",
        "#comment",
        "a;b",
        "a&&b",
        "a|b",
        "<>",
        "tab\there",
        "ünïcødé ✓",
        "x=y",
        "~root",
    ];
    for (const shell of SHELLS) {
        assert.deepEqual(roundTrip(shell, nasty), nasty, shell);
    }
});

test("property: arbitrary argv round-trips through sh -c", () => {
    const metaChars = fc.constantFrom("'", '"', "\\", "$", "`", " ", "\t", "\n", "(", ")", ";", "&", "|", "*", "?", "~", "#", "=", "{", "}", "!", "<", ">", "a", "-", "%", "é");
    const arg = fc.oneof(
        fc.string({ unit: metaChars, maxLength: 12 }),
        // Any code point except NUL (which no argv can carry) and lone surrogates (not encodable).
        fc.string({ unit: "grapheme", maxLength: 12 }).filter((s) => !s.includes("\0")),
    );
    for (const shell of SHELLS) {
        // minLength 1: printf with no arguments still prints its format once.
        fc.assert(
            fc.property(fc.array(arg, { minLength: 1, maxLength: 6 }), (args) => {
                assert.deepEqual(roundTrip(shell, args), args);
            }),
            { numRuns: 150 },
        );
    }
});
