// Item 11 of issue 7: the component-level pin check covers the whole chain. An unpinned
// bastion (connection.proxy) must never reach remote.Command, whether the proxy is given as a
// plain value (refused when the component is built) or as an Output (refused when it resolves,
// before any command is registered).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CLIENT_KEY, HOST_KEY } from "./fixtures";
import { installMocks } from "./mockWorld";

const registered = installMocks();
import { DataNodeTls } from "../../../provider";
import { checkedCommandConnection } from "../../../provider/components/connection";

const FINGERPRINT = "SHA256:" + "A".repeat(43);
const commands = () => registered.filter((r) => r.type === "command:remote:Command");

function caught(fn: () => unknown): Error {
    try {
        fn();
    } catch (e) {
        return e as Error;
    }
    assert.fail("expected an error");
}

describe("bastion pins (mocks)", () => {
    it("a plain unpinned bastion is refused at construction, naming connection.proxy.hostKey", () => {
        const e = caught(() => new DataNodeTls("d-plain", {
            connection: { host: "10.0.0.5", privateKey: CLIENT_KEY, hostKey: HOST_KEY, proxy: { host: "bastion.example", privateKey: CLIENT_KEY } },
            certificate: { selfSigned: {} },
        }));
        assert.match(e.message, /DataNodeTls d-plain: connection\.proxy\.hostKey: the host key of bastion\.example must be pinned/);
        assert.ok(!/connection\.hostKey/.test(e.message.replace(/connection\.proxy\.hostKey/g, "")), "the pinned target is not blamed");
        assert.equal(commands().length, 0, "no remote.Command registered");
    });

    it("a bastion two hops away is checked too, and a fingerprint pin is refused for remote.Command", () => {
        const e = caught(() => new DataNodeTls("d-deep", {
            connection: {
                host: "10.0.0.5", privateKey: CLIENT_KEY, hostKey: HOST_KEY,
                proxy: { host: "b1", privateKey: CLIENT_KEY, hostKey: FINGERPRINT, proxy: { host: "b2", password: "x" } },
            },
            certificate: { selfSigned: {} },
            fileInstaller: "command",
        }));
        assert.match(e.message, /connection\.proxy\.proxy\.hostKey: the host key of b2 must be pinned/);
        assert.match(e.message, /connection\.proxy\.hostKey must be the public key line/);
        assert.equal(commands().length, 0);
    });

    it("an unpinned bastion given as an Output fails the connection remote.Command would get", () => {
        // The component cannot see inside an Output; commandConnection checks the resolved value
        // (checkedCommandConnection) before remote.Command gets it, so the registration fails with
        // this message and no command runs.
        const bastion = { host: "bastion.example", privateKey: CLIENT_KEY };
        assert.throws(() => checkedCommandConnection("DataNodeTls d1", { host: "10.0.0.5", privateKey: CLIENT_KEY, hostKey: HOST_KEY, proxy: bastion }),
            /^Error: DataNodeTls d1: connection\.proxy\.hostKey: the host key of bastion\.example must be pinned/);
        assert.throws(() => checkedCommandConnection("x", { host: "h", privateKey: CLIENT_KEY, hostKey: HOST_KEY, proxy: { host: "b", password: "p", hostKey: FINGERPRINT } }),
            /connection\.proxy\.hostKey must be the public key line/);
        const ok = checkedCommandConnection("x", { host: "h", privateKey: CLIENT_KEY, hostKey: HOST_KEY, proxy: { host: "b", password: "p", insecureIgnoreHostKey: true } });
        assert.equal((ok as Record<string, any>).proxy.host, "b", "an explicit insecure opt-in on the bastion is honoured");
    });

    it("a pinned bastion passes and is handed to remote.Command with its pin", async () => {
        const before = registered.length;
        new DataNodeTls("d-ok", {
            connection: { host: "10.0.0.5", privateKey: CLIENT_KEY, hostKey: HOST_KEY, proxy: { host: "bastion.example", privateKey: CLIENT_KEY, hostKey: HOST_KEY } },
            certificate: { selfSigned: {} },
            fileInstaller: "command",
        });
        await new Promise((r) => setTimeout(r, 500));
        const cmd = registered.slice(before).find((r) => r.name === "d-ok-key-file");
        assert.ok(cmd, "key file command registered");
        const conn = JSON.stringify(cmd!.inputs.connection);
        assert.ok(conn.includes("bastion.example") && conn.includes(HOST_KEY.split(" ")[1]), "proxy carried with its pin");
    });
});
