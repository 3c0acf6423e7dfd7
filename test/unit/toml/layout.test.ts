import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyTomlSettings } from "../../../provider/toml";
import { applyChecked } from "./helpers";

/** Line endings, indentation, key spellings and comments survive edits exactly. */

describe("line endings", () => {
    it("CRLF files stay CRLF, new lines included", () => {
        const text = '[http]\r\n  # https-enabled = false\r\n  bind-address = ":8086"\r\n\r\n[meta]\r\n  dir = "/x"\r\n';
        const r = applyChecked(text, [
            { table: "http", set: { "https-enabled": true, "new-key": 1 } },
            { table: "tls", set: { "min-version": "tls1.2" } },
        ]);
        assert.equal(
            r.text,
            '[http]\r\n  https-enabled = true\r\n  bind-address = ":8086"\r\n  new-key = 1\r\n\r\n[meta]\r\n  dir = "/x"\r\n\r\n[tls]\r\n  min-version = "tls1.2"\r\n',
        );
        assert.doesNotMatch(r.text, /[^\r]\n/);
    });

    it("a missing final newline stays missing (new key in the last table, and a new table)", () => {
        const text = "[http]\nenabled = true";
        assert.equal(applyChecked(text, [{ table: "http", set: { foo: 1 } }]).text, "[http]\nenabled = true\nfoo = 1");
        assert.equal(applyChecked(text, [{ table: "x", set: { y: 1 } }]).text, "[http]\nenabled = true\n\n[x]\ny = 1");
        assert.equal(applyChecked(text, [{ table: "http", set: { enabled: false } }]).text, "[http]\nenabled = false");
    });

    it("an empty file gets a table (or root key) and reverts to empty", () => {
        assert.equal(applyChecked("", [{ table: "t", set: { k: 1 } }]).text, "[t]\nk = 1\n");
        assert.equal(applyChecked("", [{ table: "", set: { k: 1 } }]).text, "k = 1\n");
    });

    it("a byte order mark stays in front", () => {
        assert.equal(applyChecked("\uFEFF[http]\na = 1\n", [{ table: "http", set: { b: 2 } }]).text, "\uFEFF[http]\na = 1\nb = 2\n");
        assert.equal(applyChecked("\uFEFFa = 1\n", [{ table: "", set: { a: 2 } }]).text, "\uFEFFa = 2\n");
    });

    it("mixed line endings keep each line's own ending", () => {
        const text = "[a]\r\nx = 1\ny = 2\r\n";
        assert.equal(applyChecked(text, [{ table: "a", set: { y: 3 } }]).text, "[a]\r\nx = 1\ny = 3\r\n");
        assert.equal(applyChecked(text, [{ table: "a", set: { x: 3 } }]).text, "[a]\r\nx = 3\ny = 2\r\n");
    });
});

