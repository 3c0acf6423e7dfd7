/**
 * One cell of the fault matrix: bring data1 to the operation's starting state, inject the
 * fault, run the operation, undo the fault, then check the four invariants:
 *   1. an error naming the host, the file or command and the step, within a bounded time —
 *      or, for bad inputs refused before the run reached the host (no provider operation
 *      started, no SSH connection), naming the node or host and the argument at fault, with
 *      every file on the host byte-identical;
 *   2. the config untouched (byte-identical) or fully applied — and then verified — never
 *      half; the certificate files old or new, never anything else;
 *   3. the service answering on the protocol its config says;
 *   4. the next operation (fault gone) converges without manual repair; destroy at the end
 *      of the scenario restores every file byte for byte (checked by the matrix).
 */
import { DeploymentError } from "../harness";
import { CONFIG, World, type Op, type Snapshot, type Version } from "./world";

export interface Injection {
    /** Undo the fault (always called, in `finally`). */
    undo?: () => Promise<void>;
    /** False when the fault never happened (the cell then fails: nothing was tested). */
    fired?: () => boolean | string;
    /** The config bytes that count as "untouched" when a third party changed them on purpose. */
    untouched?: () => Promise<Buffer | undefined>;
}

export interface CellSpec {
    /** The version the faulty operation applies (bad inputs); default: the chain's next good version. */
    readonly target?: (w: World, good: Version) => Version;
    readonly inject?: (w: World, op: Op) => Promise<Injection>;
    /** "error" (default): the operation must fail; "ok": must succeed; "either". */
    readonly expect?: "error" | "ok" | "either";
    /** Extra pattern the error must match. */
    readonly errorMatch?: RegExp;
    /**
     * The argument at fault, which an error raised before the run reached the host must name
     * (default: any argument of the program's DataNodeTls, ARGUMENT).
     */
    readonly argument?: RegExp;
    /** Bound on the failing operation's wall time (default 30 s). */
    readonly boundMs?: number;
}

export interface CellResult {
    readonly problems: string[];
    readonly ms: number;
    readonly error?: string;
    /** Wall time of setup, the faulty operation, checks, convergence (ms). */
    readonly phases?: string;
}

const same = (a: Buffer | undefined, b: Buffer | undefined) => (a === undefined ? b === undefined : b !== undefined && a.equals(b));

/**
 * The arguments of the program's DataNodeTls a refusal can name: the provided certificate's
 * PEMs, the key file's owner, the extra edits, a connection field.
 */
const ARGUMENT = /\b(certificate\.provided\.(certificatePem|privateKeyPem|bundlePem|caCertificatePem)|privateKey(Owner|Group)|extraEdits|connection\.\w+)\b/;

/**
 * Whether the run failed before it reached the host: a component refused its arguments while
 * the program ran (e.g. a provided certificate that has expired), so no provider operation
 * started and no SSH connection was opened. Such an error involves no file or command.
 */
export function refusedBeforeConnecting(error: Error): boolean {
    return error instanceof DeploymentError && error.log.steps.length === 0 && error.log.sshConnections === 0;
}

export function errorProblems(w: World, message: string, beforeConnecting: boolean, argument = ARGUMENT): string[] {
    const p: string[] = [];
    if (![w.address, w.proxy.address, w.host.name].some((h) => message.includes(h))) p.push("error does not name the host");
    if (beforeConnecting) {
        if (!argument.test(message)) p.push(`refused before connecting, but the error does not name the argument at fault (${argument})`);
        return p;
    }
    if (!/\/etc\/|\/usr\/local\/sbin\/|systemctl|influx|sudo/.test(message)) p.push("error names no file or command");
    if (!/\b(create|update|delete|read|refresh|writ|restart|verif|connect|roll|revert|check|authenticat|host key)/i.test(message)) p.push("error names no step");
    return p;
}

/** Gets data1 into the state `op` starts from: nothing deployed (create) or the chain's current version. */
async function startState(w: World, op: Op): Promise<string | undefined> {
    try {
        if (op === "create" && w.current) await w.run("delete", w.current);
        if (op !== "create" && !w.current) await w.run("create", w.next("create"));
        return undefined;
    } catch (e) {
        return `setup failed: ${(e as Error).message}`;
    }
}

