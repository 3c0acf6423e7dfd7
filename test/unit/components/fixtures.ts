/** Connection details shared by the component wiring tests (no real host behind them). */
export const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHf3JzO7x4v4D8Vv6dG7ZsU3fM5lS9dGQ2Wm3TtF6YtA";
export const CLIENT_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nCLIENTKEYBYTES\n-----END OPENSSH PRIVATE KEY-----\n";

export function conn(host: string) {
    return { host, privateKey: CLIENT_KEY, hostKey: HOST_KEY };
}