describe("indentation and spelling", () => {
    it("tabs stay tabs: uncommented and new lines copy the neighbours", () => {
        const text = "[http]\n\t# https-enabled = false\n\tauth-enabled = true\n\n[meta]\n\tdir = \"m\"\n";
        const r = applyChecked(text, [{ table: "http", set: { "https-enabled": true, "https-certificate": "/c.pem" } }, { table: "new", set: { a: 1 } }]);
        assert.equal(r.text, "[http]\n\thttps-enabled = true\n\tauth-enabled = true\n\thttps-certificate = \"/c.pem\"\n\n[meta]\n\tdir = \"m\"\n\n[new]\n\ta = 1\n");
    });

    it("quoted keys are recognised and keep their quotes", () => {
        const text = "[meta]\n  \"meta-tls-enabled\" = false\n  'meta-insecure-tls' = false\n";
        const r = applyChecked(text, [{ table: "meta", set: { "meta-tls-enabled": true, "meta-insecure-tls": true } }]);
        assert.equal(r.text, "[meta]\n  \"meta-tls-enabled\" = true\n  'meta-insecure-tls' = true\n");
    });

    it("commented defaults in compact and quoted forms are uncommented as written", () => {
        const text = '[http]\n#https-enabled=false\n  #  "https-certificate" = ""\n## https-private-key = ""\n';
        const r = applyChecked(text, [{ table: "http", set: { "https-enabled": true, "https-certificate": "/c", "https-private-key": "/k" } }]);
        assert.equal(r.text, '[http]\nhttps-enabled=true\n  "https-certificate" = "/c"\nhttps-private-key = "/k"\n');
    });

    it("inline comments are kept, on active and on commented lines", () => {
        const text = '[[outputs.influxdb]]\n  urls = ["http://localhost:8086"] # required\n  # timeout = "5s" # default\n';
        const r = applyChecked(text, [{ table: "outputs.influxdb", set: { urls: ["https://a:8086"], timeout: "10s" } }]);
        assert.equal(r.text, '[[outputs.influxdb]]\n  urls = ["https://a:8086"] # required\n  timeout = "10s" # default\n');
    });

    it("keys outside the bare-key set are written quoted", () => {
        const r = applyChecked("[t]\n", [{ table: "t", set: { "has space": 1, "dotted.name": 2, 'q"uote': 3, "ünï": 4 } }]);
        assert.equal(r.text, '[t]\n"has space" = 1\n"dotted.name" = 2\n"q\\"uote" = 3\n"ünï" = 4\n');
    });

    it("a table name with odd characters gets a quoted header", () => {
        assert.equal(applyChecked("a = 1\n", [{ table: "x.y z", set: { k: true } }]).text, 'a = 1\n\n[x."y z"]\nk = true\n');
    });
});

describe("which table a line belongs to", () => {
    it("the same key in another table is never touched", () => {
        const text = "[cluster]\n  https-enabled = false\n  # https-certificate = \"\"\n\n[http]\n  # https-enabled = false\n";
        const r = applyChecked(text, [{ table: "http", set: { "https-enabled": true, "https-certificate": "/c" } }]);
        assert.equal(r.text, "[cluster]\n  https-enabled = false\n  # https-certificate = \"\"\n\n[http]\n  https-enabled = true\n  https-certificate = \"/c\"\n");
    });

    it("a commented `# [http]` header ends [meta]'s own lines and is not a table", () => {
        const text = '[meta]\n  dir = "x"\n\n# [http]\n#   https-enabled = false\n\n[http]\n  bind-address = ":8086"\n';
        const r = applyChecked(text, [{ table: "meta", set: { "https-enabled": true } }, { table: "http", set: { "https-enabled": true } }]);
        assert.equal(r.text, '[meta]\n  dir = "x"\n  https-enabled = true\n\n# [http]\n#   https-enabled = false\n\n[http]\n  bind-address = ":8086"\n  https-enabled = true\n');
    });

    it("[http]'s block ends at [http.foo]", () => {
        const text = "[http]\n  a = 1\n[http.foo]\n  b = 2\n";
        const r = applyChecked(text, [{ table: "http", set: { c: 3 } }, { table: "http.foo", set: { c: 4 } }]);
        assert.equal(r.text, "[http]\n  a = 1\n  c = 3\n[http.foo]\n  b = 2\n  c = 4\n");
    });

    it("new keys go before the banner and blank lines that introduce the next header", () => {
        const text = "[a]\n  x = 1\n  # y = 2\n\n###\n### [b]\n###\n\n[b]\n  z = 3\n";
        assert.equal(applyChecked(text, [{ table: "a", set: { n: 0 } }]).text, "[a]\n  x = 1\n  # y = 2\n  n = 0\n\n###\n### [b]\n###\n\n[b]\n  z = 3\n");
        const flat = "[a]\nx = 1\n# about b\n\n[b]\n";
        assert.equal(applyChecked(flat, [{ table: "a", set: { n: 0 } }]).text, "[a]\nx = 1\nn = 0\n# about b\n\n[b]\n");
    });

    it("of several commented defaults for one key, the first is used", () => {
        const text = '[[outputs.influxdb]]\n  # urls = ["unix:///var/run/influxdb.sock"]\n  # urls = ["udp://127.0.0.1:8089"]\n  # urls = ["http://127.0.0.1:8086"]\n';
        const r = applyChecked(text, [{ table: "outputs.influxdb", set: { urls: ["https://x:8086"] } }]);
        assert.equal(r.text, '[[outputs.influxdb]]\n  urls = ["https://x:8086"]\n  # urls = ["udp://127.0.0.1:8089"]\n  # urls = ["http://127.0.0.1:8086"]\n');
    });

    it("dotted keys are left intact; a literal dotted name is a different key", () => {
        const text = '[t]\n  a.b = 1\n  "c.d" = 2\n';
        const r = applyChecked(text, [{ table: "t", set: { "a.b": 5, "c.d": 6 } }]);
        assert.equal(r.text, '[t]\n  a.b = 1\n  "c.d" = 6\n  "a.b" = 5\n');
    });
});

