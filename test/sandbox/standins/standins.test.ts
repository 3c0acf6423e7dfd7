/**
 * The stand-ins' pure parts against the real shipped default files (test/fixtures): what
 * they accept, default and refuse. Their TLS behaviour is exercised end to end with real
 * certificates in test/integration/standins.test.ts.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { etcHostsFor } from "../services";
import { FlagError, parseGoFlags } from "./goflags";
import { formatShow } from "./metacluster";
import { parseMetaConfig } from "./metaconfig";
import { ConfigError, goDurationMs } from "./tomltypes";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "..", "..", "..", "..", "test", "fixtures", name), "utf8");
const META = fixture("enterprise-1.6.2-influxdb-meta.conf");

describe("stand-in: Go-style flags and durations", () => {
    it("reads -name, --name, -name=value and booleans, stopping at the command", () => {
        const f = parseGoFlags(["--bind=h:1", "-bind-tls", "-k", "show", "-x"], { bools: ["bind-tls", "k"], values: ["bind"] });
        assert.equal(f.values.get("bind"), "h:1");
        assert.deepEqual([...f.bools].sort(), ["bind-tls", "k"]);
        assert.deepEqual(f.rest, ["show", "-x"]);
        assert.throws(() => parseGoFlags(["-insecure"], { bools: ["k"], values: [] }), (e) => e instanceof FlagError && /flag provided but not defined: -insecure/.test(e.message));
    });

    it("parses Go durations", () => {
        assert.equal(goDurationMs("5s"), 5000);
        assert.equal(goDurationMs("1m0s"), 60_000);
        assert.equal(goDurationMs("500ms"), 500);
        assert.equal(goDurationMs("5"), undefined);
        assert.equal(goDurationMs("5x"), undefined);
    });
});

describe("stand-in: influxdb-meta.conf (Enterprise 1.6.2 default)", () => {
    it("gives the real defaults for the shipped file: :8091, HTTPS off", () => {
        assert.deepEqual(parseMetaConfig(META), {
            hostname: "<__HOST_NAME__>",
            httpBindAddress: ":8091",
            httpsEnabled: false,
            httpsCertificate: "",
            httpsPrivateKey: "",
            httpsInsecureTls: false,
        });
    });

    it("ignores unknown keys and sections, rejects wrong types anywhere in the known schema", () => {
        const misspelt = META.replace(`  # https-certificate = ""`, `  http-certificate = "/etc/ssl/x.pem"`);
        assert.equal(parseMetaConfig(misspelt).httpsCertificate, "");
        assert.equal(parseMetaConfig(`${META}\n[http]\n  https-enabled = true\n`).httpsEnabled, false);
        const asInt = META.replace("  # https-enabled = false", "  https-enabled = 1");
        assert.throws(() => parseMetaConfig(asInt), (e) => e instanceof ConfigError && /"meta\.https-enabled"\): incompatible types: TOML value has type int64; destination has type boolean/.test(e.message));
        const badDuration = META.replace(`  # gossip-frequency = "5s"`, `  gossip-frequency = "5 seconds"`);
        assert.throws(() => parseMetaConfig(badDuration), /time: invalid duration "5 seconds"/);
    });
});

describe("sandbox /etc/hosts", () => {
    it("makes localhost the host's address, names every host, keeps the machine's other entries", () => {
        const hosts = [{ name: "meta1", address: "127.0.10.11", roles: ["meta" as const] }, { name: "data1", address: "127.0.10.1", roles: ["data" as const] }];
        const text = etcHostsFor(hosts[0]!, hosts, "127.0.0.1 localhost\n::1 localhost ip6-localhost # v6\n10.0.0.5 box\n");
        const lines = text.split("\n").filter((l) => l && !l.startsWith("#"));
        assert.deepEqual(lines, ["127.0.10.11 localhost", "127.0.10.11 meta1", "127.0.10.1 data1", "::1 ip6-localhost # v6", "10.0.0.5 box"]);
    });
});

describe("stand-in: influxd-ctl show's table (INTERFACES.md §B)", () => {
    it("prints the real sections and columns; unreachable nodes have Version unknown", () => {
        const out = formatShow({
            data: [{ id: 4, tcpAddr: "data1:8088", httpAddr: "data1:8086", version: "unknown", labels: "{}", passive: false }],
            meta: [
                { id: 1, addr: "meta1:8089", httpAddr: "meta1:8091", version: "1.6.2-c1.6.2-standin", labels: "{}" },
                { id: 2, addr: "meta2:8089", httpAddr: "meta2:8091", version: "unknown", labels: "{}" },
            ],
            raft: { leader: "meta1:8089", peers: ["meta2:8089"] },
        });
        assert.equal(out, [
            "Data Nodes",
            "==========",
            "ID   TCP Address   HTTP Address   Version   Labels   Passive",
            "4    data1:8088    data1:8086     unknown   {}       false",
            "",
            "Meta Nodes",
            "==========",
            "ID   Raft Address   HTTP Address   Version                Labels",
            "1    meta1:8089     meta1:8091     1.6.2-c1.6.2-standin   {}",
            "2    meta2:8089     meta2:8091     unknown                {}",
            "",
            "Raft Status",
            "==========",
            "Leader  meta1:8089",
            'Peers   ["meta2:8089"]',
            "",
        ].join("\n"));
    });
});
