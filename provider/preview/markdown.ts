/**
 * A compact pull-request comment from `pulumi preview --json`: every changed TOML key per file
 * per host, the files each config installs (path, mode, owner), the rollout order the
 * dependencies impose, secrets masked. `pulumi preview --diff` of 3 meta + 16 data nodes runs
 * past GitHub's 65,536-character comment limit (1 meta + 16 data + 1 Telegraf, first preview:
 * 69,949 characters); this stays around 600 characters per node.
 *
 * Pure: reads the JSON the CLI prints (secrets already "[secret]" unless --show-secrets), no
 * Pulumi import. The CLI wrapper is cli.ts.
 */

/** The parts of `pulumi preview --json` this reads. */
export interface PreviewJson {
    /** One entry per resource the preview would touch (or leave the same). */
    steps?: PreviewStep[];
    /** Counts per operation, e.g. `{ "create": 9 }`. */
    changeSummary?: Record<string, number>;
    /** Warnings and errors the preview printed. */
    diagnostics?: PreviewDiagnostic[];
}

/** A warning or error in `pulumi preview --json`. */
export interface PreviewDiagnostic {
    /** The text. */
    message?: string;
    /** "warning", "error", … */
    severity?: string;
    /** The resource it is about. */
    urn?: string;
}

/** One step of `pulumi preview --json`. */
export interface PreviewStep {
    /** "create", "update", "delete", "replace", "same", … */
    op: string;
    /** The resource's URN. */
    urn: string;
    /** The resource as stored before (absent on create). */
    oldState?: StepState;
    /** The resource as it would be (absent on delete). */
    newState?: StepState;
    /** Top-level inputs that differ. */
    diffReasons?: string[];
}

/** A resource's state in a preview step (the parts read here). */
export interface StepState {
    /** The resource's URN. */
    urn?: string;
    /** Its type token. */
    type?: string;
    /** Its inputs ("[secret]" for a secret). */
    inputs?: Record<string, unknown>;
    /** The parent's URN. */
    parent?: string;
    /** URNs it depends on. */
    dependencies?: string[];
}

/** TomlSettings' dynamic type token (provider/resources/tomlSettings.ts). */
const TOML_SETTINGS = "pulumi-nodejs:dynamic/influxdb-tls:TomlSettings";
const REMOTE_FILE = "pulumi-nodejs:dynamic/influxdb-tls:RemoteFile";
/** The ClusterTls component: its inputs carry `rolloutOrder`. */
const CLUSTER_TLS = "influxdb-tls:index:ClusterTls";
/** What the CLI prints for a secret. */
const SECRET = "[secret]";
/** Inputs a reviewer reads as keys/files; everything else that changed is listed by name. */
// (An array, not a Set: provider code keeps no module-level Set/Map — test/unit/serializable.test.ts.)
const SHOWN: readonly string[] = ["settings", "files", "fileContents", "connection", "target", "path", "__provider", "schemaVersion", "service"];
const OP_SIGN: Record<string, string> = {
    create: "+", update: "~", delete: "-", replace: "+-", "create-replacement": "+-", "delete-replaced": "-", same: "=", read: ">", refresh: "~",
};

