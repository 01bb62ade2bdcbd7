#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Makes the TLS test material under tests/data/tls (committed, so tests need no openssl at run time
# and every run sees the same certificates). Run again only to replace them:
#   tests/data/tls/make-certs.sh
# ca.pem/ca.key        a test certificate authority
# server.pem/.key      server certificate "A" for 127.0.0.1 and localhost, signed by the CA
# other.pem/.key       server certificate "B": same names, same CA, a different key (pinning tests)
# wrong.pem/.key       a self-signed certificate for the same names that no CA vouches for
# garbage.pem          not PEM at all (loading errors)
# *.spki               hex SHA-256 of each certificate's public key (what clients pin)
# Everything is valid for 100 years. The keys are test keys: never use them for anything else.
set -eu
cd "$(dirname "$0")"
days=36500
subj_alt="subjectAltName=IP:127.0.0.1,DNS:localhost"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days "$days" \
  -subj "/CN=ChatterMesh Test CA" -keyout ca.key -out ca.pem \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"

leaf() { # name common-name
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$2" \
    -keyout "$1.key" -out "$work/$1.csr"
  printf '%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$subj_alt" > "$work/$1.ext"
  openssl x509 -req -in "$work/$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -CAserial "$work/ca.srl" \
    -days "$days" -extfile "$work/$1.ext" -out "$1.pem"
}
leaf server "ChatterMesh test server A"
leaf other "ChatterMesh test server B"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days "$days" \
  -subj "/CN=ChatterMesh wrong server" -keyout wrong.key -out wrong.pem -addext "$subj_alt"

printf 'this is not a certificate\n' > garbage.pem

# What clients pin: the SHA-256 of each certificate's SubjectPublicKeyInfo, in hex (tests compare).
for name in server other wrong; do
  openssl x509 -in "$name.pem" -pubkey -noout | openssl pkey -pubin -outform der \
    | openssl dgst -sha256 -r | cut -d' ' -f1 > "$name.spki"
done
