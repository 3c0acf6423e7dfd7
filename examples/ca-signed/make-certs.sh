#!/usr/bin/env bash
# Stands in for "your CA signed these": makes a CA and, signed by it, per-node certificates,
# a wildcard certificate and per-node .pem bundles for the local test hosts, with openssl.
# Usage: make-certs.sh <dir> [name=address ...] (default: the four test hosts)
set -euo pipefail
dir=${1:?usage: make-certs.sh <dir> [name=address ...]}
shift
nodes=("$@")
[ "${#nodes[@]}" -gt 0 ] || { n=${PITLS_SANDBOX_NET:-10}; nodes=(meta1=127.0.$n.11 data1=127.0.$n.1 data2=127.0.$n.2 tele1=127.0.$n.21); }
mkdir -p "$dir"
cd "$dir"
umask 077
if [ ! -f ca.key ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=Example Org CA" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -keyout ca.key -out ca.crt 2>/dev/null
fi
sign() { # name, SAN list
    openssl req -new -newkey rsa:2048 -nodes -subj "/CN=$1" -keyout "$1.key" -out "$1.csr" 2>/dev/null
    printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n' "$2" > "$1.ext"
    openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -extfile "$1.ext" -out "$1.crt" 2>/dev/null
    rm -f "$1.csr" "$1.ext"
}
all_sans="DNS:localhost"
for n in "${nodes[@]}"; do
    name=${n%%=*}; addr=${n#*=}
    sign "$name" "IP:$addr,DNS:$name,DNS:localhost"
    cat "$name.key" "$name.crt" > "$name.pem"
    all_sans="$all_sans,IP:$addr,DNS:$name"
done
# A "wildcard" for the test hosts: one certificate for all their names (IP SANs cannot be wildcards).
sign wildcard "DNS:*.influxdb.example,$all_sans"
chmod 0644 ./*.crt
echo "certificates in $dir: ca.crt, <node>.crt/.key/.pem, wildcard.crt/.key"