export async function runCell(w: World, op: Op, spec: CellSpec): Promise<CellResult> {
    const problems: string[] = [];
    const tSetup = Date.now();
    const setup = await startState(w, op);
    if (setup) return { problems: [setup], ms: 0 };
    const good = w.next(op);
    const target = spec.target ? spec.target(w, good) : good;
    const before: Snapshot = await w.snapshot();
    const wasDeployed = w.current;

    let injection: Injection = {};
    let error: Error | undefined;
    const t0 = Date.now();
    let ms = 0;
    let after: Snapshot = {};
    let untouched = before[CONFIG];
    let fired: boolean | string | undefined;
    try {
        injection = spec.inject ? await spec.inject(w, op) : {};
        try {
            await w.run(op, target);
        } catch (e) {
            error = e as Error;
        }
        ms = Date.now() - t0;
        fired = injection.fired?.();
        after = await w.snapshot();
        if (injection.untouched) untouched = await injection.untouched();
    } catch (e) {
        problems.push(`injection failed: ${(e as Error).message}`);
    } finally {
        try {
            await injection.undo?.();
        } catch (e) {
            problems.push(`undoing the fault failed: ${(e as Error).message}`);
        }
        w.wrappers.disarmAll();
    }
    if (fired === false) problems.push("the fault was never injected");

    // 1. the error
    const expect = spec.expect ?? "error";
    if (error) {
        const msg = error.message;
        if (expect === "ok") problems.push(`unexpected error: ${msg.split("\n").slice(0, 3).join(" ")}`);
        else {
            const beforeConnecting = refusedBeforeConnecting(error);
            problems.push(...errorProblems(w, msg, beforeConnecting, spec.argument));
            if (beforeConnecting) {
                // Nothing reached the host: every file must be exactly as it was.
                for (const [f, b] of Object.entries(before)) if (!same(after[f], b)) problems.push(`refused before connecting, yet ${f} changed`);
            }
            if (spec.errorMatch && !spec.errorMatch.test(msg)) problems.push(`error does not match ${spec.errorMatch}`);
            if (ms > (spec.boundMs ?? 30_000)) problems.push(`error after ${ms} ms (bound ${spec.boundMs ?? 30_000})`);
        }
    } else if (expect === "error") {
        problems.push("no error");
    }

    // 2. never half: config, and the certificate files
    const configChanged = !same(after[CONFIG], untouched);
    const certsOk = (files: Record<string, Buffer | undefined>, allowed: (Record<string, Buffer | undefined> | undefined)[]) => {
        for (const [f] of Object.entries(files)) {
            if (f === CONFIG) continue;
            if (!allowed.some((a) => a && same(files[f], a[f]))) problems.push(`${f} is neither its old nor its new content`);
        }
    };
    const absent = w.intended(undefined);
    certsOk(after, [before, w.intended(target), absent, ...(wasDeployed ? [w.intended(wasDeployed)] : [])]);

    // A rotation is only whole if the certificate and key on the host are one pair.
    const cert = after["/etc/ssl/influxdb.crt"];
    const key = after["/etc/ssl/influxdb.key"];
    if (cert && key) {
        const pairs = [wasDeployed, target, good].filter((v): v is Version => v !== undefined).map((v) => w.intended(v));
        if (!pairs.some((p) => same(cert, p["/etc/ssl/influxdb.crt"]) && same(key, p["/etc/ssl/influxdb.key"]))) {
            problems.push("certificate and key on the host are from different pairs (rotation half done)");
        }
    }

    // 3. the service
    const svc = await w.serviceProblem();
    if (svc) problems.push(`after the fault: ${svc}`);

    // 4. the next operation converges (fault gone, good inputs)
    const tConverge = Date.now();
    const phases = () => `setup ${t0 - tSetup}, op ${ms}, checks ${tConverge - t0 - ms}, converge ${Date.now() - tConverge}`;
    try {
        await w.run(op, good);
    } catch (e) {
        if (configChanged) problems.push(`config changed by the failed ${op} (${after[CONFIG]?.length ?? "no"} bytes, was ${untouched?.length ?? "absent"}) and not converged`);
        problems.push(`next ${op} did not converge: ${(e as Error).message.split("\n").slice(0, 3).join(" ")}`);
        return { problems, ms, error: error?.message, phases: phases() };
    }
    const recovered = await w.snapshot();
    const svc2 = await w.serviceProblem();
    if (svc2) problems.push(`after the next ${op}: ${svc2}`);
    if (op === "delete") {
        if (!same(recovered[CONFIG], w.baselineConfig())) problems.push("after destroy the config is not byte-identical to the original");
        certsOk(recovered, [absent]);
    } else if (op !== "refresh") {
        certsOk(recovered, [w.intended(good)]);
    }
    if (configChanged) {
        // Changed by the faulty operation: only acceptable if it is exactly the converged file
        // (fully applied) — and it was verified (the service check above).
        const full = op === "delete" ? w.baselineConfig() : recovered[CONFIG];
        if (!same(after[CONFIG], full)) problems.push("config half-applied: neither untouched nor the fully applied file");
        else if (error && expect !== "ok" && spec.target) problems.push("a bad input was applied to the config");
    }
    return { problems, ms, error: error?.message, phases: phases() };
}
