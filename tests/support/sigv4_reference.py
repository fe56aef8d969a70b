#!/usr/bin/python3
"""The AWS Signature V4 Authorization header of one request, as botocore (Debian's
python3-botocore, the AWS SDK's own signer) computes it: an independent reference for
services/fulfillment/storage/s3/sigv4.cc.

Reads a JSON object on standard input: method, url, headers (name -> value, the x-amz-* ones
included), body (text), access_key, secret_key, region, amz_date ("20261220T163000Z").
Prints the Authorization header's value."""
import json
import sys

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def main():
    spec = json.load(sys.stdin)
    request = AWSRequest(method=spec["method"], url=spec["url"], data=spec["body"].encode())
    for name, value in spec["headers"].items():
        request.headers[name] = value
    auth = S3SigV4Auth(Credentials(spec["access_key"], spec["secret_key"]), "s3", spec["region"])
    request.context["timestamp"] = spec["amz_date"]
    canonical = auth.canonical_request(request)
    string_to_sign = auth.string_to_sign(request, canonical)
    signature = auth.signature(string_to_sign, request)
    signed = auth.signed_headers(auth.headers_to_sign(request))
    scope = auth.scope(request)
    print(f"AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders={signed}, Signature={signature}")


if __name__ == "__main__":
    main()
