/**
 * Certificate churn: a second `pulumi up` of every example must plan nothing for the tls
 * certificates, whatever the validity. The tls provider replaces a certificate on every plan
 * from `validityEndTime - earlyRenewalHours` on (readyForRenewal); with a fixed 30-day early
 * renewal and `validityDays: 30` (examples/self-signed's own stack config) that was every
 * `up` — 9 replacements, every file rewritten, every node restarted (issue 8, seen with the
 * real tls plugin). The provider's plan is the harness's model of it (test/harness/tls).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { certificateDiff } from "../../harness/tls/certs";
import type { ResourceRecord } from "../../harness/types";
import { CA_RENEWAL, NODE_RENEWAL, renewalHours, renewalProblems } from "../../../provider/components/renewal";
import { preflightArgProblems } from "../../../provider/components/preflightArgs";
import { installMocks, type Registered } from "../components/mockWorld";
import { CertificateAuthority } from "../../../provider/components/certificateAuthority";
import { resolveCertificate } from "../../../provider/components/certificate";
import { fakeSandboxState, settle, startExample } from "./exampleWorld";

const EXAMPLES = path.join(__dirname, "../../../examples");
/** The examples' sources (bin-test/test/unit/examples → the repo's examples/). */
const EXAMPLES_SOURCES = path.join(__dirname, "../../../../examples");
const CERT_TYPES = ["tls:index/selfSignedCert:SelfSignedCert", "tls:index/locallySignedCert:LocallySignedCert"];
const sandboxState = fakeSandboxState();
const SAMPLE = [1, 2, 3, 7, 29, 30, 31, 89, 90, 91, 364, 365, 366, 1000, 3650];

/** Runs an example once under mocks (fresh module, fresh config) and returns what it registered. */
async function runExample(name: string, config: Record<string, string>): Promise<Registered[]> {
    const registered = startExample(name, { sandboxState, ...config });
    for (const key of Object.keys(require.cache)) {
        if (key.includes(`${path.sep}examples${path.sep}`)) delete require.cache[key];
    }
    const program = require(path.join(EXAMPLES, name, "index"));
    assert.equal(await settle(program.verified), true);
    return registered;
}

/** The tls provider's plan for each certificate of `second`, against the state `first` left. */
async function plannedReplacements(first: Registered[], second: Registered[], createdAt: number): Promise<string[]> {
    const out: string[] = [];
    for (const r of second.filter((x) => CERT_TYPES.includes(x.type))) {
        const old = first.find((x) => x.type === r.type && x.name === r.name);
        assert.ok(old, `${r.name} registered by both runs`);
        const hours = old.inputs.validityPeriodHours as number;
        const state = { inputs: old.inputs, outputs: { validityEndTime: new Date(createdAt + hours * 3600_000).toISOString() } };
        const plan = await certificateDiff(state as unknown as ResourceRecord, r.inputs);
        if (plan.kind !== "same") out.push(`${r.name}: ${plan.kind} (${plan.keys.join(", ")})`);
    }
    return out;
}

