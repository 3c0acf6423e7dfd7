import * as pulumi from "@pulumi/pulumi";
import type { BuiltNode } from "./nodeTls";

/** Outputs every node component (meta node, data node) has. */
export abstract class NodeTlsComponent extends pulumi.ComponentResource {
    /** https://<hostname>:<port> */
    public readonly url!: pulumi.Output<string>;
    /** SHA-256 fingerprint of the installed certificate ("AB:CD:…"; undefined for onHost certificates). */
    public readonly certificateSha256Fingerprint!: pulumi.Output<string | undefined>;
    /** Certificate expiry, RFC 3339 (undefined for onHost certificates). */
    public readonly notAfter!: pulumi.Output<string | undefined>;
    /** True once the verify command succeeded after the restart. */
    public readonly verified!: pulumi.Output<boolean>;
    /** The keys set, per table, as applied (after a refresh: as found on the host). */
    public readonly settings!: pulumi.Output<Record<string, Record<string, unknown>>>;
    /** The CA certificate clients should trust, when known (issuedBy, or provided/onHost with a CA). */
    public readonly caCertificatePem!: pulumi.Output<string | undefined>;
    /** Whether `caCertificatePem` has a value (known at construction, so clients can decide what to install). */
    public readonly hasCaCertificate!: boolean;
    /** Whether clients must skip verification (self-signed, no CA). */
    public readonly selfSigned!: boolean;

    /** Sets the outputs from the built node and registers them. */
    protected finish(built: BuiltNode, port: number): void {
        const self = this as { -readonly [K in keyof NodeTlsComponent]: NodeTlsComponent[K] };
        self.url = pulumi.interpolate`https://${built.hostname}:${port}`;
        self.certificateSha256Fingerprint = built.certificateSha256Fingerprint;
        self.notAfter = built.notAfter;
        self.verified = built.verified;
        self.settings = built.config.settings;
        self.caCertificatePem = built.material.caPem ?? pulumi.output(undefined);
        self.hasCaCertificate = built.material.caPem !== undefined;
        self.selfSigned = built.material.selfSigned;
        this.registerOutputs({
            url: this.url, certificateSha256Fingerprint: this.certificateSha256Fingerprint,
            notAfter: this.notAfter, verified: this.verified, settings: this.settings,
        });
    }
}
