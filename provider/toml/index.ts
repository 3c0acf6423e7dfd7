/**
 * Pure TOML editing for InfluxDB / Telegraf configuration files: no I/O.
 *
 * - applyTomlSettings(text, edits) → { text, undo }: sets keys the way a careful human would
 *   (replace in place; else uncomment the first commented default in that table's own lines;
 *   else add after the table's last line, before the blank lines and banner comments that
 *   introduce the next header; missing tables are appended at the end of the file).
 * - revertTomlSettings(text, undo) → text: puts managed keys back, found by table/index/key.
 * - readTomlValues(text, keys) → current values (undefined = not set), for drift detection.
 * - mergeUndo(older, newer) → one undo record reverting both (state after a failed update).
 *
 * Input is validated with smol-toml first and every result is re-parsed and compared with
 * what it must mean; anything else throws TomlEditError rather than return a wrong file.
 */
export { applyTomlSettings } from "./apply";
export { revertTomlSettings } from "./revert";
export { readTomlValues } from "./read";
export { mergeUndo } from "./undo";
export { TomlEditError } from "./errors";
export type { TomlEdit, TomlUndo, TomlUndoKey, TomlUndoTable, TomlValue } from "./types";
