/**
 * Restart and verify wrappers installed in a host's /usr/local/sbin (its own mount), given
 * to the provider as its restart / verify / revertVerify commands: `pitls-fault-<kind> argv…`
 * runs argv unchanged unless the test armed it. Armed, it can refuse (exit 1), fail its first
 * attempts, or stop at a chosen call and tell the test (a marker file) so the test can kill
 * the connection, fill the disk… at exactly that step, then release it. The provider code
 * under test is unchanged; only the command it was configured with is a test program.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { hostLayout, type HostState } from "../../sandbox";

export type WrapperKind = "restart" | "verify" | "revert";

/** How an armed wrapper behaves. */
export type WrapperMode =
    | { fail: "always" }
    /** Calls before `at` exit 1; call `at` waits for release ("go" runs argv, anything else exits 1); later calls run argv. */
    | { holdAt: number }
    /** Exit 1 while the restart wrapper has run fewer than `restarts` times (arm restart with `count`). */
    | { failUntilRestarts: number }
    /** Run argv, only counting the calls. */
    | { count: true };

const SCRIPT = (dir: string, kind: WrapperKind) => `#!/bin/sh
# pitls fault-matrix wrapper (test/faults/inject/wrappers.ts): runs its arguments unless armed.
d='${dir}'
k=${kind}
[ -f "$d/$k.mode" ] || exec "$@"
n=$(( $(cat "$d/$k.count" 2>/dev/null || echo 0) + 1 ))
echo $n > "$d/$k.count"
mode=$(cat "$d/$k.mode")
case $mode in
  fail) echo "pitls-fault: $k refused (injected fault, attempt $n)" >&2; exit 1 ;;
  until:*)
    if [ "$(cat "$d/restart.count" 2>/dev/null || echo 0)" -lt "\${mode#until:}" ]; then echo "pitls-fault: $k refused (injected fault, attempt $n)" >&2; exit 1; fi ;;
  hold:*)
    at=\${mode#hold:}
    if [ "$n" -lt "$at" ]; then echo "pitls-fault: $k not ready (attempt $n)" >&2; exit 1; fi
    if [ "$n" -eq "$at" ]; then
      : > "$d/$k.reached"
      i=0
      while [ ! -s "$d/$k.release" ] && [ $i -lt 300 ]; do sleep 0.05; i=$((i + 1)); done
      [ "$(cat "$d/$k.release" 2>/dev/null)" = go ] || { echo "pitls-fault: $k stopped (injected)" >&2; exit 1; }
    fi ;;
esac
exec "$@"
`;

export class Wrappers {
    readonly dir: string;

    constructor(readonly host: HostState) {
        this.dir = path.join(host.dir, "faults");
    }

    /** The wrapper's path on the host (prefix the real argv with it). */
    static command(kind: WrapperKind): string {
        return `/usr/local/sbin/pitls-fault-${kind}`;
    }

    install(): void {
        fs.mkdirSync(this.dir, { recursive: true });
        for (const kind of ["restart", "verify", "revert"] as const) {
            const f = path.join(hostLayout(this.host.dir).sbin, `pitls-fault-${kind}`);
            fs.writeFileSync(f, SCRIPT(this.dir, kind), { mode: 0o755 });
        }
        this.disarmAll();
    }

    uninstall(): void {
        for (const kind of ["restart", "verify", "revert"] as const) {
            fs.rmSync(path.join(hostLayout(this.host.dir).sbin, `pitls-fault-${kind}`), { force: true });
        }
        fs.rmSync(this.dir, { recursive: true, force: true });
    }

    arm(kind: WrapperKind, mode: WrapperMode): void {
        this.clear(kind);
        const text = "fail" in mode ? "fail" : "holdAt" in mode ? `hold:${mode.holdAt}` : "failUntilRestarts" in mode ? `until:${mode.failUntilRestarts}` : "count";
        fs.writeFileSync(path.join(this.dir, `${kind}.mode`), text);
    }

    /** Resolves when an armed `hold` wrapper has stopped at its call (false after timeoutMs). */
    // 60 s: a create now runs the preflight (5 more commands) before its restart, which took
    // longer than the former 20 s under a load average of 18 (scenario 2 create: "never injected").
    async reached(kind: WrapperKind, timeoutMs = 60_000): Promise<boolean> {
        const f = path.join(this.dir, `${kind}.reached`);
        const deadline = Date.now() + timeoutMs;
        while (Date.now() < deadline) {
            if (fs.existsSync(f)) return true;
            await new Promise((r) => setTimeout(r, 10));
        }
        return false;
    }

    /** Lets a held wrapper go on: "go" runs the real command, "stop" makes it exit 1. */
    release(kind: WrapperKind, how: "go" | "stop"): void {
        fs.writeFileSync(path.join(this.dir, `${kind}.release`), how);
    }

    calls(kind: WrapperKind): number {
        const f = path.join(this.dir, `${kind}.count`);
        return fs.existsSync(f) ? Number(fs.readFileSync(f, "utf8").trim()) : 0;
    }

    disarmAll(): void {
        for (const kind of ["restart", "verify", "revert"] as const) this.clear(kind);
    }

    private clear(kind: WrapperKind): void {
        for (const s of ["mode", "count", "reached", "release"]) fs.rmSync(path.join(this.dir, `${kind}.${s}`), { force: true });
    }
}
