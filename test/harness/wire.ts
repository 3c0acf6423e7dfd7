/**
 * Values the way they cross the engine/provider boundary: secrets (wrapped at the top level
 * of each property by the SDK's deserializer), the protobuf Struct round trip every provider
 * call goes through, and the value comparison a diff needs.
 */
import type { Props } from "./types";
import { canonicalJson } from "../../provider/providers/compare";
import { SECRET_SIG, SECRET_VALUE } from "../sdk";

// google-protobuf ships no types here; only fromJavaScript/toJavaScript are used.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const structproto = require("google-protobuf/google/protobuf/struct_pb") as {
    Struct: { fromJavaScript(v: unknown): { toJavaScript(): Props } };
};

function isSecret(v: unknown): v is { value: unknown } {
    return v !== null && typeof v === "object" && (v as Record<string, unknown>)[SECRET_SIG] === SECRET_VALUE;
}

/** Inputs as a mock sees them → plain values plus the names that were secret. */
export function unwrapSecrets(inputs: Props): { plain: Props; secret: string[] } {
    const plain: Props = {};
    const secret: string[] = [];
    for (const [k, v] of Object.entries(inputs)) {
        if (v === undefined) {
            continue; // an unknown value outside preview: the engine would not send the property
        }
        if (isSecret(v)) {
            secret.push(k);
            plain[k] = v.value;
        } else {
            plain[k] = v;
        }
    }
    return { plain, secret };
}

/**
 * Outputs for the program: the engine marks an output secret when the input of the same
 * name was secret or it is listed in additionalSecretOutputs. Mocks do neither on their own,
 * so the wrapping is done here (the SDK's deserializer turns it into a secret Output).
 */
export function wrapSecrets(outputs: Props, secretNames: readonly string[]): Props {
    const out: Props = {};
    for (const [k, v] of Object.entries(outputs)) {
        out[k] = secretNames.includes(k) && v !== undefined ? { [SECRET_SIG]: SECRET_VALUE, value: v } : v;
    }
    return out;
}

/**
 * The protobuf Struct round trip of a provider call: throws on `undefined` values ("Unexpected
 * struct type"), as the real host does on a provider returning them.
 */
export function overTheWire(props: Props, what: string): Props {
    try {
        return structproto.Struct.fromJavaScript(props).toJavaScript();
    } catch (e) {
        throw new Error(`${what}: cannot be sent over gRPC: ${(e as Error).message}`);
    }
}

/** Deep equality of JSON-like values, key order ignored; `undefined` members count as absent. */
export function sameJson(a: unknown, b: unknown): boolean {
    return JSON.stringify(canonicalJson(a)) === JSON.stringify(canonicalJson(b));
}

/** Top-level input names whose values differ. */
export function changedKeys(olds: Props, news: Props): string[] {
    const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
    return [...keys].filter((k) => !sameJson(olds[k], news[k])).sort();
}
