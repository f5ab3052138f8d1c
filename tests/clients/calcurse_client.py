#!/usr/bin/env python3
"""Import iCalendar files into calcurse and print what it shows.

Usage: calcurse_client.py FILE.ics [FILE.ics ...]

For each FILE, in a fresh temporary data directory and with TZ=UTC:

    calcurse -D DIR -i FILE          # non-interactive import; report on stdout
    calcurse -D DIR -Q --from 01/01/1990 --to 01/01/2040 \
             --format-apt '%s|%e|%m' --format-recur-apt 'R%s|%e|%m' ...

`%s`/`%e` are the start and end as seconds since the epoch, so nothing depends on
calcurse's date formats. An appointment across midnight is listed on each day
(merged here). Standard library only.

Output: the JSON of tests/ics/expand.py, plus per file:
  "compared": the UIDs whose occurrences calcurse can be expected to show right
      (see below), and "events" holds only those; "skipped": {UID: reason} for the
      rest; "import_report": calcurse's import summary line ("N apps / ... / K skipped").
  calcurse keeps no UID, SEQUENCE or STATUS: occurrences are matched back to a UID by
  their SUMMARY (calcurse's message), `sequence` is the file's, `status` null,
  `recurrence_id_utc` null. `"recurring": true` marks an occurrence calcurse
  generated from a repetition.

What calcurse (4.7, src/ical.c) cannot do, by design, hence "compared":
  - It ignores VTIMEZONE. A TZID parameter is used as a POSIX TZ string
    (setenv("TZ", tzid) + mktime): IANA names (Europe/Paris, Etc/GMT+3) work
    through the host's tz database; `UTC-0300` is read as POSIX, i.e. UTC+3 (27 h off
    for a -03:00 zone), and unknown names silently become UTC.
  - A repetition (RRULE) is stored in local time of the host (TZ), converted once:
    every occurrence keeps the first one's UTC time, so a series across a DST change
    is wrong by the change. Overrides (RECURRENCE-ID) are imported as extra one-off
    appointments and the master keeps the replaced date (no EXDATE is added).
  - No iTIP: METHOD, SEQUENCE and STATUS are ignored; re-importing a file duplicates.
  So only UIDs without RRULE/RDATE/RECURRENCE-ID whose DTSTART/DTEND are UTC or have a
  TZID that is a zone of the tz database or a whole-hour fixed offset (UTC±hh00,
  GMT±hh: misread today, but a writer can name it Etc/GMT∓h) are "compared"; a
  fixed offset with minutes (UTC+0530) has no tz database name and is not.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile

# A whole-hour fixed offset (UTC-0300, GMT+1): calcurse misreads it as POSIX today, but it
# has a tz database name (Etc/GMT+3) a writer can use instead, so it is compared. One with
# minutes (UTC+0530) has no such name and calcurse can never read it: not compared.
# Whole-hour fixed offsets as POSIX TZ strings calcurse hands to the C library: `<+01>-1`
# (what roundtable writes east of UTC; west it writes the tz database's Etc/GMT+N).
FIXED = re.compile(r"^<[+-]\d{2}>[+-]?\d{1,2}$")
ZONEINFO = os.environ.get("TZDIR", "/usr/share/zoneinfo")


def unfold(text: str) -> list[str]:
    return [l for l in re.split(r"\r?\n", re.sub(r"\r?\n[ \t]", "", text)) if l]


def unescape(v: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), v)


def read_file(path: str):
    """METHOD, X-WR-CALNAME and per VEVENT: uid, summary, sequence, tzids, recurring."""
    method = calname = None
    events = []
    cur = None
    depth = []
    for line in unfold(open(path, encoding="utf-8").read()):
        if line.startswith("BEGIN:"):
            depth.append(line[6:])
            if line == "BEGIN:VEVENT":
                cur = {"uid": None, "summary": None, "sequence": None, "tzids": set(),
                       "recurring": False}
            continue
        if line.startswith("END:"):
            if depth and depth[-1] == "VEVENT":
                events.append(cur)
                cur = None
            depth.pop()
            continue
        name, _, value = line.partition(":")
        prop, *params = name.split(";")
        if depth == ["VCALENDAR"]:
            if prop == "METHOD":
                method = value
            elif prop == "X-WR-CALNAME":
                calname = unescape(value)
        elif cur is not None and depth[-1] == "VEVENT":
            if prop == "UID":
                cur["uid"] = value
            elif prop == "SUMMARY":
                cur["summary"] = unescape(value)
            elif prop == "SEQUENCE":
                cur["sequence"] = int(value)
            elif prop in ("RRULE", "RDATE", "RECURRENCE-ID", "EXRULE"):
                cur["recurring"] = True
            if prop in ("DTSTART", "DTEND"):
                for p in params:
                    if p.upper().startswith("TZID="):
                        cur["tzids"].add(p[5:].strip('"'))
    return method, calname, events


def summaries_as_uids(path: str) -> str:
    """The file's text, unfolded, with each VEVENT's SUMMARY set to its UID."""
    with open(path, encoding="utf-8", newline="") as f:
        text = re.sub(r"\r?\n[ \t]", "", f.read())
    out, block = [], None
    for line in re.split(r"\r?\n", text):
        if line == "BEGIN:VEVENT":
            block = [line]
            continue
        if block is None:
            out.append(line)
            continue
        block.append(line)
        if line == "END:VEVENT":
            uid = next((l[4:] for l in block if l.startswith("UID:")), "")
            out.extend(f"SUMMARY:{uid}" if l.startswith("SUMMARY") else l for l in block)
            block = None
    return "\r\n".join(out)


def tz_ok(tzid: str) -> bool:
    if FIXED.match(tzid):
        return True
    full = os.path.normpath(os.path.join(ZONEINFO, tzid))
    return full.startswith(ZONEINFO + os.sep) and os.path.isfile(full)


def utc(epoch: str) -> str:
    import datetime as dt

    t = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def main(argv: list[str]) -> int:
    files = argv
    if not files or any(a.startswith("-") for a in files):
        print(__doc__, file=sys.stderr)
        return 2
    env = dict(os.environ, TZ="UTC")
    out = {}
    for path in files:
        method, calname, vevents = read_file(path)
        by_uid: dict[str, list] = {}
        for ev in vevents:
            by_uid.setdefault(ev["uid"], []).append(ev)
        skipped = {}
        for uid, evs in by_uid.items():
            if any(e["recurring"] for e in evs):
                skipped[uid] = "recurring (RRULE/RDATE/RECURRENCE-ID): calcurse repeats at a fixed UTC time"
            else:
                bad = sorted(t for e in evs for t in e["tzids"] if not tz_ok(t))
                if bad:
                    skipped[uid] = (f"TZID {bad[0]} is neither a tz database zone nor a "
                                    "whole-hour fixed offset")
        by_summary: dict[str, set] = {}
        for ev in vevents:
            by_summary.setdefault(ev["summary"], set()).add(ev["uid"])
        seq = {e["uid"]: e["sequence"] for e in vevents}
        with tempfile.TemporaryDirectory(prefix="rt-calcurse-") as tmp:
            # calcurse keeps no UID: each VEVENT's SUMMARY is replaced by its UID in a copy, so
            # that what calcurse shows maps back to one event even when several share a title
            # (the parts of a series split at a DST change). Times are not touched.
            copy = os.path.join(tmp, "import.ics")
            with open(copy, "w", encoding="utf-8", newline="") as f:
                f.write(summaries_as_uids(path))
            by_summary = {}
            for ev in vevents:
                by_summary.setdefault(ev["uid"], set()).add(ev["uid"])
            imp = subprocess.run(["calcurse", "-D", tmp, "-i", copy],
                                 env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
            if imp.returncode != 0:
                print(f"calcurse_client.py: {path}: calcurse -i failed:\n{imp.stdout}{imp.stderr}",
                      file=sys.stderr)
                return 1
            report = " ".join(l.strip() for l in imp.stdout.splitlines() if "skipped" in l)
            q = subprocess.run(
                ["calcurse", "-D", tmp, "-Q", "--from", "01/01/1990", "--to", "01/01/2040",
                 "--format-apt", "A|%s|%e|%m\\n", "--format-recur-apt", "R|%s|%e|%m\\n",
                 "--format-event", "E|0|0|%m\\n", "--format-recur-event", "E|0|0|%m\\n"],
                env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
            if q.returncode != 0:
                print(f"calcurse_client.py: {path}: calcurse -Q failed:\n{q.stdout}{q.stderr}",
                      file=sys.stderr)
                return 1
        seen = set()
        for line in q.stdout.splitlines():
            parts = line.split("|", 3)
            if len(parts) != 4 or parts[0] not in ("A", "R", "E"):
                continue
            seen.add(tuple(parts))
        events = []
        for kind, s, e, msg in seen:
            uids = by_summary.get(msg, set())
            uid = next(iter(uids)) if len(uids) == 1 else None
            if uid is not None and uid in skipped:
                continue
            if kind == "E":
                occ_start = occ_end = None
            else:
                occ_start, occ_end = utc(s), utc(e)
            events.append({"uid": uid, "start_utc": occ_start, "end_utc": occ_end,
                           "status": None, "summary": msg, "sequence": seq.get(uid),
                           "recurrence_id_utc": None, "recurring": kind == "R"})
        events.sort(key=lambda o: (o["start_utc"] or "", o["uid"] or "", o["summary"]))
        out[path] = {"method": method, "calname": calname, "events": events, "cancelled": [],
                     "compared": sorted(u for u in by_uid if u not in skipped),
                     "skipped": skipped, "import_report": report}
    json.dump({"files": out}, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
