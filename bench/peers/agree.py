#!/usr/bin/env python3
"""Checks that benchmark peers wrote the same invitations as roundtable.

    python3 bench/peers/agree.py RT_OUT PEER_OUT [PEER_OUT...] [--sample N] [--no-vtimezones]

Every output folder is read with the `icalendar` package and every recurring event expanded
with `recurring_ical_events` (overrides for DST gaps and folds included), so that two files
agree when they mean the same times, whatever their property order, folding or RRULE spelling.
Checked, for each PEER_OUT against RT_OUT:

  1. the same relative file paths (same number of files; dot-files aside);
  2. participants: the same e-mails in participants/index.csv, and for each e-mail the same set
     of (e-mail, UID, start UTC, end UTC) in the file its own index.csv names;
  3. the programme calendar and every sessions/*.ics: the same (UID, start UTC, end UTC), and in
     each session file the same ATTENDEE e-mails;
  4. the same VTIMEZONE components (compared after parsing) in every participant file read,
     unless --no-vtimezones.

--sample N reads N participants (a deterministic choice: seeded random.sample over the sorted
e-mails) instead of all of them, to stay fast on 10,000 participants; the output says so.
Exits 1 with a summary of the differences when anything differs. This is part of the
benchmark, not of the test suite.
"""

import argparse
import csv
import random
import sys
from datetime import datetime, timezone
from pathlib import Path

import recurring_ical_events
from icalendar import Calendar

UTC = timezone.utc


def files_of(root):
    """Relative paths of the files under root, less dot-files (roundtable's `.roundtable`
    marker, which says the folder is its own, is not an invitation)."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")
                  if p.is_file() and not p.name.startswith("."))


def index_of(root):
    with open(root / "participants" / "index.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {r["email"]: r["file"] for r in rows}


def utc_text(value):
    if not isinstance(value, datetime) or value.tzinfo is None:
        return f"floating:{value}"
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def read(path):
    with open(path, "rb") as f:
        return Calendar.from_ical(f.read())


def occurrences(cal):
    """{(UID, start UTC, end UTC)} of every occurrence of every VEVENT."""
    out = set()
    for ev in recurring_ical_events.of(cal).all():
        out.add((str(ev["UID"]), utc_text(ev["DTSTART"].dt), utc_text(ev["DTEND"].dt)))
    return out


def vtimezones(cal):
    return {str(tz["TZID"]): tz.to_ical() for tz in cal.walk("VTIMEZONE")}


def attendees(cal):
    out = set()
    for ev in cal.walk("VEVENT"):
        value = ev.get("ATTENDEE", [])
        for a in value if isinstance(value, list) else [value]:
            out.add((str(ev["UID"]), str(a).removeprefix("mailto:").lower()))
    return out


class Report:
    def __init__(self, name):
        self.name = name
        self.problems = []

    def compare(self, what, expected, got, limit=5):
        if expected == got:
            return
        missing, extra = sorted(expected - got), sorted(got - expected)
        lines = [f"{what}: {len(missing)} missing, {len(extra)} extra"]
        lines += [f"    - {m}" for m in missing[:limit]]
        lines += [f"    + {e}" for e in extra[:limit]]
        self.problems.append("\n".join(lines))


def calendars(files):
    return sum(1 for f in files if f.startswith("participants/") and f.endswith(".ics"))


def comparable(files):
    """The files both sides name alike: roundtable's participant calendars have keyed names
    (matched through each side's own index.csv below), and README.txt is its note in the private
    folder."""
    return {f for f in files
            if not (f.startswith("participants/") and f.endswith(".ics")) and f != "README.txt"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("rt_out")
    ap.add_argument("peer_out", nargs="+")
    ap.add_argument("--sample", type=int, default=0, help="read only N participants (0: all)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-vtimezones", action="store_true", help="do not compare VTIMEZONEs")
    args = ap.parse_args()

    rt = Path(args.rt_out)
    rt_files = files_of(rt)
    rt_index = index_of(rt)
    emails = sorted(rt_index)
    if args.sample and args.sample < len(emails):
        chosen = sorted(random.Random(args.seed).sample(emails, args.sample))
        print(f"sampled {len(chosen)} of {len(emails)} participants (seed {args.seed})")
    else:
        chosen = emails
        print(f"all {len(chosen)} participants")

    # roundtable's side, read once.
    rt_people = {}
    for email in chosen:
        cal = read(rt / rt_index[email])
        rt_people[email] = ({(email, *o) for o in occurrences(cal)}, vtimezones(cal))
    shared = [f for f in rt_files
              if f.endswith(".ics") and (f.startswith("sessions/") or "/" not in f)]
    rt_shared = {}
    for f in shared:
        cal = read(rt / f)
        rt_shared[f] = (occurrences(cal), attendees(cal))
    rt_count = sum(len(t) for t, _ in rt_people.values())

    failed = False
    for peer_dir in args.peer_out:
        peer = Path(peer_dir)
        report = Report(peer_dir)
        peer_files = files_of(peer)
        report.compare("files", comparable(rt_files), comparable(peer_files))
        report.compare("participant calendars", {calendars(rt_files)}, {calendars(peer_files)})
        peer_index = index_of(peer)
        report.compare("index.csv e-mails", set(rt_index), set(peer_index))
        got_all, expected_all = set(), set()
        tz_differs = []
        for email in chosen:
            expected, rt_tz = rt_people[email]
            expected_all |= expected
            if email not in peer_index:
                continue
            cal = read(peer / peer_index[email])
            got_all |= {(email, *o) for o in occurrences(cal)}
            if not args.no_vtimezones and vtimezones(cal) != rt_tz:
                tz_differs.append(email)
        report.compare("participant (e-mail, UID, start UTC, end UTC)", expected_all, got_all)
        if tz_differs:
            report.problems.append(
                f"VTIMEZONEs differ in {len(tz_differs)} participant files, e.g. {tz_differs[:3]}")
        for f in shared:
            if not (peer / f).is_file():
                continue
            occ, att = rt_shared[f]
            cal = read(peer / f)
            report.compare(f"{f} (UID, start UTC, end UTC)", occ, occurrences(cal))
            report.compare(f"{f} ATTENDEEs", att, attendees(cal))
        if report.problems:
            failed = True
            print(f"DIFFERS {peer_dir}:")
            for p in report.problems:
                print("  " + p.replace("\n", "\n  "))
        else:
            print(f"agrees  {peer_dir}: {len(rt_files)} files, {rt_count} participant "
                  f"occurrences in {len(chosen)} participant files, {len(shared)} shared calendars")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
