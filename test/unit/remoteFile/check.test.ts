import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkFile } from "../../../provider/providers/remoteFile/operations";
import type { RemoteFileInputs } from "../../../provider/providers/remoteFile/types";

const GOOD: RemoteFileInputs = {
    schemaVersion: 1, connection: { host: "h" }, target: "root@h:22", path: "/etc/ssl/a.crt", content: "x", mode: "0644", owner: "root", group: "root",
};

describe("RemoteFile check", () => {
    it("reports each problem under its own property", () => {
        assert.deepEqual(checkFile(GOOD), []);
        assert.deepEqual(checkFile({ ...GOOD, mode: "0644; id", owner: "a b", group: "", content: 1 as never }).map((f) => f.property),
            ["mode", "owner", "group", "content"]);
    });

    it("a path whose text reads like another property's message is still the path's problem", () => {
        assert.deepEqual(checkFile({ ...GOOD, path: "relative: mode" }).map((f) => f.property), ["path"]);
        assert.deepEqual(checkFile({ ...GOOD, path: "x: owner" }).map((f) => f.property), ["path"]);
    });
});