/** How the markdown is headed and where it links. */
export interface MarkdownOptions {
    /** Heading, e.g. "pulumi preview — stack prod". */
    title?: string;
    /** Where the full `pulumi preview --diff` is (e.g. the workflow run's URL), linked at the end. */
    fullDiffUrl?: string;
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** A value as TOML-ish text; secrets stay "[secret]". */
function show(v: unknown): string {
    if (v === SECRET) return SECRET;
    if (typeof v === "string") return JSON.stringify(v);
    if (v === undefined) return "(unset)";
    return JSON.stringify(v);
}

function tableName(table: string): string {
    const m = /^(.*)#(\d+)$/.exec(table);
    return m ? `[[${m[1]}]] #${Number(m[2]) + 1}` : `[${table}]`;
}

type Settings = Record<string, Record<string, unknown>>;

function asSettings(v: unknown): Settings {
    return v && typeof v === "object" ? (v as Settings) : {};
}

/** Changed keys between two settings maps: "[http] https-enabled: false → true". All keys when old is undefined. */
function settingLines(oldS: Settings | undefined, newS: Settings | undefined): string[] {
    const out: string[] = [];
    const tables = [...new Set([...Object.keys(oldS ?? {}), ...Object.keys(newS ?? {})])];
    for (const t of tables) {
        const o = oldS?.[t] ?? {};
        const n = newS?.[t] ?? {};
        for (const k of [...new Set([...Object.keys(o), ...Object.keys(n)])]) {
            const ov = (o as Record<string, unknown>)[k];
            const nv = (n as Record<string, unknown>)[k];
            if (oldS === undefined) out.push(`\`${tableName(t)} ${k}\` = ${show(nv)}`);
            else if (newS === undefined) out.push(`\`${tableName(t)} ${k}\` reverted (was ${show(ov)})`);
            else if (JSON.stringify(ov) !== JSON.stringify(nv)) {
                out.push(nv === undefined ? `\`${tableName(t)} ${k}\` reverted (was ${show(ov)})` : `\`${tableName(t)} ${k}\`: ${show(ov)} → ${show(nv)}`);
            }
        }
    }
    return out;
}

interface FileEntry { path: string; mode: string; owner: string; group: string }

function filesText(files: unknown): string {
    if (files === SECRET) return SECRET;
    if (!Array.isArray(files)) return "";
    return (files as FileEntry[]).map((f) => `${f.path} ${f.mode} ${f.owner}:${f.group}`).join("; ");
}

/**
 * The order configs are applied in, as waves: a config runs after every config it depends on,
 * directly or through a component (a component's dependents wait for all its children).
 */
export function rolloutOrder(steps: PreviewStep[]): string[][] {
    const state = (s: PreviewStep) => s.newState ?? s.oldState;
    const byUrn = new Map(steps.map((s) => [s.urn, s]));
    const children = new Map<string, string[]>();
    for (const s of steps) {
        const p = state(s)?.parent;
        if (p) children.set(p, [...(children.get(p) ?? []), s.urn]);
    }
    const configs = steps.filter((s) => state(s)?.type === TOML_SETTINGS && s.op !== "same").map((s) => s.urn);
    const isConfig = new Set(configs);
    /** Configs under a resource (itself included). */
    const configsUnder = (urn: string, seen = new Set<string>()): string[] => {
        if (seen.has(urn)) return [];
        seen.add(urn);
        return [...(isConfig.has(urn) ? [urn] : []), ...(children.get(urn) ?? []).flatMap((c) => configsUnder(c, seen))];
    };
    /** Configs a resource waits for: its dependencies (and their configs), and those of its ancestors. */
    const waitsFor = (urn: string): string[] => {
        const out: string[] = [];
        for (let u: string | undefined = urn; u; u = state(byUrn.get(u) ?? ({} as PreviewStep))?.parent) {
            for (const d of state(byUrn.get(u) ?? ({} as PreviewStep))?.dependencies ?? []) out.push(...configsUnder(d));
        }
        return out.filter((c) => c !== urn);
    };
    const level = new Map<string, number>();
    const visiting = new Set<string>();
    const levelOf = (urn: string): number => {
        const known = level.get(urn);
        if (known !== undefined) return known;
        if (visiting.has(urn)) return 0; // a cycle cannot be registered; be safe anyway
        visiting.add(urn);
        const l = 1 + Math.max(0, ...waitsFor(urn).map(levelOf));
        visiting.delete(urn);
        level.set(urn, l);
        return l;
    };
    const waves: string[][] = [];
    for (const c of configs) {
        const l = levelOf(c);
        (waves[l - 1] ??= []).push(nameOf(c));
    }
    return waves.filter((w) => w !== undefined).map((w) => w.sort(byName));
}

/** "data2" before "data10". */
const byName = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });

