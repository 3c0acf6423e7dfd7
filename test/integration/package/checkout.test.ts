/**
 * Installing from a local checkout (issue 12 §4), through the engine harness: a consumer
 * project whose package.json has `"pulumi-influxdb-tls": "file:<checkout>"` (npm links it) is
 * refused at once, when the program constructs the first resource, with what to do instead —
 * before, every preview failed later inside the provider with `Cannot find module
 * 'smol-toml'`. The way the README gives instead, `npm install --install-links <checkout>`,
 * installs a copy: the SDK serializes the provider as requires into the package, and the
 * SDK's dynamic-provider host loads and runs it (Check, Diff) in the consumer.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { consumerProject } from "../../engine/consumer";
import { DynamicProviderHost } from "../../engine/host";
import { packageRequires, serializeInConsumer, type ResourceSpec } from "../../engine/serialize";
import { HOST_KEY } from "../../unit/components/fixtures";

const TOML_TYPE = "pulumi-nodejs:dynamic/influxdb-tls:TomlSettings";
const spec: ResourceSpec = {
    module: "pulumi-influxdb-tls", exportName: "TomlSettings", name: "conf",
    args: {
        connection: { host: "127.0.0.1", privateKey: "not used by check or diff", hostKey: HOST_KEY },
        path: "/etc/influxdb/influxdb.conf",
        edits: [{ table: "http", set: { "https-enabled": true } }],
        service: { restart: ["systemctl", "restart", "influxdb"] },
    },
};

describe("installing from a checkout: file: link refused at once, --install-links works", { timeout: 300_000 }, () => {
    let host: DynamicProviderHost | undefined;
    after(async () => host?.stop());

    it("a file: dependency (npm symlink) fails at construction with a message naming npm pack and --install-links", () => {
        const consumer = consumerProject({ install: "link", log: (l) => console.log(`consumer: ${l}`) });
        console.log(`linked consumer ${consumer.dir} in ${consumer.setupMs} ms`);
        assert.ok(fs.lstatSync(path.join(consumer.dir, "node_modules", "pulumi-influxdb-tls")).isSymbolicLink());
        const t = Date.now();
        assert.throws(() => serializeInConsumer(consumer, [spec]), (e: Error & { stderr?: string }) => {
            const err = String(e.stderr ?? e.message);
            assert.match(err, /pulumi-influxdb-tls is loaded from \/\S+, outside any node_modules \(a `file:` dependency on a checkout, which npm links\)/);
            assert.match(err, /cannot find smol-toml, ssh2, toml-eslint-parser from the program's directory/);
            assert.match(err, /`npm pack` in the checkout and `npm install <path>\/pulumi-influxdb-tls-<version>\.tgz`, or `npm install --install-links <checkout>`/);
            assert.doesNotMatch(err, /Cannot find module/);
            return true;
        });
        console.log(`refused in ${Date.now() - t} ms (one node process loading @pulumi/pulumi)`);
    });

    it("npm install --install-links <checkout>: a real copy; the engine's host loads the serialized provider and runs Check and Diff", async () => {
        const consumer = consumerProject({ install: "install-links", log: (l) => console.log(`consumer: ${l}`) });
        console.log(`install-links consumer ${consumer.dir} in ${consumer.setupMs} ms`);
        const installed = path.join(consumer.dir, "node_modules", "pulumi-influxdb-tls");
        assert.equal(fs.lstatSync(installed).isSymbolicLink(), false);
        assert.ok(fs.existsSync(path.join(installed, "bin", "index.js")));
        const [s] = serializeInConsumer(consumer, [spec]);
        assert.equal(s.type, TOML_TYPE);
        assert.ok(packageRequires(s.provider).length > 0, "the provider requires pulumi-influxdb-tls/bin/…, nothing inlined");
        assert.doesNotMatch(s.provider, /require\("(ssh2|smol-toml)"\)/);
        host = await DynamicProviderHost.start(consumer);
        const urn = host.urn(TOML_TYPE, "conf");
        const checked = await host.check(urn, {}, s.inputs);
        assert.deepEqual(checked.failures, []);
        const diff = await host.diff(urn, "id", checked.inputs, checked.inputs, checked.inputs);
        assert.notEqual(diff.changes, true);
    });
});
