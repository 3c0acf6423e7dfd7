export { applyTomlSettings } from "./apply";
export { revertTomlSettings } from "./revert";
export { readTomlValues } from "./read";
export { TomlEditError } from "./errors";
export type { TomlEdit, TomlUndo, TomlUndoKey, TomlUndoTable, TomlValue } from "./types";
