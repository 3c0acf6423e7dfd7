/** A TOML value this package can write: strings, numbers, booleans and arrays of them. */
export type TomlValue = string | number | boolean | TomlValue[];

/** One table's worth of settings to enforce. */
export interface TomlEdit {
    /** Dotted table path: "http", "meta", "outputs.influxdb"; "" is the root table. */
    table: string;
    /** Entry of an array of tables (`[[outputs.influxdb]]`). Defaults to 0. */
    index?: number;
    /** Keys to set in that table, with their values. */
    set: Record<string, TomlValue>;
}

/**
 * What `applyTomlSettings` changed, so `revertTomlSettings` can put it back.
 * Plain JSON (it is stored in Pulumi state); `version` lets later releases read what
 * older ones stored.
 */
export interface TomlUndo {
    /** Format of this record; 1 is the only one so far. */
    version: 1;
    /** One entry per managed key, in the order the edits named them. */
    keys: TomlUndoKey[];
    /** Tables that apply created (header lines to remove on revert when they hold nothing else). */
    createdTables: TomlUndoTable[];
}

/** A table header that applyTomlSettings inserted. */
export interface TomlUndoTable {
    /** Dotted table path, as in TomlEdit. */
    table: string;
    /** Entry of an array of tables (0 for a plain table). */
    index: number;
    /** The exact header line that was inserted, without line ending. */
    header: string;
}

/** One managed key: where it is and how it looked before applyTomlSettings. */
export interface TomlUndoKey {
    /** Dotted table path, as in TomlEdit. */
    table: string;
    /** Entry of an array of tables (0 for a plain table). */
    index: number;
    /** The key within the table. */
    key: string;
    /**
     * How the key looked before:
     * - "absent": no line for it; revert removes the line apply added.
     * - "active": an active line; revert puts `line` back.
     * - "commented": apply uncommented the commented default `line`; revert puts it back.
     */
    prior: "absent" | "active" | "commented";
    /** The original line (without line ending) for "active" and "commented". */
    line?: string;
    /**
     * The line apply wrote (without line ending), kept so state shows what was set. Revert does
     * not use it: it finds the key by table/index/key, so a line edited since is still found.
     */
    written: string;
}
