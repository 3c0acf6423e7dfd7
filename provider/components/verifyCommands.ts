import * as pulumi from "@pulumi/pulumi";
import { META_HTTP_PORT } from "../influx/defaults";
import type { CertificateMaterial } from "./certificate";
import type { NodePaths } from "./nodeTls";

/**
 * The guide's verification commands, run on the node itself. When a CA is known it is
 * trusted through SSL_CERT_FILE (Go's crypto honours it), so no insecure flag is needed;
 * only a self-signed certificate without a CA gets `-k` / `-unsafeSsl`.
 */
function trustPrefix(paths: NodePaths): string[] {
    return paths.ca ? ["env", `SSL_CERT_FILE=${paths.ca}`] : [];
}

/** `influx -ssl [-unsafeSsl] -host <hostname> -execute 'SHOW DATABASES'`. */
export function dataVerify(hostname: pulumi.Input<string>, paths: NodePaths, m: CertificateMaterial): pulumi.Output<string[]> {
    return pulumi.output(hostname).apply((h) => [
        ...trustPrefix(paths), "influx", "-ssl", ...(m.selfSigned ? ["-unsafeSsl"] : []), "-host", h, "-execute", "SHOW DATABASES",
    ]);
}

export function dataRevertVerify(hostname: pulumi.Input<string>): pulumi.Output<string[]> {
    return pulumi.output(hostname).apply((h) => ["influx", "-host", h, "-execute", "SHOW DATABASES"]);
}

/**
 * `influxd-ctl -bind <hostname>:8091 -bind-tls [-k] show`. The explicit -bind checks the
 * name clients use (the default, localhost:8091, is covered by the localhost SAN too).
 */
export function metaVerify(hostname: pulumi.Input<string>, paths: NodePaths, m: CertificateMaterial): pulumi.Output<string[]> {
    return pulumi.output(hostname).apply((h) => [
        ...trustPrefix(paths), "influxd-ctl", "-bind", `${h}:${META_HTTP_PORT}`, "-bind-tls", ...(m.selfSigned ? ["-k"] : []), "show",
    ]);
}

export function metaRevertVerify(hostname: pulumi.Input<string>): pulumi.Output<string[]> {
    return pulumi.output(hostname).apply((h) => ["influxd-ctl", "-bind", `${h}:${META_HTTP_PORT}`, "show"]);
}
