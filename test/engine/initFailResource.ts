/**
 * A throwaway dynamic resource written into the consumer project, whose create throws an
 * error carrying `id`, `properties` and `reasons`: the host turns exactly that into
 * ErrorResourceInitFailed (the engine then records the partial state). TomlSettings does this
 * only when a failed create cannot put the node back (engine.test.ts covers that case too);
 * this resource shows the host's mechanics alone, including the trap of properties without
 * `__provider`. Its delete writes `props.marker` so the test can see that a Delete with the
 * recorded properties really ran the provider.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Consumer } from "./consumer";
import type { ResourceSpec } from "./serialize";

const SOURCE = `"use strict";
const pulumi = require("@pulumi/pulumi");
const provider = {
    async create(inputs) {
        const err = new Error("InitFail " + inputs.label + ": created but never became healthy");
        err.id = "half-" + inputs.label;
        // inputs carry __provider (the host passes it in); recording them keeps it in state.
        err.properties = Object.assign({}, inputs, { state: "partial" });
        err.reasons = ["service did not start", "verify timed out"];
        throw err;
    },
    async delete(id, props) {
        require("fs").writeFileSync(props.marker, "deleted " + id + " " + props.state);
    },
};
class InitFail extends pulumi.dynamic.Resource {
    constructor(name, args, opts) {
        super(provider, name, Object.assign({}, args, { state: undefined }), opts, "engine-test", "InitFail");
    }
}
module.exports = { InitFail };
`;

export const INIT_FAIL_TYPE = "pulumi-nodejs:dynamic/engine-test:InitFail";

/** Writes the module into the consumer (idempotent) and returns a spec for serializeInConsumer. */
export function initFailSpec(consumer: Consumer, name: string, marker: string): ResourceSpec {
    fs.writeFileSync(path.join(consumer.dir, "init-fail-resource.js"), SOURCE);
    return { module: "./init-fail-resource.js", exportName: "InitFail", name, args: { label: name, marker } };
}
