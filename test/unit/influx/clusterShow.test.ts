import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeUnreachable, parseClusterShow, unreachableNodes } from "../../../provider/influx";

/** The format of docs.influxdata.com/enterprise_influxdb/v1/tools/influxd-ctl/show/ (1.12), spaces as printed there. */
const HEALTHY = `Data Nodes
==========
ID      TCP Address    HTTP Address   Version   Labels             Passive
4       data1:8088     data1:8086     v1.12.2   {}                 false
5       data2:8088     data2:8086     v1.12.2   {"az":"us-east"}   false

Meta Nodes
==========
ID      Raft Address   HTTP Address   Version   Labels
1       meta1:8089     meta1:8091     v1.12.2   {}
2       meta2:8089     meta2:8091     v1.12.2   {}
3       meta3:8089     meta3:8091     v1.12.2   {}

Raft Status
==========
Leader  meta1:8089
Peers   ["meta2:8089", "meta3:8089"]
`;

/** Tab-separated (Go's tabwriter with tabs), one data node and one meta peer unreachable, data3 missing. */
const MIXED = [
    "Data Nodes", "==========",
    "ID\tTCP Address\tHTTP Address\tVersion\tLabels\tPassive",
    "4\t127.0.10.1:8088\t127.0.10.1:8086\t1.6.7-c1.6.7\t{}\tfalse",
    "5\t127.0.10.2:8088\t127.0.10.2:8086\tunknown\t{}\tfalse",
    "", "Meta Nodes", "==========",
    "ID\tRaft Address\tHTTP Address\tVersion\tLabels",
    "1\t127.0.10.11:8089\t127.0.10.11:8091\t1.6.7-c1.6.7\t{}",
    "2\t127.0.10.12:8089\t127.0.10.12:8091\tunknown\t{}",
    "", "Raft Status", "==========", "Leader\t127.0.10.11:8089", "Peers\t[]", "",
].join("\r\n");

/** 1.6's layout: no HTTP Address column; the meta rows' "TCP Address" is the HTTP address. */
const OLD = `Data Nodes
==========
ID	TCP Address		Version
4	enterprise-data-01:8088	1.6.0-c1.6.0

Meta Nodes
==========
TCP Address		Version
enterprise-meta-01:8091	1.6.0-c1.6.0
enterprise-meta-02:8091	unknown
`;

describe("influx: influxd-ctl show output (health gate)", () => {
    it("reads every node of the documented format with its HTTP address and version", () => {
        const show = parseClusterShow(HEALTHY);
        assert.equal(show.recognised, true);
        assert.deepEqual(show.nodes.map((n) => `${n.role} ${n.address} ${n.version}`), [
            "data data1:8086 v1.12.2", "data data2:8086 v1.12.2",
            "meta meta1:8091 v1.12.2", "meta meta2:8091 v1.12.2", "meta meta3:8091 v1.12.2",
        ]);
        assert.deepEqual(unreachableNodes(show, ["meta1:8091", "META2:8091", "meta3:8091", "data1:8086", "data2:8086"]), []);
    });

    it("an `unknown` row and a node not listed at all are unreachable, in the order expected", () => {
        const show = parseClusterShow(MIXED);
        const bad = unreachableNodes(show, ["127.0.10.11:8091", "127.0.10.12:8091", "127.0.10.1:8086", "127.0.10.2:8086", "127.0.10.3:8086"]);
        assert.deepEqual(bad, [
            { address: "127.0.10.12:8091", why: "unknown" },
            { address: "127.0.10.2:8086", why: "unknown" },
            { address: "127.0.10.3:8086", why: "not listed" },
        ]);
        assert.equal(describeUnreachable(bad), "127.0.10.12:8091 (Version unknown), 127.0.10.2:8086 (Version unknown), 127.0.10.3:8086 (not listed)");
    });

    it("the port is part of the address: a data node's TCP address does not stand in for its HTTP address", () => {
        const show = parseClusterShow(HEALTHY);
        assert.deepEqual(unreachableNodes(show, ["data1:8088", "meta1:8089"]), [
            { address: "data1:8088", why: "not listed" }, { address: "meta1:8089", why: "not listed" },
        ]);
    });

    it("1.6's layout without an HTTP Address column: meta rows by their TCP address", () => {
        const show = parseClusterShow(OLD);
        assert.deepEqual(unreachableNodes(show, ["enterprise-meta-01:8091", "enterprise-meta-02:8091"]), [{ address: "enterprise-meta-02:8091", why: "unknown" }]);
    });

    it("output that is not `show`'s (an error, empty, Raft Status only) is recognised as such and lists nobody", () => {
        for (const text of ["", "Error: unable to connect to meta node 127.0.10.11:8091: connection refused\n", "Raft Status\n==========\nLeader  meta1:8089\n"]) {
            const show = parseClusterShow(text);
            assert.equal(show.recognised, false, JSON.stringify(text));
            assert.deepEqual(unreachableNodes(show, ["meta1:8091"]), [{ address: "meta1:8091", why: "not listed" }]);
        }
    });

    it("an empty Version cell in space-aligned output counts as unreachable (the columns do not shift)", () => {
        const show = parseClusterShow([
            "Meta Nodes", "==========",
            "ID      Raft Address   HTTP Address   Version   Labels",
            "1       m1:8089        m1:8091                  {}",
            "2       m2:8089        m2:8091        v1.12.2   {}",
        ].join("\n"));
        assert.deepEqual(show.nodes.map((n) => n.version), ["", "v1.12.2"]);
        assert.deepEqual(unreachableNodes(show, ["m1:8091", "m2:8091"]), [{ address: "m1:8091", why: "unknown" }]);
    });

    it("the sandbox's stand-in table (h10sandbox's formatShow, 3-space padding): data1 and meta2 unknown", () => {
        const show = parseClusterShow([
            "Data Nodes", "==========",
            "ID   TCP Address   HTTP Address   Version   Labels   Passive",
            "4    data1:8088    data1:8086     unknown   {}       false",
            "", "Meta Nodes", "==========",
            "ID   Raft Address   HTTP Address   Version                Labels",
            "1    meta1:8089     meta1:8091     1.6.2-c1.6.2-standin   {}",
            "2    meta2:8089     meta2:8091     unknown                {}",
            "", "Raft Status", "==========", "Leader  meta1:8089", 'Peers   ["meta2:8089"]', "",
        ].join("\n"));
        assert.deepEqual(unreachableNodes(show, ["meta1:8091", "meta2:8091", "data1:8086"]), [
            { address: "meta2:8091", why: "unknown" }, { address: "data1:8086", why: "unknown" },
        ]);
    });
});
