/**
 * KapacitorInfluxdbTls's edits on Kapacitor's real default kapacitor.conf (v1.8.3, see
 * test/fixtures/README.md), and the data node's `[subscriber]` keys on the real influxdb.conf
 * files: applied, re-parsed with smol-toml, reverted byte for byte.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse } from "smol-toml";
import { kapacitorHttpsEdit, kapacitorInfluxdbEdit, subscriberEdit, subscriberProblems, KAPACITOR } from "../../../provider/influx";
import { applyTomlSettings, revertTomlSettings } from "../../../provider/toml";

const FIXTURES = path.join(__dirname, "..", "..", "..", "..", "test", "fixtures");
const KAPACITOR_CONF = fs.readFileSync(path.join(FIXTURES, "kapacitor-1.8.3.conf"), "utf8");
const URLS = ["https://data1.example:8086", "https://data2.example:8086"];

type Conf = Record<string, any>;
const changedLines = (a: string, b: string) => {
    const x = a.split("\n"), y = b.split("\n");
    assert.equal(x.length, y.length, "no line added or removed");
    return x.flatMap((l, i) => (l === y[i] ? [] : [`${l.trim()} -> ${y[i].trim()}`]));
};

describe("Kapacitor [[influxdb]] on the real default kapacitor.conf 1.8.3", () => {
    it("CA trust: urls https, ssl-ca uncommented in place, insecure-skip-verify false, subscription-protocol https", () => {
        const edit = kapacitorInfluxdbEdit({ urls: URLS, trust: { how: "ca" }, caPath: KAPACITOR.caPath, subscriptionProtocol: "https" });
        const { text, undo } = applyTomlSettings(KAPACITOR_CONF, [edit]);
        const conf = parse(text) as Conf;
        const before = parse(KAPACITOR_CONF) as Conf;
        const entry = conf.influxdb[0];
        assert.deepEqual(entry.urls, URLS);
        assert.equal(entry["ssl-ca"], "/etc/kapacitor/influxdb-ca.pem");
        assert.equal(entry["insecure-skip-verify"], false);
        assert.equal(entry["subscription-protocol"], "https");
        // The sub-tables of the entry and every other table mean what they meant.
        assert.deepEqual(entry.subscriptions, before.influxdb[0].subscriptions);
        assert.deepEqual(entry["excluded-subscriptions"], before.influxdb[0]["excluded-subscriptions"]);
        for (const k of Object.keys(before).filter((k) => k !== "influxdb")) assert.deepEqual(conf[k], before[k], k);
        const { urls: _u, "ssl-ca": _c, "subscription-protocol": _p, ...rest } = entry;
        const { urls: _u0, "subscription-protocol": _p0, ...rest0 } = before.influxdb[0];
        assert.deepEqual(rest, rest0, "no other key of the entry changed");
        // Edited in place, as a human would: the commented default uncommented, values replaced.
        assert.deepEqual(changedLines(KAPACITOR_CONF, text), [
            'urls = ["http://localhost:8086"] -> urls = ["https://data1.example:8086", "https://data2.example:8086"]',
            '#   ssl-ca = "/etc/kapacitor/ca.pem" -> ssl-ca = "/etc/kapacitor/influxdb-ca.pem"',
            'subscription-protocol = "http" -> subscription-protocol = "https"',
        ]);
        assert.equal(revertTomlSettings(text, undo), KAPACITOR_CONF);
    });

    it("insecure only when asked: insecure-skip-verify = true, no ssl-ca; 'unchanged' leaves subscription-protocol alone", () => {
        const edit = kapacitorInfluxdbEdit({ urls: URLS, trust: { how: "insecure" }, caPath: KAPACITOR.caPath });
        const { text, undo } = applyTomlSettings(KAPACITOR_CONF, [edit]);
        const entry = (parse(text) as Conf).influxdb[0];
        assert.equal(entry["insecure-skip-verify"], true);
        assert.equal(entry["ssl-ca"], undefined);
        assert.equal(entry["subscription-protocol"], "http");
        assert.equal(revertTomlSettings(text, undo), KAPACITOR_CONF);
    });

    it("system roots: no ssl-ca, insecure-skip-verify set back to false in a file that had it true", () => {
        const insecure = KAPACITOR_CONF.replace("  insecure-skip-verify = false", "  insecure-skip-verify = true");
        assert.notEqual(insecure, KAPACITOR_CONF);
        const { text, undo } = applyTomlSettings(insecure, [kapacitorInfluxdbEdit({ urls: URLS, trust: { how: "systemRoots" }, caPath: KAPACITOR.caPath })]);
        const entry = (parse(text) as Conf).influxdb[0];
        assert.equal(entry["insecure-skip-verify"], false);
        assert.equal(entry["ssl-ca"], undefined);
        assert.equal(revertTomlSettings(text, undo), insecure);
    });

    it("Kapacitor's own API on HTTPS ([http]): https-enabled true, https-certificate replaced, https-private-key uncommented", () => {
        const { text, undo } = applyTomlSettings(KAPACITOR_CONF, [
            kapacitorHttpsEdit({ certificatePath: "/etc/ssl/kapacitor.crt", privateKeyPath: "/etc/ssl/kapacitor.key" }),
        ]);
        const http = (parse(text) as Conf).http;
        assert.deepEqual([http["https-enabled"], http["https-certificate"], http["https-private-key"]], [true, "/etc/ssl/kapacitor.crt", "/etc/ssl/kapacitor.key"]);
        assert.deepEqual(changedLines(KAPACITOR_CONF, text), [
            "https-enabled = false -> https-enabled = true",
            'https-certificate = "/etc/ssl/kapacitor.pem" -> https-certificate = "/etc/ssl/kapacitor.crt"',
            '# https-private-key = "" -> https-private-key = "/etc/ssl/kapacitor.key"',
        ]);
        assert.equal(revertTomlSettings(text, undo), KAPACITOR_CONF);
    });

    it("a second [[influxdb]] entry: index 1 is changed, entry 0 is not", () => {
        const two = `${KAPACITOR_CONF}\n[[influxdb]]\n  enabled = true\n  name = "cluster2"\n  urls = ["http://c2:8086"]\n`;
        const { text, undo } = applyTomlSettings(two, [kapacitorInfluxdbEdit({ index: 1, urls: URLS, trust: { how: "ca" }, caPath: "/x/ca.pem", subscriptionProtocol: "https" })]);
        const conf = parse(text) as Conf;
        assert.deepEqual(conf.influxdb[0].urls, ["http://localhost:8086"]);
        assert.deepEqual(conf.influxdb[1].urls, URLS);
        assert.equal(conf.influxdb[1]["ssl-ca"], "/x/ca.pem");
        assert.equal(revertTomlSettings(text, undo), two);
    });
});

describe("data node [subscriber] for an HTTPS Kapacitor, on the real influxdb.conf files", () => {
    for (const file of ["debian-influxdb-1.6.7.conf", "enterprise-1.6.2-influxdb.conf"]) {
        it(`${file}: ca-certs and insecure-skip-verify uncommented in place; reverted byte for byte`, () => {
            const original = fs.readFileSync(path.join(FIXTURES, file), "utf8");
            const { text, undo } = applyTomlSettings(original, [subscriberEdit({ caCertificatePath: "/etc/ssl/influxdb-ca.pem" })!]);
            const sub = (parse(text) as Conf).subscriber;
            assert.equal(sub["ca-certs"], "/etc/ssl/influxdb-ca.pem");
            assert.equal(sub["insecure-skip-verify"], false);
            assert.equal(revertTomlSettings(text, undo), original);
            const insecure = applyTomlSettings(original, [subscriberEdit({ insecureSkipVerify: true })!]);
            assert.equal((parse(insecure.text) as Conf).subscriber["insecure-skip-verify"], true);
            assert.equal((parse(insecure.text) as Conf).subscriber["ca-certs"], undefined);
        });
    }

    it("no key at all when neither is given; both, or a relative path, are refused naming the argument", () => {
        assert.equal(subscriberEdit({}), undefined);
        assert.deepEqual(subscriberProblems("DataNodeTls d", { caCertificatePath: "/etc/ssl/k.pem" }), []);
        assert.match(subscriberProblems("DataNodeTls d", { caCertificatePath: "ca.pem" }).join(), /^DataNodeTls d: subscriber.caCertificatePath: "ca.pem" is not an absolute path/);
        assert.match(subscriberProblems("DataNodeTls d", { caCertificatePath: "/a.pem", insecureSkipVerify: true }).join(), /not both/);
    });
});
