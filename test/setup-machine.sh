#!/usr/bin/env bash
# Installs the real programs the integration tests run, on a fresh Debian machine (CI runs as
# root). Idempotent and quick when everything is already there.
set -euo pipefail

# gcc, libc6-dev, pkg-config: scripts/build-influxd.sh links Flux's Rust library through cgo (Go
# and a Rust toolchain, cargo, must already be on the machine, as for scripts/build-pulumi.sh).
# ansible-core: the peer of `npm run bench` (bench/ansible), whose smoke run is part of the tests.
PACKAGES=(openssh-server openssh-client influxdb influxdb-client sudo util-linux iproute2 procps curl openssl ca-certificates gcc libc6-dev pkg-config ansible-core)
missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup-machine: installing ${missing[*]}"
    # Keep maintainer scripts from starting influxd/sshd on all interfaces: the tests start
    # their own, bound to loopback addresses only. Only a policy file we created is removed.
    created_policy=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod 0755 /usr/sbin/policy-rc.d
        created_policy=1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || echo "setup-machine: apt-get update failed; trying the cached lists"
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
    [ "$created_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
fi
# sshd's privilege-separation directory (normally made by systemd's tmpfiles).
mkdir -p /run/sshd
echo "setup-machine: $(influxd version 2>/dev/null | head -1); $(sshd -V 2>&1 | head -1 || true); $(ansible-playbook --version 2>/dev/null | head -1 || true)"
