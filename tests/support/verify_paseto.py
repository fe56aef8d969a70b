#!/usr/bin/python3
"""Verifies a PASETO v4.public token independently of Travio's C++ code.

Written from the PASETO specification (Version4.md, Common.md: PAE) on PyNaCl, with only the
public keys a client can fetch from GET /.well-known/travio-keys. Prints the claims on success;
exits 1 with a reason otherwise.

    verify_paseto.py <token> <travio-keys.json> [implicit assertion]
"""
import base64
import json
import struct
import sys

import nacl.exceptions
import nacl.signing

HEADER = "v4.public."


def b64url_decode(text):
    if "=" in text or "+" in text or "/" in text:
        raise ValueError("not unpadded base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def le64(n):
    return struct.pack("<Q", n & 0x7FFFFFFFFFFFFFFF)


def pae(*pieces):
    out = le64(len(pieces))
    for piece in pieces:
        out += le64(len(piece)) + piece
    return out


def main():
    token, keys_file = sys.argv[1], sys.argv[2]
    implicit = sys.argv[3].encode() if len(sys.argv) > 3 else b""
    with open(keys_file, encoding="utf-8") as handle:
        keys = {key["kid"]: key for key in json.load(handle)["keys"]}
    if not token.startswith(HEADER):
        sys.exit("not a v4.public token")
    parts = token[len(HEADER):].split(".")
    if len(parts) not in (1, 2):
        sys.exit("malformed token")
    body = b64url_decode(parts[0])
    footer = b64url_decode(parts[1]) if len(parts) == 2 else b""
    if len(body) < 64:
        sys.exit("token too short")
    message, signature = body[:-64], body[-64:]
    kid = json.loads(footer)["kid"]
    key = keys.get(kid)
    if key is None or key["version"] != "v4" or key["purpose"] != "public":
        sys.exit("no published v4.public key " + kid)
    verify_key = nacl.signing.VerifyKey(bytes.fromhex(key["public_key"]))
    try:
        verify_key.verify(pae(HEADER.encode(), message, footer, implicit), signature)
    except nacl.exceptions.BadSignatureError:
        sys.exit("bad signature")
    print(json.dumps(json.loads(message)))


if __name__ == "__main__":
    main()
