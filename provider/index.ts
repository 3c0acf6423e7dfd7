// The package's public surface. Re-exports only.
export { applyTomlSettings, revertTomlSettings, readTomlValues, TomlEditError } from "./toml";
export type { TomlValue, TomlEdit, TomlUndo, TomlUndoKey, TomlUndoTable } from "./toml/types";
export type { TomlApplied } from "./toml/apply";
export { TomlSettings } from "./resources/tomlSettings";
export type { TomlSettingsArgs, ServiceArgs, VerifyCredentialsArgs, ManagedFileArgs, PreflightArgs, HealthGateArgs, TomlKeyArgs } from "./resources/tomlSettings";
export type { ManagedFile, SettingsMap } from "./providers/tomlSettings/types";
export type { SshConnectionArgs } from "./resources/connectionArgs";
export * from "./components";
export { RemoteFile } from "./resources/remoteFile";
export type { RemoteFileArgs } from "./resources/remoteFile";
export { previewMarkdown, rolloutOrder } from "./preview/markdown";
export type { PreviewJson, PreviewStep, PreviewDiagnostic, StepState, MarkdownOptions } from "./preview/markdown";
