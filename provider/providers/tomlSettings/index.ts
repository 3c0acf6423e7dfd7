export * from "./types";
export { TomlSettingsProvider } from "./provider";
export { checkInputs, valueProblem } from "./check";
export { diffInputs, diffSettings, sameValue } from "./diff";
export { editsToSettings, settingsToEdits, settingsKey, parseSettingsKey, mapKeyIn, ROOT_TABLE } from "./settings";
export { UNKNOWN } from "./unknown";
