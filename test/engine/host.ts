/**
 * The SDK's own dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`, the program the
 * engine starts for `pulumi-nodejs:dynamic/*` resources) as a child process, driven over gRPC
 * with the SDK's generated stubs — the same wire the engine uses. grpc-js, google-protobuf and
 * the stubs are all loaded from the consumer's node_modules: the versions the host runs.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import type { Consumer } from "./consumer";

export type Props = Record<string, unknown>;

export interface InitFailure {
    id: string;
    properties: Props;
    reasons: string[];
}

/** A failed RPC: the host's message, plus the decoded ErrorResourceInitFailed when the provider threw one. */
export class HostRpcError extends Error {
    constructor(readonly method: string, readonly code: number, readonly details: string, readonly initFailure?: InitFailure) {
        super(`${method}: ${details}`);
    }
}

export interface RpcTiming {
    method: string;
    ms: number;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

export class DynamicProviderHost {
    /** Wall time of every RPC, in call order. */
    readonly timings: RpcTiming[] = [];
    private constructor(
        private readonly log: { stderr: string },
        private readonly child: ChildProcess,
        private readonly client: Any,
        private readonly pb: Any,
        private readonly structpb: Any,
        private readonly statuspb: Any,
        private readonly grpc: Any,
        readonly port: number,
        readonly project: string,
        readonly stack: string,
    ) {}

    /** Starts the host with cwd = the consumer (serialized `require`s resolve from there) and connects. */
    static async start(consumer: Consumer, opts: { stack?: string } = {}): Promise<DynamicProviderHost> {
        const sdkDir = path.join(consumer.dir, "node_modules", "@pulumi", "pulumi");
        const req = createRequire(path.join(sdkDir, "package.json"));
        const grpc = req("@grpc/grpc-js");
        const stack = opts.stack ?? "engine";
        // argv[2] is the engine address; the dynamic host never dials it.
        const child = spawn(process.execPath, [path.join(sdkDir, "cmd", "dynamic-provider"), "127.0.0.1:1"], {
            cwd: consumer.dir,
            // The host reads the project name (for provider.configure's Config) from PULUMI_NODEJS_PROJECT.
            env: { ...process.env, PULUMI_NODEJS_PROJECT: consumer.project, PULUMI_NODEJS_STACK: stack },
            stdio: ["ignore", "pipe", "pipe"],
        });
        const log = { stderr: "" };
        child.stderr!.on("data", (d: Buffer) => { log.stderr += d.toString("utf8"); });
        const port = await new Promise<number>((resolve, reject) => {
            let out = "";
            const timer = setTimeout(() => reject(new Error(`dynamic-provider host printed no port in 30 s; stderr: ${log.stderr}`)), 30_000);
            child.stdout!.on("data", (d: Buffer) => {
                out += d.toString("utf8");
                const nl = out.indexOf("\n");
                if (nl >= 0) {
                    clearTimeout(timer);
                    resolve(Number(out.slice(0, nl).trim()));
                }
            });
            child.once("exit", (code) => { clearTimeout(timer); reject(new Error(`host exited (${code}) before printing its port; stderr: ${log.stderr}`)); });
        }).catch((e) => {
            child.kill("SIGKILL"); // no leftover host when start-up fails
            throw e;
        });
        const stubs = req("./proto/provider_grpc_pb");
        const client = new stubs.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        return new DynamicProviderHost(log, child, client, req("./proto/provider_pb"),
            req("google-protobuf/google/protobuf/struct_pb"), req("./proto/status_pb"), grpc, port, consumer.project, stack);
    }

    /** Everything the host wrote to stderr (it logs check/diff/read/delete errors with stacks there). */
    get stderr(): string {
        return this.log.stderr;
    }

    get pid(): number {
        return this.child.pid!;
    }

    urn(type: string, name: string): string {
        return `urn:pulumi:${this.stack}::${this.project}::${type}::${name}`;
    }

    /** Kills the host by PID and waits for it to exit. */
    async stop(): Promise<void> {
        this.client.close();
        if (this.child.exitCode !== null || this.child.signalCode !== null) {
            return;
        }
        const exited = new Promise<void>((r) => this.child.once("exit", () => r()));
        process.kill(this.child.pid!, "SIGTERM");
        const timer = setTimeout(() => { if (this.child.exitCode === null) process.kill(this.child.pid!, "SIGKILL"); }, 3000);
        await exited;
        clearTimeout(timer);
    }

    private struct(v: Props): Any {
        return this.structpb.Struct.fromJavaScript(v);
    }

    private call<T>(method: string, request: Any, decode: (resp: Any) => T): Promise<T> {
        const started = Date.now();
        // Generous deadline: create/update restart and verify a service (30 s verify timeout by default).
        const deadline = new Date(Date.now() + 180_000);
        return new Promise<T>((resolve, reject) => {
            this.client[method](request, new this.grpc.Metadata(), { deadline }, (err: Any, resp: Any) => {
                this.timings.push({ method, ms: Date.now() - started });
                if (err) {
                    reject(new HostRpcError(method, err.code, err.details ?? err.message, this.initFailureOf(err)));
                } else {
                    resolve(decode(resp));
                }
            });
        });
    }

