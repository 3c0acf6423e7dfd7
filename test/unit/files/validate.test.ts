// One rule set for what a path, mode, owner and group may be (both installers, the components' checks).
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileSpecProblems, frame, frameHeader, pathProblem } from "../../../provider/files";

const ok = { path: "/etc/ssl/influxdb.key", mode: "0600", owner: "influxdb", group: "influxdb" };

test("accepted: names, numeric ids, 3- or 4-digit octal modes", () => {
    assert.deepEqual(fileSpecProblems("f", ok), []);
    assert.deepEqual(fileSpecProblems("f", { ...ok, owner: "0", group: "65534", mode: "640" }), []);
    assert.deepEqual(fileSpecProblems("f", { ...ok, owner: "_svc", group: "ssl-cert" }), []);
});

test("refused, each naming the argument: relative, ., .., empty segments, control characters, bad modes and names", () => {
    for (const path of ["etc/x", "/etc/", "/etc/.", "/etc/..", "/etc/../x", "/etc//x", "/etc/a\nb", "/etc/a\0b", "/etc/a\tb", "/etc/a\u007fb", "/"]) {
        assert.ok(pathProblem(path), `path ${JSON.stringify(path)}`);
    }
    for (const mode of ["rw-r--r--", "0777a", "8", "00644", "4755", ""]) {
        assert.match(fileSpecProblems("key file", { ...ok, mode }).join(), /^key file: mode /, mode);
    }
    for (const owner of ["-g", "root:root", "a b", "$(id)", "", "x".repeat(40)]) {
        assert.match(fileSpecProblems("key file", { ...ok, owner }).join(), /^key file: owner /, owner);
    }
});

test("the frame: header with byte length (UTF-8) and SHA-256, then the content", () => {
    assert.equal(frameHeader(""), "pitls-file v1 0 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n");
    assert.match(frame("é"), /^pitls-file v1 2 [0-9a-f]{64}\né$/);
});
