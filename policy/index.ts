/**
 * The policy pack: `pulumi preview --policy-pack policy/` (after `npm run build`, which compiles
 * it to policy/bin). Configure it with `--policy-pack-config <file.json>`, e.g.
 * `{"influxdb-tls-no-insecure-tls": {"allowInsecureTls": true}, "influxdb-tls-certificate-validity": {"minValidityDays": 30}}`.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("influxdb-tls-policy", { policies });
