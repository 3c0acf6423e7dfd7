import * as pulumi from "@pulumi/pulumi";

/**
 * The error to throw for bad input. A `ResourceError` with `hideStack`: the language host then
 * prints the message alone, attached to the resource. Without `hideStack` (or with a plain
 * `Error`) it prints `util.inspect(err, { colors: true })` — the stack plus the whole
 * component object the error refers to, ~70 lines with ANSI colour codes even when the output
 * goes to a file — and the message drowns in it.
 *
 * The message cannot be changed afterwards: thrown inside an Output that feeds resource
 * inputs (a check of values only known later), the SDK's serializer prefixes the same error's
 * message with `error serializing property "…": ` once per property and resource it passes
 * through, which buries the cause again.
 */
export function refusal(message: string, resource: pulumi.Resource | undefined): pulumi.ResourceError {
    const e = new pulumi.ResourceError(message, resource, true);
    Object.defineProperty(e, "message", { get: () => message, set: () => undefined, enumerable: false, configurable: false });
    return e;
}
