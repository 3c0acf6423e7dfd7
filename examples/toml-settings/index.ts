import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { TomlSettings } from "pulumi-influxdb-tls";

const config = new pulumi.Config();
const host = config.require("host");

/** Connection details: from config, or from the local test hosts' state.json when sandboxState is set. */
function connectionDetails(): { hostKey: string; privateKey: string; user: string } {
    const statePath = config.get("sandboxState");
    if (statePath) {
        const state = JSON.parse(fs.readFileSync(path.resolve(statePath), "utf8"));
        const h = state.hosts.find((x: { address: string }) => x.address === host);
        if (!h) {
            throw new Error(`no test host with address ${host} in ${statePath}`);
        }
        return { hostKey: h.hostKey, privateKey: fs.readFileSync(state.clientKeyPath, "utf8"), user: "root" };
    }
    return {
        hostKey: config.require("hostKey"),
        privateKey: fs.readFileSync(config.require("privateKeyPath"), "utf8"),
        user: config.get("user") ?? "root",
    };
}

const { hostKey, privateKey, user } = connectionDetails();

const https = new TomlSettings("data-node-https", {
    connection: { host, user, hostKey, privateKey: pulumi.secret(privateKey) },
    path: "/etc/influxdb/influxdb.conf",
    edits: [{
        table: "http",
        set: {
            "https-enabled": true,
            "https-certificate": config.get("certificatePath") ?? "/etc/ssl/influxdb-selfsigned.crt",
            "https-private-key": config.get("privateKeyFilePath") ?? "/etc/ssl/influxdb-selfsigned.key",
        },
    }],
    service: {
        restart: ["systemctl", "restart", "influxdb"],
        verify: ["influx", "-ssl", "-unsafeSsl", "-host", host, "-execute", "SHOW DATABASES"],
        revertVerify: ["influx", "-host", host, "-execute", "SHOW DATABASES"],
    },
});

export const target = https.target;
export const url = pulumi.interpolate`https://${host}:8086`;
export const settings = https.settings;
export const fileSha256 = https.fileSha256;
