#!/usr/bin/python3
"""An SMTP server for tests that keeps what it receives.

Each message is written to OUT_DIR/NNNN.json (atomically: a hidden temporary file, then a
rename) as {"mail_from", "rcpt_tos", "tls", "authenticated", "login", "data"}, where "tls" says
whether the session had switched to TLS (STARTTLS) when the message arrived. OUT_DIR/ready
appears once the port is bound. Runs until SIGTERM.

    smtp_sink.py --port PORT --out OUT_DIR [--tls-cert CERT --tls-key KEY] [--auth USER:PASSWORD]

Uses Debian's python3-aiosmtpd (scripts/bootstrap installs it).
"""
import argparse
import asyncio
import json
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def write_atomically(directory, name, text):
    temporary = os.path.join(directory, "." + name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as out:
        out.write(text)
    os.rename(temporary, os.path.join(directory, name))


class Sink:
    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        auth = session.auth_data
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None,
            "authenticated": bool(session.authenticated),
            "login": auth.login.decode() if isinstance(auth, LoginPassword) else None,
            "data": envelope.original_content.decode("utf-8"),
        }
        write_atomically(self.out_dir, "%04d.json" % self.count, json.dumps(record))
        return "250 OK stored"


def make_authenticator(expected):
    user, _, password = expected.partition(":")

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
              and auth_data.password == password.encode())
        # handled=False: aiosmtpd itself answers 535 to a failure.
        return AuthResult(success=ok, handled=ok, auth_data=auth_data if ok else None)

    return authenticate


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--auth")
    args = parser.parse_args()

    tls_context = None
    if args.tls_cert:
        tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_context.load_cert_chain(args.tls_cert, args.tls_key)
    handler = Sink(args.out)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    def factory():
        return SMTP(handler, hostname="sink.localhost", tls_context=tls_context,
                    authenticator=make_authenticator(args.auth) if args.auth else None,
                    auth_require_tls=True, loop=loop)

    try:
        server = loop.run_until_complete(loop.create_server(factory, "127.0.0.1", args.port))
    except OSError as error:
        print("smtp_sink: cannot listen on 127.0.0.1:%d: %s" % (args.port, error), file=sys.stderr)
        return 2
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    write_atomically(args.out, "ready", str(args.port))
    loop.run_forever()
    server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
