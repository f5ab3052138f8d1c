"""A real SMTP server for tests/it/send.rs (aiosmtpd, plain SMTP on 127.0.0.1).

    python3 smtp_server.py --dir DIR --port-file FILE [--fail EMAIL=CODE[xN]]...

Every message accepted is stored as DIR/<n>.eml (written to a temporary name, then renamed, so
that a reader never sees half a message) with its envelope in DIR/<n>.json, before the server
answers 250: a client killed before it reads the 250 has still delivered the message, as with a
real server. The chosen port is written to FILE once the server listens.

--fail EMAIL=451x2 answers the first 2 RCPT TO for EMAIL with 451 (temporary), then accepts;
--fail EMAIL=550 answers every RCPT TO for EMAIL with 550 (permanent).
"""

import argparse
import json
import os
import signal
import socket
import threading
import time

from aiosmtpd.controller import Controller


class Store:
    def __init__(self, folder, fails):
        self.folder = folder
        self.fails = fails  # email -> [code, remaining or None]
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        rule = self.fails.get(address.lower())
        if rule is not None:
            code, left = rule
            if left is None or left > 0:
                if left is not None:
                    rule[1] = left - 1
                if code.startswith("4"):
                    return f"{code} 4.3.0 try again later"
                return f"{code} 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        with self.lock:
            name = f"{time.time_ns():020d}-{os.getpid()}"
            meta = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}
            with open(os.path.join(self.folder, name + ".json"), "w") as f:
                json.dump(meta, f)
            tmp = os.path.join(self.folder, "." + name + ".tmp")
            with open(tmp, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.rename(tmp, os.path.join(self.folder, name + ".eml"))
        return "250 2.0.0 Message accepted for delivery"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--fail", action="append", default=[])
    a = ap.parse_args()
    fails = {}
    for spec in a.fail:
        email, rule = spec.split("=", 1)
        code, _, times = rule.partition("x")
        fails[email.lower()] = [code, int(times) if times else None]
    os.makedirs(a.dir, exist_ok=True)
    port = free_port()
    controller = Controller(Store(a.dir, fails), hostname="127.0.0.1", port=port)
    controller.start()
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(port))
    os.rename(tmp, a.port_file)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
