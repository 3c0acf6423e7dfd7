import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkHostKey, hostKeyAlgorithms, hostKeyFingerprint, hostKeyType, parseHostKeyPin } from "../../../provider/ssh";

interface Key {
    line: string; // "ssh-ed25519 AAAA… comment"
    blob: Buffer;
    fingerprint: string; // from ssh-keygen -lf
}

let dir: string;
let ed: Key;
let rsa: Key;

/** Generate a real key pair with ssh-keygen and take its fingerprint from `ssh-keygen -lf`. */
function keygen(type: string): Key {
    const file = join(dir, `key_${type}`);
    execFileSync("ssh-keygen", ["-q", "-t", type, "-N", "", "-C", "test comment", "-f", file]);
    const line = readFileSync(file + ".pub", "utf8").trim();
    const fingerprint = execFileSync("ssh-keygen", ["-lf", file + ".pub"], { encoding: "utf8" }).split(" ")[1];
    return { line, blob: Buffer.from(line.split(" ")[1], "base64"), fingerprint };
}

before(() => {
    dir = mkdtempSync(join(tmpdir(), "pitls-hostkey-"));
    ed = keygen("ed25519");
    rsa = keygen("rsa");
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("fingerprint matches ssh-keygen -lf", () => {
    assert.match(ed.fingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
    assert.equal(hostKeyFingerprint(ed.blob), ed.fingerprint);
    assert.equal(hostKeyFingerprint(rsa.blob), rsa.fingerprint);
    assert.equal(hostKeyType(ed.blob), "ssh-ed25519");
    assert.equal(hostKeyType(rsa.blob), "ssh-rsa");
    assert.equal(hostKeyType(Buffer.alloc(2)), undefined);
});

test("every pin form accepts the right key and rejects another", () => {
    const pins = [
        ed.fingerprint,
        ed.fingerprint + "=", // padded base64 as some tools print it
        ed.line, // with comment
        ed.line.split(" ").slice(0, 2).join(" "), // without comment
        `[10.0.0.5]:2222,node1 ${ed.line}`, // known_hosts line
        `# comment\n\n${rsa.fingerprint}\n${ed.line}\n`, // several pins
    ];
    for (const pin of pins) {
        const ok = checkHostKey(ed.blob, pin);
        assert.equal(ok.ok, true, pin);
        assert.equal(ok.actual, ed.fingerprint);
    }
    const bad = checkHostKey(rsa.blob, ed.line);
    assert.deepEqual(bad, { ok: false, actual: rsa.fingerprint, expected: [ed.fingerprint], actualType: "ssh-rsa" });
    assert.equal(checkHostKey(rsa.blob, ed.fingerprint).ok, false);
});

test("key-line pins restrict the negotiated host key algorithms", () => {
    assert.deepEqual(hostKeyAlgorithms(parseHostKeyPin(ed.line)), ["ssh-ed25519"]);
    assert.deepEqual(hostKeyAlgorithms(parseHostKeyPin(rsa.line)), ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"]);
    assert.equal(hostKeyAlgorithms(parseHostKeyPin(ed.fingerprint)), undefined);
    assert.equal(hostKeyAlgorithms(parseHostKeyPin(`${ed.line}\n${rsa.fingerprint}`)), undefined);
});

test("malformed pins are rejected with a short message", () => {
    assert.throws(() => parseHostKeyPin(""), /empty/);
    assert.throws(() => parseHostKeyPin("SHA256:short"), /not a fingerprint/);
    assert.throws(() => parseHostKeyPin("MD5:aa:bb"), /not a fingerprint/);
    assert.throws(() => parseHostKeyPin("ssh-ed25519 !!!notbase64"), /not a fingerprint/);
    const wrongType = "ssh-rsa " + ed.line.split(" ")[1];
    assert.throws(() => parseHostKeyPin(wrongType), /does not encode a ssh-rsa key/);
    assert.throws(() => parseHostKeyPin(`@cert-authority * ${ed.line}`), /markers/);
});