describe("certificate renewal: early renewal is always shorter than the validity", () => {
    it("defaults, for every validity from 1 to 3650 days: nodes (≤ 30 days) and the CA (≤ 90 days)", () => {
        for (let days = 1; days <= 3650; days++) {
            for (const [what, defaults, cap] of [["node", NODE_RENEWAL, 30], ["CA", CA_RENEWAL, 90]] as const) {
                const r = renewalHours(days, undefined, defaults);
                assert.equal(r.validityPeriodHours, days * 24);
                assert.ok(r.earlyRenewalHours < r.validityPeriodHours, `${what} ${days} days: early renewal ${r.earlyRenewalHours} h`);
                assert.ok(r.earlyRenewalHours >= Math.min(cap * 24, Math.floor(days * 8)), `${what} ${days} days: a third of the validity, at most ${cap} days`);
                assert.deepEqual(renewalProblems("x", days, undefined, defaults), []);
            }
        }
        // Unchanged where it was already safe: a year-long node certificate, the 10-year CA.
        assert.equal(renewalHours(undefined, undefined, NODE_RENEWAL).earlyRenewalHours, 30 * 24);
        assert.equal(renewalHours(undefined, undefined, CA_RENEWAL).earlyRenewalHours, 90 * 24);
    });

    it("an explicit early renewal not shorter than the validity is refused, naming both", () => {
        assert.deepEqual(renewalProblems("DataNodeTls data1", 30, 30, NODE_RENEWAL), [
            "DataNodeTls data1: earlyRenewalDays (30) must be shorter than validityDays (30): the tls provider would plan a new certificate on every `pulumi up`, restarting the node each time",
        ]);
        assert.match(renewalProblems("CertificateAuthority ca", undefined, 4000, CA_RENEWAL)[0], /earlyRenewalDays \(4000\) must be shorter than validityDays \(3650, the default\)/);
        assert.deepEqual(renewalProblems("x", 30, 29, NODE_RENEWAL), []);
        assert.deepEqual(renewalProblems("x", 1, 0, NODE_RENEWAL), []);
        assert.match(renewalProblems("x", 0, undefined, NODE_RENEWAL)[0], /validityDays must be a positive whole number of days, got 0/);
        assert.match(renewalProblems("x", 30, 1.5, NODE_RENEWAL)[0], /earlyRenewalDays must be a whole number of days \(0 or more\), got 1\.5/);
    });

    // The preflight refuses a certificate valid for less than minValidityDays (default 7). A
    // 14-day certificate renewed by the third (4.7 days left) spent 2.3 days in which every
    // config change of its node stopped at the preflight: the default now renews at minValidityDays.
    it("the default early renewal is at least the node's minValidityDays, and still shorter than the validity", () => {
        for (let days = 1; days <= 3650; days++) {
            for (const min of [0, 1, 7, 30]) {
                const r = renewalHours(days, undefined, NODE_RENEWAL, min);
                const plain = renewalHours(days, undefined, NODE_RENEWAL);
                assert.ok(r.earlyRenewalHours < r.validityPeriodHours, `${days} days, min ${min}: early renewal ${r.earlyRenewalHours} h`);
                if (min < days) assert.ok(r.earlyRenewalHours >= min * 24, `${days} days, min ${min}: renewed before the preflight refuses it`);
                assert.ok(r.earlyRenewalHours >= plain.earlyRenewalHours, `${days} days, min ${min}: never later than before`);
            }
        }
        assert.equal(renewalHours(14, undefined, NODE_RENEWAL, 7).earlyRenewalHours, 7 * 24);
        assert.equal(renewalHours(14, undefined, NODE_RENEWAL).earlyRenewalHours, 112);
        assert.equal(renewalHours(365, undefined, NODE_RENEWAL, 7).earlyRenewalHours, 30 * 24);
        // An explicit value is the user's: kept as given, but refused when below the minimum.
        assert.equal(renewalHours(14, 3, NODE_RENEWAL, 7).earlyRenewalHours, 3 * 24);
        assert.deepEqual(preflightArgProblems("DataNodeTls data1", {}, { kind: "selfSigned", args: { validityDays: 14, earlyRenewalDays: 3 }, bundle: false }), [
            "DataNodeTls data1: certificate.selfSigned: earlyRenewalDays (3) is shorter than minValidityDays (7, the default): between the two, " +
            "the preflight on the host would refuse the certificate at every config change; renew earlier (earlyRenewalDays ≥ minValidityDays) or lower minValidityDays",
        ]);
        assert.deepEqual(preflightArgProblems("x", { minValidityDays: 3 }, { kind: "selfSigned", args: { validityDays: 14, earlyRenewalDays: 3 }, bundle: false }), []);
    });

    // Every validity from 1 to 3650 days through the tls provider's plan (the harness's model):
    // the inputs the components send (renewalHours), a state made `minutes` earlier.
    it("every validityDays from 1 to 3650, nodes and CA: the tls provider's plan on the next up is no change", async () => {
        for (let days = 1; days <= 3650; days++) {
            for (const defaults of [NODE_RENEWAL, CA_RENEWAL]) {
                const inputs = { ...renewalHours(days, undefined, defaults) };
                for (const minutes of [0, 1, 60]) {
                    const end = Date.now() - minutes * 60_000 + inputs.validityPeriodHours * 3600_000;
                    const state = { inputs, outputs: { validityEndTime: new Date(end).toISOString() } } as unknown as ResourceRecord;
                    assert.deepEqual(await certificateDiff(state, inputs), { kind: "same" }, `${days} days, ${minutes} min later`);
                }
            }
        }
    });

    // The components, twice under mocks: a self-signed node certificate, a CA and a certificate
    // it issues, for a spread of validities (the wiring from validityDays to the provider's inputs).
    it(`components, validityDays ${SAMPLE.join(", ")}: a second up plans no certificate replacement`, async () => {
        const program = () => {
            const certs: pulumi.Output<string>[] = [];
            for (const days of SAMPLE) {
                certs.push(resolveCertificate("test", `n${days}`, { kind: "selfSigned", args: { validityDays: days }, bundle: false }, "10.0.0.1", [], {}).certPem!);
                const ca = new CertificateAuthority(`ca${days}`, { validityDays: days });
                certs.push(ca.issue(`i${days}`, { validityDays: days, subject: { commonName: "x" } }, {}).certPem);
            }
            return settle(pulumi.all(certs));
        };
        const createdAt = Date.now();
        const first = installMocks();
        await program();
        const second = installMocks();
        await program();
        const certs = second.filter((x) => CERT_TYPES.includes(x.type));
        assert.equal(certs.length, 3 * SAMPLE.length);
        for (const days of SAMPLE) {
            const cert = certs.find((c) => c.name === `n${days}-cert`)!;
            assert.deepEqual({ v: cert.inputs.validityPeriodHours, e: cert.inputs.earlyRenewalHours }, { v: days * 24, e: Math.min(30 * 24, days * 8) });
        }
        assert.deepEqual(await plannedReplacements(first, second, createdAt), []);
    });

    // Each example twice under mocks with its committed stack config (Pulumi.sandbox.yaml).
    // examples/ca-signed makes no certificate (it installs provided files): nothing to renew.
    for (const example of ["self-signed", "internal-ca"]) {
        it(`${example}: a second up plans no certificate replacement (Pulumi.sandbox.yaml's config)`, async () => {
            const config = sandboxConfig(example);
            const createdAt = Date.now();
            const first = await runExample(example, config);
            const second = await runExample(example, config);
            const certs = second.filter((x) => CERT_TYPES.includes(x.type));
            assert.equal(certs.length, example === "self-signed" ? 3 : 4, `${example}: certificates registered`);
            assert.deepEqual(await plannedReplacements(first, second, createdAt), [], `${example}: second up`);
        });
    }
});

/** The example's committed stack config for the test hosts, but its state file. */
function sandboxConfig(example: string): Record<string, string> {
    const yaml = fs.readFileSync(path.join(EXAMPLES_SOURCES, example, "Pulumi.sandbox.yaml"), "utf8");
    const config: Record<string, string> = {};
    for (const m of yaml.matchAll(new RegExp(`^\\s+${example}:(\\w+):\\s*(\\S+)\\s*$`, "gm"))) config[m[1]] = m[2];
    assert.ok(config.validityDays, `${example}/Pulumi.sandbox.yaml sets validityDays`);
    delete config.sandboxState;
    return config;
}