/** The comment's markdown. */
export function previewMarkdown(preview: PreviewJson, options: MarkdownOptions = {}): string {
    const steps = preview.steps ?? [];
    const out: string[] = [];
    out.push(`### ${options.title ?? "pulumi preview"}`);
    const summary = Object.entries(preview.changeSummary ?? {}).filter(([op]) => op !== "same").map(([op, n]) => `${n} to ${op}`);
    out.push(summary.length ? `Resources: ${summary.join(", ")}${preview.changeSummary?.same ? `, ${preview.changeSummary.same} unchanged` : ""}` : "No changes.");

    const waves = rolloutOrder(steps);
    // ClusterTls states its order as an input ("1. meta meta1", …): shown as it says it.
    const clusters = steps.filter((s) => (s.newState ?? s.oldState)?.type === CLUSTER_TLS && Array.isArray((s.newState ?? s.oldState)?.inputs?.rolloutOrder));
    for (const c of clusters) {
        out.push("", `**Rollout order** of ClusterTls ${nameOf(c.urn)} (destroy runs it bottom-up):`);
        for (const line of (c.newState ?? c.oldState)!.inputs!.rolloutOrder as unknown[]) out.push(String(line));
    }
    if (waves.length && clusters.length === 0) {
        out.push("", "**Rollout order** (each step waits for the one before; nodes in one step restart at the same time):");
        waves.forEach((w, i) => out.push(`${i + 1}. ${w.join(", ")}`));
    }

    // In rollout order, then by name: the JSON lists steps in the order the program happened to register them.
    const position = new Map(waves.flatMap((w, i) => w.map((n) => [n, i] as const)));
    const changed = steps.filter((s) => s.op !== "same" && [TOML_SETTINGS, REMOTE_FILE].includes((s.newState ?? s.oldState)?.type ?? ""))
        .sort((a, b) => ((position.get(nameOf(a.urn)) ?? -1) - (position.get(nameOf(b.urn)) ?? -1)) || byName(nameOf(a.urn), nameOf(b.urn)));
    if (changed.length) out.push("", "**Changes per host and file** (secrets shown as `[secret]`):");
    for (const s of changed) {
        const st = (s.newState ?? s.oldState)!;
        const inputs = st.inputs ?? {};
        const oldIn = s.oldState?.inputs;
        const sign = OP_SIGN[s.op] ?? s.op;
        out.push("", `\`${sign}\` **${nameOf(s.urn)}** · ${inputs.target ?? oldIn?.target ?? "?"} · \`${inputs.path ?? oldIn?.path ?? "?"}\` (${s.op})`);
        const lines: string[] = [];
        if (st.type === TOML_SETTINGS) {
            const creating = s.op === "create" || oldIn === undefined;
            const deleting = s.op === "delete" || s.op === "delete-replaced";
            lines.push(...settingLines(creating ? undefined : asSettings(oldIn?.settings), deleting ? undefined : asSettings(s.newState?.inputs?.settings)));
            const nf = filesText(s.newState?.inputs?.files);
            const of = filesText(oldIn?.files);
            if (!deleting && nf && (creating || nf !== of)) lines.push(`files: ${nf}${creating || !of ? "" : ` (was: ${of})`}`);
            if (deleting && of) lines.push(`files put back: ${of}`);
        } else {
            lines.push(`file ${inputs.mode ?? "?"} ${inputs.owner ?? "?"}:${inputs.group ?? "?"}`);
        }
        const secrets = ["connection", "fileContents", "content", "verifyCredentials"].filter((k) => inputs[k] !== undefined)
            .map((k) => `${k}: ${inputs[k] === SECRET ? SECRET : "(not secret!)"}${s.diffReasons?.includes(k) ? " (changed)" : ""}`);
        if (secrets.length) lines.push(secrets.join(" · "));
        const other = (s.diffReasons ?? []).filter((k) => !SHOWN.includes(k) && !["content", "verifyCredentials"].includes(k));
        if (s.diffReasons?.includes("service")) other.unshift("service (restart/verify commands)");
        if (other.length) lines.push(`also changed: ${other.join(", ")}`);
        for (const l of lines) out.push(`- ${l}`);
    }
    const errors = (preview.diagnostics ?? []).filter((d) => d.severity === "error");
    if (errors.length) {
        out.push("", "**Errors:**");
        for (const d of errors) out.push(`- ${(d.message ?? "").trim().split("\n")[0]}`);
    }
    if (options.fullDiffUrl) out.push("", `Full \`pulumi preview --diff\`: ${options.fullDiffUrl}`);
    return `${out.join("\n")}\n`;
}
