/**
 * Which stand-in runs which resource type. Anything not listed fails the deployment: a
 * silently mocked resource would let a test pass without its effect ever happening.
 */
import { remoteCommand } from "./command";
import { dynamicResource } from "./dynamic";
import type { Handler } from "./handler";
import { certRequest, locallySignedCert, selfSignedCert } from "./tls/certs";
import { privateKey } from "./tls/privateKey";

const BY_TYPE: Record<string, Handler> = {
    "tls:index/privateKey:PrivateKey": privateKey,
    "tls:index/selfSignedCert:SelfSignedCert": selfSignedCert,
    "tls:index/certRequest:CertRequest": certRequest,
    "tls:index/locallySignedCert:LocallySignedCert": locallySignedCert,
    "command:remote:Command": remoteCommand,
};

export function handlerFor(type: string): Handler {
    if (BY_TYPE[type]) {
        return BY_TYPE[type];
    }
    if (type.startsWith("pulumi-nodejs:dynamic/") || type === "pulumi-nodejs:dynamic:Resource") {
        return dynamicResource;
    }
    throw new Error(
        `the harness has no stand-in for resource type ${type}; supported: ${Object.keys(BY_TYPE).join(", ")}, ` +
            `pulumi-nodejs:dynamic/*, and component resources`,
    );
}
