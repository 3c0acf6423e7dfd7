import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { REPO } from "./hosts";
import { bench } from "./run";
import { resultTable } from "./table";

/*
 * CI's smoke run of `npm run bench` (issue 11): N = 4, one round, parallel and rolling mode
 * (ClusterTls with `maxUnavailable: 1` against Ansible `serial: 1`), the program as the README
 * recommends (the packed package installed in a consumer project, compiled to JS), so the
 * benchmark cannot rot. Times are printed, never asserted (the machine is shared); what is
 * asserted: every tool did the whole rollout (every node on HTTPS trusting only the CA — the
 * bench checks it after each first run), the second runs changed nothing, and this package
 * opened at most 2 SSH connections per node per `up` and none when nothing changed.
 * Fails (never skips) when ansible-playbook or build/bin/pulumi is missing.
 */
test("bench smoke: N = 4, one round, parallel and rolling", { timeout: 30 * 60_000 }, async () => {
    assert.ok(fs.existsSync(path.join(REPO, "build/bin/pulumi")), "build/bin/pulumi missing: bash scripts/build-pulumi.sh");
    assert.doesNotThrow(() => execFileSync("ansible-playbook", ["--version"], { stdio: "ignore" }), "ansible-playbook missing: apt-get install ansible-core (test/setup-machine.sh)");
    const r = await bench({ dataNodes: [4], rounds: 1, modes: ["parallel", "rolling"], program: "installed-js", phases: false, log: (l) => console.log(`[bench] ${l}`) });
    for (const mode of ["parallel", "rolling"] as const) {
        console.log(resultTable(r.samples, 4, mode));
        const pkg = r.samples.filter((s) => s.tool === "package" && s.mode === mode);
        assert.deepEqual(pkg.map((s) => s.figure), ["first run", "second run", "second run, --skip-preview", "preview", "destroy"], mode);
        for (const s of pkg) assert.ok(s.sshPerNode <= 2, `${mode} ${s.figure}: ${s.sshPerNode} SSH connections on one node`);
        assert.equal(pkg.find((s) => s.figure === "second run")?.sshPerNode, 0, `${mode}: a no-op up opens no connection`);
        assert.equal(pkg.find((s) => s.figure === "second run, --skip-preview")?.sshPerNode, 0, `${mode}: a no-op up opens no connection`);
        assert.equal(pkg.find((s) => s.figure === "preview")?.sshPerNode, 0, `${mode}: preview opens no connection`);
        assert.deepEqual(r.samples.filter((s) => s.tool !== "package" && s.mode === mode).map((s) => `${s.tool} ${s.figure}`), ["ansible first run", "ansible second run", "floor first run"], mode);
    }
});
