import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { certificateValidity, keyResource, SERVER_USES, type CertificateNamesArgs, type KeyArgs } from "./keyAndValidity";
import { CA_RENEWAL, renewalHours, renewalProblems } from "./renewal";

export interface CertificateAuthorityArgs extends KeyArgs {
    /** CA subject common name. Defaults to "InfluxDB internal CA". */
    readonly commonName?: pulumi.Input<string>;
    /** CA subject organization. Defaults to none. */
    readonly organization?: pulumi.Input<string>;
    /** CA certificate validity in days. Defaults to 3650. */
    readonly validityDays?: number;
    /**
     * Days before expiry from which `pulumi up` plans a new CA certificate (and so new node
     * certificates); must be shorter than `validityDays`. Defaults to a third of the validity,
     * at most 90 days.
     */
    readonly earlyRenewalDays?: number;
}

/** What `issue` returns for one node. */
export interface IssuedCertificate {
    /** The node's certificate (PEM), signed by the authority. */
    certPem: pulumi.Output<string>;
    /** Secret. */
    keyPem: pulumi.Output<string>;
    /** End of the certificate's validity (RFC 3339). */
    notAfter: pulumi.Output<string>;
}

/**
 * An internal certificate authority (@pulumi/tls key + self-signed CA certificate) that
 * issues per-node certificates with SANs. Clients trust `certPem` — no insecure flags.
 */
export class CertificateAuthority extends pulumi.ComponentResource {
    /** The CA certificate (PEM) clients should trust. */
    public readonly certPem: pulumi.Output<string>;
    /** Expiry of the CA certificate (RFC 3339). */
    public readonly notAfter: pulumi.Output<string>;
    private readonly caKeyPem: pulumi.Output<string>;

    constructor(name: string, args: CertificateAuthorityArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("influxdb-tls:index:CertificateAuthority", name, {}, opts);
        const problems = renewalProblems(`CertificateAuthority ${name}`, args.validityDays, args.earlyRenewalDays, CA_RENEWAL);
        if (problems.length > 0) {
            throw new pulumi.ResourceError(problems.join("\n"), this);
        }
        const key = keyResource(`${name}-key`, args, { parent: this });
        const cert = new tls.SelfSignedCert(`${name}-cert`, {
            privateKeyPem: key.privateKeyPem,
            subject: { commonName: args.commonName ?? "InfluxDB internal CA", organization: args.organization },
            isCaCertificate: true,
            allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
            ...renewalHours(args.validityDays, args.earlyRenewalDays, CA_RENEWAL),
            setSubjectKeyId: true,
        }, { parent: this });
        this.certPem = cert.certPem;
        this.notAfter = cert.validityEndTime;
        this.caKeyPem = key.privateKeyPem;
        this.registerOutputs({ certPem: this.certPem, notAfter: this.notAfter });
    }

    /**
     * Issues a server certificate: `<name>-key`, `<name>-csr` and `<name>` (LocallySignedCert),
     * created under `opts.parent` (the node component that uses it).
     */
    issue(name: string, args: KeyArgs & CertificateNamesArgs & { subject: tls.types.input.CertRequestSubject; minValidityDays?: number },
        opts: pulumi.CustomResourceOptions): IssuedCertificate {
        const key = keyResource(`${name}-key`, args, opts);
        const csr = new tls.CertRequest(`${name}-csr`, {
            privateKeyPem: key.privateKeyPem,
            subject: args.subject,
            dnsNames: args.dnsNames,
            ipAddresses: args.ipAddresses,
        }, opts);
        const cert = new tls.LocallySignedCert(name, {
            certRequestPem: csr.certRequestPem,
            caPrivateKeyPem: this.caKeyPem,
            caCertPem: this.certPem,
            allowedUses: SERVER_USES,
            ...certificateValidity(args, args.minValidityDays),
        }, opts);
        return { certPem: cert.certPem, keyPem: key.privateKeyPem, notAfter: cert.validityEndTime };
    }
}
