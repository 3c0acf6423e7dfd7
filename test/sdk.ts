/**
 * Test helpers around the Pulumi SDK, shared by the unit, harness, engine and CLI tests: how a
 * secret looks in mocks, on the wire and in state, and waiting for an Output's value.
 */
import * as pulumi from "@pulumi/pulumi";

/** The key of the object a secret is wrapped in: `{ [SECRET_SIG]: SECRET_VALUE, value }`. */
export const SECRET_SIG = pulumi.runtime.specialSigKey;

/** What SECRET_SIG holds in a wrapped secret. */
export const SECRET_VALUE = pulumi.runtime.specialSecretSig;

/** Resolves when the output has a value (also waits for the resource registrations behind it). */
export function settle<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => o.apply((v) => { resolve(v); return v; }));
}
