/**
 * What the harness records. Plain data, so tests can assert on it and print it.
 */

/** Plain property bag as the engine hands it to providers (no Outputs, secrets unwrapped). */
export type Props = Record<string, unknown>;

/** What a RegisterResource call tells the engine about a resource, besides its inputs. */
export interface RegisteredResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    /** Custom (provider-managed) resource; false for ComponentResources. */
    readonly custom: boolean;
    /** Parent URN ("" for none). */
    readonly parent: string;
    /** URNs this resource depends on (dependsOn plus every input's dependencies), as sent to the engine. */
    readonly dependencies: readonly string[];
    /** Per-input dependencies, as sent to the engine. */
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    /** Resource options the engine acts on. */
    readonly options: ResourceOptionsSeen;
}

/** One resource in the harness's state, as the engine would store it. */
export interface ResourceRecord extends RegisteredResource {
    /** Provider id ("" for components and until created). */
    id: string;
    /** Inputs with secrets unwrapped (after `check` for dynamic resources). */
    inputs: Props;
    /** Names of inputs that arrived as secrets. */
    secretInputs: readonly string[];
    /** Outputs (state) with secrets unwrapped. */
    outputs: Props;
    /** Names of outputs returned to the program as secrets (secret inputs + additionalSecretOutputs). */
    secretOutputs: readonly string[];
}

/** The resource options carried by RegisterResourceRequest that change what the engine does. */
export interface ResourceOptionsSeen {
    readonly deleteBeforeReplace: boolean;
    readonly replaceOnChanges: readonly string[];
    readonly ignoreChanges: readonly string[];
    readonly additionalSecretOutputs: readonly string[];
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    /** The replacementTrigger option (plain JSON; undefined when not set). */
    readonly replacementTrigger?: unknown;
}

/** What the engine did to one resource in one run. */
export type StepOp =
    | "create"
    | "same"
    | "update"
    /** Create of the replacement (create-before-delete). */
    | "create-replacement"
    /** Delete of the replaced resource, at the end of the run (create-before-delete). */
    | "delete-replaced"
    /** deleteBeforeReplace: the old one is deleted first, then `create` runs. */
    | "delete-before-replace"
    | "delete"
    /** Refresh: the provider's Read. */
    | "read"
    | "component";

export interface StepRecord {
    readonly op: StepOp;
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    /** Wall time of the provider operation. */
    readonly ms: number;
    /** SSH connections opened (completed ssh2 handshakes, whoever made them). Undefined when `parallel` hides attribution. */
    readonly sshConnections?: number;
    /** Remote commands started (ssh2 exec requests). Undefined when `parallel`. */
    readonly sshCommands?: number;
    /** What ran, for commands: the exact shell string (never stdin). */
    readonly detail?: string;
    /** Error message when the step failed. */
    readonly error?: string;
}

/** One harness run (`up`, `update` or `destroy`). */
export interface RunLog {
    readonly kind: "up" | "update" | "destroy" | "refresh";
    readonly steps: StepRecord[];
    readonly wallMs: number;
    readonly sshConnections: number;
    readonly sshCommands: number;
}

export interface RunOptions {
    /** Project and stack names for URNs. Defaults "harness" / "test". */
    readonly project?: string;
    readonly stack?: string;
    /**
     * Allow remote.Command without `connection.hostKey` (the real provider then accepts any
     * host key). Default false: such a Command fails, because components must pin host keys.
     */
    readonly allowInsecureHostKey?: boolean;
    /**
     * Run independent resources concurrently, like the engine's default. Default false (like
     * `pulumi up --parallel 1`): operations run one at a time in dependency order, so SSH
     * counts and wall time can be attributed to each resource.
     */
    readonly parallel?: boolean;
    /**
     * Like `pulumi up --continue-on-error`: after a failure, operations of resources that do
     * not depend on the failed one still start. Default false, the engine's default: the
     * operations in flight finish, no new one starts, and a resource not reached keeps its state.
     */
    readonly continueOnError?: boolean;
    /** Seconds a remote.Command may run before the harness aborts it. Default 300 (the real provider has no limit). */
    readonly commandTimeoutSeconds?: number;
    /** Progress lines (one per step). Default: none. */
    readonly log?: (line: string) => void;
}