    /** The host packs ErrorResourceInitFailed into a google.rpc.Status in the `grpc-status-details-bin` trailer. */
    private initFailureOf(err: Any): InitFailure | undefined {
        const raw = err.metadata?.get("grpc-status-details-bin")?.[0];
        if (!raw) {
            return undefined;
        }
        const status = this.statuspb.Status.deserializeBinary(new Uint8Array(raw));
        for (const any of status.getDetailsList()) {
            if (any.getTypeName() === "pulumirpc.ErrorResourceInitFailed") {
                const f = this.pb.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
                return { id: f.getId(), properties: f.getProperties()?.toJavaScript() ?? {}, reasons: f.getReasonsList() };
            }
        }
        return undefined;
    }

    /** As the engine: stack config in `args`; it accepts secrets and resources, the host answers what it supports. */
    configure(config: Props = {}): Promise<{ acceptSecrets: boolean; supportsPreview: boolean }> {
        const r = new this.pb.ConfigureRequest();
        r.setArgs(this.struct(config));
        r.setAcceptsecrets(true);
        r.setAcceptresources(true);
        return this.call("configure", r, (resp) => ({ acceptSecrets: resp.getAcceptsecrets(), supportsPreview: resp.getSupportspreview() }));
    }

    check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
        const r = new this.pb.CheckRequest();
        r.setUrn(urn);
        r.setOlds(this.struct(olds));
        r.setNews(this.struct(news));
        return this.call("check", r, (resp) => ({
            inputs: resp.getInputs()?.toJavaScript() ?? {},
            failures: resp.getFailuresList().map((f: Any) => ({ property: f.getProperty(), reason: f.getReason() })),
        }));
    }

    /** `changes` is undefined for DIFF_UNKNOWN (the engine then diffs the inputs itself). */
    diff(urn: string, id: string, olds: Props, news: Props, oldInputs?: Props): Promise<{ changes: boolean | undefined; replaces: string[]; deleteBeforeReplace: boolean }> {
        const r = new this.pb.DiffRequest();
        r.setUrn(urn);
        r.setId(id);
        r.setOlds(this.struct(olds));
        r.setNews(this.struct(news));
        if (oldInputs) r.setOldInputs(this.struct(oldInputs));
        const C = this.pb.DiffResponse.DiffChanges;
        return this.call("diff", r, (resp) => ({
            changes: resp.getChanges() === C.DIFF_SOME ? true : resp.getChanges() === C.DIFF_NONE ? false : undefined,
            replaces: resp.getReplacesList(),
            deleteBeforeReplace: resp.getDeletebeforereplace(),
        }));
    }

    /** Rejects with HostRpcError; `.initFailure` is set when the provider threw an error carrying id/properties. */
    create(urn: string, props: Props): Promise<{ id: string; properties: Props }> {
        const r = new this.pb.CreateRequest();
        r.setUrn(urn);
        r.setProperties(this.struct(props));
        return this.call("create", r, (resp) => ({ id: resp.getId(), properties: resp.getProperties()?.toJavaScript() ?? {} }));
    }

    /** Refresh. An empty id means the provider reported the resource gone. */
    read(urn: string, id: string, props: Props, inputs?: Props): Promise<{ id: string; properties: Props; inputs?: Props }> {
        const r = new this.pb.ReadRequest();
        r.setUrn(urn);
        r.setId(id);
        r.setProperties(this.struct(props));
        if (inputs) r.setInputs(this.struct(inputs));
        return this.call("read", r, (resp) => ({
            id: resp.getId(), properties: resp.getProperties()?.toJavaScript() ?? {}, inputs: resp.getInputs()?.toJavaScript(),
        }));
    }

    update(urn: string, id: string, olds: Props, news: Props, oldInputs?: Props): Promise<{ properties: Props }> {
        const r = new this.pb.UpdateRequest();
        r.setUrn(urn);
        r.setId(id);
        r.setOlds(this.struct(olds));
        r.setNews(this.struct(news));
        if (oldInputs) r.setOldInputs(this.struct(oldInputs));
        return this.call("update", r, (resp) => ({ properties: resp.getProperties()?.toJavaScript() ?? {} }));
    }

    /** Runs the `__provider` inside `props` — the engine sends the stored outputs, i.e. the code from the last create/update. */
    delete(urn: string, id: string, props: Props, oldInputs?: Props): Promise<void> {
        const r = new this.pb.DeleteRequest();
        r.setUrn(urn);
        r.setId(id);
        r.setProperties(this.struct(props));
        if (oldInputs) r.setOldInputs(this.struct(oldInputs));
        return this.call("delete", r, () => undefined);
    }
}
