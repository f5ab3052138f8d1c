#!/usr/bin/env python3
"""Store iCalendar files on a Radicale CalDAV server and print what it serves back.

Usage: radicale_client.py [--sequence] FILE.ics [FILE.ics ...]

Starts Radicale (tests/clients/requirements.txt), radicale.server.serve as
`python -m radicale` runs it but without fsync on every write, in its own process on
127.0.0.1 with a free port, a temporary storage folder, `[auth] type = none` (any
user name is accepted; the script sends `rt`) and `[rights] type = authenticated`;
stops it at the end. Then, as a CalDAV client would:

  1. MKCALENDAR one calendar collection per FILE (with --sequence: one for all).
  2. Split FILE into one calendar object resource per UID (RFC 4791 4.1): the
     VEVENTs with that UID (master and overrides) plus the VTIMEZONEs their
     TZIDs name, without METHOD (RFC 4791 5.3.2 forbids it in a stored object),
     and PUT each as <UID>.ics. Any status but 201/204 is an error: the server
     must accept every resource. With --sequence the FILEs are PUT in order, so a
     resource with the same UID is overwritten (an update, never a duplicate); a
     METHOD:CANCEL file (iTIP has no CalDAV verb) DELETEs its UIDs' resources.
  3. PROPFIND Depth 1: every href PUT (and not deleted) must be listed.
  4. REPORT calendar-query with <C:calendar-data><C:expand start end/> and a
     VEVENT time-range filter, 1990-01-01 to 2040-01-01 (Radicale >= 3.2 expands
     recurring objects server-side into UTC instances with RECURRENCE-ID; objects
     without RRULE come back as stored, with their VTIMEZONEs).
  5. The calendar-data of each response is written to a file and read with
     tests/ics/expand.py (its default VTIMEZONE-only mode), which turns it into
     UTC occurrences; what Radicale expanded is already in UTC.

Output: the JSON of tests/ics/expand.py, keyed by FILE (with --sequence, once,
under the last FILE); "method" and "calname" are the FILE's, plus "resources": the
number of objects the collection holds. Exit status 1 with a message on failure.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import xml.etree.ElementTree as ET

RANGE = ("19900101T000000Z", "20400101T000000Z")
HERE = os.path.dirname(os.path.abspath(__file__))
EXPAND = os.path.join(HERE, "..", "ics", "expand.py")
NS = {"D": "DAV:", "C": "urn:ietf:params:xml:ns:caldav"}
AUTH = "Basic " + base64.b64encode(b"rt:rt").decode()


class Fail(Exception):
    pass


def unfold(text: str) -> list[str]:
    return [l for l in re.split(r"\r?\n", re.sub(r"\r?\n[ \t]", "", text)) if l]


def split_file(path: str):
    """(method, calname, {uid: resource text}) for one iCalendar file."""
    lines = unfold(open(path, encoding="utf-8").read())
    if not lines or lines[0] != "BEGIN:VCALENDAR":
        raise Fail(f"{path}: not a VCALENDAR")
    header, zones, events = [], {}, {}
    method = calname = None
    i = 1
    while i < len(lines):
        line = lines[i]
        if line.startswith("BEGIN:"):
            kind = line[6:]
            depth, j = 0, i
            while True:
                if lines[j].startswith("BEGIN:"):
                    depth += 1
                elif lines[j].startswith("END:"):
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            block = lines[i:j + 1]
            if kind == "VTIMEZONE":
                tzid = next(l[5:] for l in block if l.startswith("TZID:"))
                zones[tzid] = block
            elif kind == "VEVENT":
                uid = next(l[4:] for l in block if l.startswith("UID:"))
                events.setdefault(uid, []).append(block)
            else:
                raise Fail(f"{path}: unexpected component {kind}")
            i = j + 1
            continue
        if line == "END:VCALENDAR":
            break
        name = line.split(":", 1)[0].split(";", 1)[0]
        if name == "METHOD":
            method = line.split(":", 1)[1]
        else:
            if name == "X-WR-CALNAME":
                calname = line.split(":", 1)[1].replace("\\,", ",").replace("\\;", ";")
            header.append(line)
        i += 1
    resources = {}
    for uid, blocks in events.items():
        tzids = []
        for b in blocks:
            for l in b:
                for m in re.finditer(r';TZID=("[^"]*"|[^;:]*)', l.split(":", 1)[0] + ":"):
                    t = m.group(1).strip('"')
                    if t not in tzids:
                        tzids.append(t)
        body = ["BEGIN:VCALENDAR", *header]
        for t in tzids:
            if t in zones:
                body += zones[t]
        for b in blocks:
            body += b
        body.append("END:VCALENDAR")
        resources[uid] = "\r\n".join(body) + "\r\n"
    return method, calname, resources


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    def __init__(self, tmp: str):
        self.port = free_port()
        cfg = os.path.join(tmp, "radicale.conf")
        with open(cfg, "w", encoding="utf-8") as f:
            f.write(f"[server]\nhosts = 127.0.0.1:{self.port}\n"
                    "[auth]\ntype = none\n[rights]\ntype = authenticated\n"
                    f"[storage]\nfilesystem_folder = {os.path.join(tmp, 'collections')}\n"
                    "[web]\ntype = none\n[logging]\nlevel = warning\n")
        self.log = open(os.path.join(tmp, "radicale.log"), "w+", encoding="utf-8")
        # `python -m radicale --config CFG`, except that the storage does not fsync every
        # write (the private option Radicale's own tests turn off, which a config file
        # may not set): hundreds of PUTs would otherwise wait on the disk.
        launcher = (
            "import sys, radicale.config, radicale.server, radicale.log\n"
            "radicale.log.setup()\n"
            "conf = radicale.config.load([(sys.argv[1], False)])\n"
            "conf.update({'storage': {'_filesystem_fsync': 'False'}}, 'test', privileged=True)\n"
            "radicale.log.set_level(conf.get('logging', 'level'), False)\n"
            "sys.exit(radicale.server.serve(conf))\n"
        )
        self.proc = subprocess.Popen([sys.executable, "-c", launcher, cfg],
                                     stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        deadline = time.time() + 30
        while True:
            if self.proc.poll() is not None:
                raise Fail(f"radicale exited with {self.proc.returncode}: {self.logtext()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline:
                    raise Fail("radicale did not listen within 30 s") from None
                time.sleep(0.1)

    def logtext(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()[-3000:]

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        h = {"Authorization": AUTH}
        h.update(headers or {})
        data = body.encode("utf-8") if isinstance(body, str) else body
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        out = r.status, r.read().decode("utf-8", "replace")
        conn.close()
        return out


def href_for(collection: str, uid: str) -> str:
    return collection + urllib.parse.quote(re.sub(r"[^A-Za-z0-9@._-]", "_", uid) + ".ics")


def mkcalendar(srv: Server, path: str):
    body = ('<?xml version="1.0" encoding="utf-8"?><C:mkcalendar xmlns:D="DAV:" '
            'xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>'
            "<D:displayname>roundtable test</D:displayname></D:prop></D:set></C:mkcalendar>")
    st, text = srv.request("MKCALENDAR", path, body, {"Content-Type": "application/xml"})
    if st != 201:
        raise Fail(f"MKCALENDAR {path}: {st} {text[:500]}")


def put(srv: Server, href: str, text: str, what: str):
    st, resp = srv.request("PUT", href, text, {"Content-Type": "text/calendar; charset=utf-8"})
    if st not in (201, 204):
        raise Fail(f"PUT {what} ({href}) refused: {st} {resp[:500]}\n{srv.logtext()}")


def listed(srv: Server, collection: str) -> set[str]:
    body = ('<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:">'
            "<D:prop><D:getetag/></D:prop></D:propfind>")
    st, text = srv.request("PROPFIND", collection, body,
                           {"Depth": "1", "Content-Type": "application/xml"})
    if st != 207:
        raise Fail(f"PROPFIND {collection}: {st} {text[:500]}")
    hrefs = {urllib.parse.unquote(h.text) for h in ET.fromstring(text).iter("{DAV:}href")}
    return {h for h in hrefs if h.rstrip("/") != collection.rstrip("/")}


def report(srv: Server, collection: str) -> dict[str, str]:
    body = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
        f'<D:prop><D:getetag/><C:calendar-data><C:expand start="{RANGE[0]}" end="{RANGE[1]}"/>'
        "</C:calendar-data></D:prop>"
        '<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">'
        f'<C:time-range start="{RANGE[0]}" end="{RANGE[1]}"/>'
        "</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>")
    st, text = srv.request("REPORT", collection, body,
                           {"Depth": "1", "Content-Type": "application/xml"})
    if st != 207:
        raise Fail(f"REPORT {collection}: {st} {text[:500]}\n{srv.logtext()}")
    out = {}
    for resp in ET.fromstring(text).findall("D:response", NS):
        href = urllib.parse.unquote(resp.find("D:href", NS).text)
        for ps in resp.findall("D:propstat", NS):
            data = ps.find("D:prop/C:calendar-data", NS)
            status = ps.find("D:status", NS).text or ""
            if data is not None and " 200 " in status:
                out[href] = data.text or ""
    return out


def main(argv: list[str]) -> int:
    sequence = "--sequence" in argv
    files = [a for a in argv if a != "--sequence"]
    if not files or any(a.startswith("-") for a in files):
        print(__doc__, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="rt-radicale-") as tmp:
        srv = None
        try:
            srv = Server(tmp)
            st, text = srv.request("PROPFIND", "/rt/", None, {"Depth": "0"})  # principal
            plans = []  # (report key, collection, [files])
            if sequence:
                plans.append((files[-1], "/rt/c0/", files))
            else:
                plans = [(f, f"/rt/c{i}/", [f]) for i, f in enumerate(files)]
            result = {}
            dumps = os.path.join(tmp, "served")
            os.makedirs(dumps)
            n = 0
            pending = []
            for key, coll, fs in plans:
                mkcalendar(srv, coll)
                expected: set[str] = set()
                method = calname = None
                for f in fs:
                    method, calname, resources = split_file(f)
                    for uid, text in resources.items():
                        href = href_for(coll, uid)
                        if method == "CANCEL" and sequence:
                            st, resp = srv.request("DELETE", href)
                            if st not in (200, 204):
                                raise Fail(f"DELETE {href} for {f}: {st} {resp[:300]}")
                            expected.discard(urllib.parse.unquote(href))
                        else:
                            put(srv, href, text, f"{f} UID {uid}")
                            expected.add(urllib.parse.unquote(href))
                have = listed(srv, coll)
                if have != expected:
                    raise Fail(f"{coll}: server lists {sorted(have)}, expected {sorted(expected)}")
                served = report(srv, coll)
                missing = {h for h in expected if h not in served}
                paths = []
                for href in sorted(served):
                    if not served[href].strip():
                        continue
                    n += 1
                    p = os.path.join(dumps, f"{n}.ics")
                    with open(p, "w", encoding="utf-8", newline="") as out:
                        out.write(served[href])
                    paths.append(p)
                pending.append((key, method, calname, len(expected), sorted(missing), paths))
            every = [p for *_, paths in pending for p in paths]
            expanded = {}
            if every:
                r = subprocess.run([sys.executable, EXPAND, *every], capture_output=True,
                                   text=True)
                if r.returncode != 0:
                    raise Fail(f"expand.py on what Radicale served:\n{r.stderr}")
                expanded = json.loads(r.stdout)["files"]
            k = lambda o: (o["start_utc"], o["uid"], o["recurrence_id_utc"] or "")
            for key, method, calname, count, missing, paths in pending:
                events = [e for p in paths for e in expanded[p]["events"]]
                cancelled = [e for p in paths for e in expanded[p]["cancelled"]]
                result[key] = {"method": method, "calname": calname,
                               "events": sorted(events, key=k),
                               "cancelled": sorted(cancelled, key=k),
                               "resources": count, "not_in_report": missing}
        except Fail as e:
            print(f"radicale_client.py: {e}", file=sys.stderr)
            return 1
        finally:
            if srv is not None:
                srv.stop()
    json.dump({"files": result}, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