describe("multi-line values", () => {
    it("an active multi-line array is replaced as a whole and restored on revert", () => {
        const text = '[[outputs.influxdb]]\n  urls = [\n    "http://a:8086", # first\n    # "http://b:8086",\n  ] # end\n  database = "telegraf"\n';
        const r = applyChecked(text, [{ table: "outputs.influxdb", set: { urls: ["https://a:8086"] } }]);
        assert.equal(r.text, '[[outputs.influxdb]]\n  urls = ["https://a:8086"] # end\n  database = "telegraf"\n');
        assert.equal(r.undo.keys[0].line, '  urls = [\n    "http://a:8086", # first\n    # "http://b:8086",\n  ] # end');
    });

    it("text inside multi-line strings is never read as keys, comments or headers", () => {
        const text = '[a]\nnote = """\nhttps-enabled = true\n[http]\n# https-enabled = false\n"""\nlit = \'\'\'\n[x]\n\'\'\'\n[http]\n# https-enabled = false\n';
        const r = applyChecked(text, [{ table: "http", set: { "https-enabled": true } }, { table: "a", set: { "https-enabled": false } }]);
        assert.equal(r.text, '[a]\nnote = """\nhttps-enabled = true\n[http]\n# https-enabled = false\n"""\nlit = \'\'\'\n[x]\n\'\'\'\nhttps-enabled = false\n[http]\nhttps-enabled = true\n');
        const s = applyChecked(text, [{ table: "a", set: { note: "short", lit: 'with "quotes"' } }]);
        assert.equal(s.text, '[a]\nnote = "short"\nlit = "with \\"quotes\\""\n[http]\n# https-enabled = false\n');
    });

    it("a commented multi-line array is not taken for a one-line default", () => {
        const text = '[tls]\n  # ciphers = [\n  #   "TLS_AES_128_GCM_SHA256",\n  # ]\n';
        const r = applyChecked(text, [{ table: "tls", set: { ciphers: ["TLS_AES_256_GCM_SHA384"] } }]);
        assert.equal(r.text, '[tls]\n  # ciphers = [\n  #   "TLS_AES_128_GCM_SHA256",\n  # ]\n  ciphers = ["TLS_AES_256_GCM_SHA384"]\n');
    });
});

describe("values already in place", () => {
    it("a key that already has the value is left byte for byte (prior active, same line)", () => {
        const text = "[a]\n  s = 'lit' # c\n  n = 1_000\n";
        const r = applyChecked(text, [{ table: "a", set: { s: "lit", n: 1000 } }]);
        assert.equal(r.text, text);
        assert.deepEqual(r.undo.keys.map((k) => [k.prior, k.line, k.written]), [
            ["active", "  s = 'lit' # c", "  s = 'lit' # c"], ["active", "  n = 1_000", "  n = 1_000"],
        ]);
    });

    it("a float is not an integer: `x = 5.0` set to 5 becomes `x = 5`", () => {
        assert.equal(applyTomlSettings("x = 5.0\n", [{ table: "", set: { x: 5 } }]).text, "x = 5\n");
        assert.equal(applyTomlSettings("x = 5\n", [{ table: "", set: { x: 5.5 } }]).text, "x = 5.5\n");
    });
});
