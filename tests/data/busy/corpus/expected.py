#!/usr/bin/env python3
"""Busy intervals of every corpus file, worked out without roundtable: writes expected.json.

Usage: python3 tests/data/busy/corpus/expected.py   (rewrites expected.json next to it)
       python3 tests/data/busy/corpus/expected.py --check   (exit 1 if expected.json differs)

Libraries: icalendar 6.3.2 + recurring_ical_events 3.8.2 (+ x_wr_timezone, which
recurring_ical_events.of() applies) + python-dateutil, pinned in tests/ics/requirements.txt.
zoneinfo's tz database answers IANA names. Nothing here comes from roundtable's code.

Semantics (those roundtable documents in src/busy/mod.rs, mirrored here):
- Window [2024-01-01T00:00Z, 2026-01-01T00:00Z); an interval is kept when it overlaps it.
- Participant zone PARTICIPANT (Europe/Berlin): all-day dates block [00:00 local of the
  first day, 00:00 local of the day after the last); floating date-times are read in the
  calendar's X-WR-TIMEZONE when it names a zone, else in the participant zone.
  X-WR-TIMEZONE is removed before recurring_ical_events.of() sees it: of() passes the
  calendar through x_wr_timezone.to_standard(), which also rewrites UTC date-times into that
  zone, so that a UTC series (Google's `DTSTART:20240325T083000Z` + RRULE with
  X-WR-TIMEZONE:Europe/London) would follow London's wall clock across DST. RFC 5545 (3.3.5)
  makes a UTC time absolute and says nothing of X-WR-TIMEZONE; roundtable applies it to
  floating times only, and so does this script (floating times are expanded as naive
  wall-clock times and placed in the zone afterwards, which is the same thing).
- A TZID that names an IANA or Windows zone is read from the tz database, never from the
  file's VTIMEZONE; `tzone://Microsoft/` and path prefixes such as
  `/freeassociation.sourceforge.net/` are stripped when what remains is an IANA name. Any
  other TZID is read from the file's VTIMEZONE (icalendar does that for unknown TZIDs).
  Windows names are mapped with icalendar's own table (windows_to_olson), not roundtable's.
- A local time in a DST gap or repeated hour, RFC 5545 3.3.5: a time in a gap is read with
  the offset before the gap (moved forward), a repeated time is its first occurrence.
  `resolve()` does this itself from the tzinfo's UTC->local mapping (fromutc), because the
  tzinfo icalendar builds from a VTIMEZONE reads a gap time with the offset after the gap.
- A date-time DTEND gives every occurrence the exact duration DTEND - DTSTART of the VEVENT
  it comes from (RFC 5545 3.8.5.3 / 3.6.1); recurring_ical_events adds that duration in wall-
  clock time, so an occurrence on a DST change day would be an hour short or long: the end is
  recomputed here from the source VEVENT (the override with that start, else the latest
  THISANDFUTURE override before it, else the master).
- Not busy: an occurrence whose VEVENT (master or override) has STATUS:CANCELLED,
  TRANSP:TRANSPARENT or X-MICROSOFT-CDO-BUSYSTATUS:FREE.
- EXRULE (RFC 2445, ignored by recurring_ical_events): dateutil's rrule from DTSTART;
  occurrences of that UID starting at one of its instants are dropped.
- VFREEBUSY: FREEBUSY periods, FBTYPE=FREE skipped, every other type busy.
- The same (start, end, UID, SUMMARY) twice counts once.

Output: {"participant_zone", "window", "files": {NAME: [[start_utc, end_utc], ...]}} with
each list sorted; times as YYYY-MM-DDTHH:MM:SSZ.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

import icalendar
import recurring_ical_events
from dateutil.rrule import rrulestr
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

HERE = Path(__file__).resolve().parent
PARTICIPANT = "Europe/Berlin"
UTC = dt.timezone.utc
WINDOW = (dt.datetime(2024, 1, 1, tzinfo=UTC), dt.datetime(2026, 1, 1, tzinfo=UTC))
IANA = available_timezones()


def known_zone(tzid: str) -> str | None:
    """The IANA name a TZID stands for, or None when only a VTIMEZONE can define it."""
    name = tzid
    if name.startswith("tzone://Microsoft/"):
        name = name[len("tzone://Microsoft/"):]
    if name in IANA:
        return name
    if name in WINDOWS_TO_OLSON:
        return WINDOWS_TO_OLSON[name]
    if name.startswith("/"):
        parts = name.strip("/").split("/")
        for i in range(len(parts)):
            tail = "/".join(parts[i:])
            if tail in IANA:
                return tail
    return None


def unfold(text: str) -> list[str]:
    text = re.sub(r"(\r\n|\r|\n)[ \t]", "", text)
    return [line for line in re.split(r"\r\n|\r|\n", text) if line]


def rename_tzids(lines: list[str]) -> list[str]:
    """TZID=… parameters and VTIMEZONE TZIDs that name known zones become IANA names."""
    out = []
    for line in lines:
        if line.startswith("TZID:"):
            value = line[5:].replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
            iana = known_zone(value)
            # A VTIMEZONE for a known zone is renamed too; icalendar then prefers zoneinfo.
            line = "TZID:" + (iana or value.replace(",", "\\,").replace(";", "\\;"))
        else:
            def sub(m):
                raw = m.group(1)
                value = raw[1:-1] if raw.startswith('"') else raw
                iana = known_zone(value)
                return ";TZID=" + (iana if iana else raw)
            line = re.sub(r';TZID=("[^"]*"|[^;:]*)', sub, line)
        out.append(line)
    return out


def drop_malformed(lines: list[str]) -> list[str]:
    """iOS 26's X-APPLE-STRUCTURED-LOCATION with `\\;` inside an unquoted parameter value:
    the property does not affect time, so the line is dropped (roundtable notes and skips it)."""
    return [l for l in lines if not (l.startswith("X-APPLE-STRUCTURED-LOCATION") and "\\;" in l.split(":geo:")[0])]


def resolve(local: dt.datetime, tz) -> dt.datetime:
    """A naive local time in tz as a UTC instant, by RFC 5545's rule (see the docstring)."""
    before = (local - dt.timedelta(days=1)).replace(tzinfo=tz).utcoffset()
    after = (local + dt.timedelta(days=1)).replace(tzinfo=tz).utcoffset()
    valid = []
    for off in (before, after):
        u = (local - off).replace(tzinfo=UTC)
        if u.astimezone(tz).replace(tzinfo=None) == local:
            valid.append(u)
    if valid:
        return min(valid)
    return (local - before).replace(tzinfo=UTC)


def to_utc(value, zone: ZoneInfo) -> dt.datetime:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return resolve(value, zone)
        if value.utcoffset() == dt.timedelta(0) and str(value.tzinfo) in ("UTC", "UTC+00:00"):
            return value.astimezone(UTC)
        return resolve(value.replace(tzinfo=None), value.tzinfo)
    # a date: local midnight in the participant zone
    return dt.datetime(value.year, value.month, value.day, tzinfo=ZoneInfo(PARTICIPANT)).astimezone(UTC)


def not_busy(c) -> bool:
    status = str(c.get("STATUS", "")).upper()
    transp = str(c.get("TRANSP", "")).upper()
    cdo = str(c.get("X-MICROSOFT-CDO-BUSYSTATUS", "")).upper()
    return status == "CANCELLED" or transp == "TRANSPARENT" or cdo == "FREE"


def stamp(t: dt.datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def exrule_starts(cal) -> dict[str, set[dt.datetime]]:
    out: dict[str, set[dt.datetime]] = {}
    for ev in cal.walk("VEVENT"):
        if "EXRULE" not in ev or "RECURRENCE-ID" in ev:
            continue
        start = ev["DTSTART"].dt
        rules = ev["EXRULE"] if isinstance(ev["EXRULE"], list) else [ev["EXRULE"]]
        for rule in rules:
            text = rule.to_ical().decode()
            for t in rrulestr(text, dtstart=start).between(
                start - dt.timedelta(days=1), WINDOW[1].replace(tzinfo=None) + dt.timedelta(days=400)
                if start.tzinfo is None else WINDOW[1] + dt.timedelta(days=400), inc=True):
                out.setdefault(str(ev["UID"]), set()).add(to_utc(t, ZoneInfo(PARTICIPANT)))
    return out


def source(cal, uid: str, start: dt.datetime, floating):
    """The VEVENT an occurrence of uid starting at start comes from (see the docstring)."""
    events = [e for e in cal.walk("VEVENT") if str(e.get("UID", "")) == uid]
    for e in events:
        if "RECURRENCE-ID" in e and to_utc(e["DTSTART"].dt, floating) == start:
            return e
    future = [e for e in events if "RECURRENCE-ID" in e
              and e["RECURRENCE-ID"].params.get("RANGE") == "THISANDFUTURE"
              and to_utc(e["DTSTART"].dt, floating) <= start]
    if future:
        return max(future, key=lambda e: to_utc(e["DTSTART"].dt, floating))
    masters = [e for e in events if "RECURRENCE-ID" not in e]
    return masters[0] if masters else None


def busy_of(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8").lstrip("\ufeff")
    # An Exchange export with `END:VCALENDARD` as its last line (a typo kept in a public test
    # corpus): every event before it is complete, so the expectation is that of the file with
    # the typo mended (icalendar refuses the typo itself).
    text = re.sub(r"END:VCALENDARD(\r?\n)?$", "END:VCALENDAR\r\n", text)
    lines = drop_malformed(rename_tzids(unfold(text)))
    cal = icalendar.Calendar.from_ical("\r\n".join(lines) + "\r\n")
    xwr = str(cal.get("X-WR-TIMEZONE", "")).strip()
    if "X-WR-TIMEZONE" in cal:
        del cal["X-WR-TIMEZONE"]
    floating = ZoneInfo(known_zone(xwr) or PARTICIPANT) if xwr and known_zone(xwr) else ZoneInfo(PARTICIPANT)
    excluded = exrule_starts(cal)
    seen = set()
    # A margin either side, so that events overlapping the window edges are expanded.
    lo = WINDOW[0] - dt.timedelta(days=60)
    hi = WINDOW[1] + dt.timedelta(days=60)
    for occ in recurring_ical_events.of(cal).between(lo, hi):
        if not_busy(occ):
            continue
        start = to_utc(occ["DTSTART"].dt, floating)
        end = to_utc(occ["DTEND"].dt, floating) if "DTEND" in occ else start
        uid = str(occ.get("UID", ""))
        src = source(cal, uid, start, floating)
        if src is not None and isinstance(occ["DTSTART"].dt, dt.datetime):
            if "DTEND" in src:
                end = start + (to_utc(src["DTEND"].dt, floating) - to_utc(src["DTSTART"].dt, floating))
            elif "DURATION" in src and not src["DURATION"].dt.days:
                end = start + src["DURATION"].dt
        if start in excluded.get(uid, ()):
            continue
        seen.add((start, end, uid, str(occ.get("SUMMARY", ""))))
    for fb in cal.walk("VFREEBUSY"):
        props = fb.get("FREEBUSY", [])
        props = props if isinstance(props, list) else [props]
        for prop in props:
            if str(prop.params.get("FBTYPE", "BUSY")).upper() == "FREE":
                continue
            for period in (prop.dts if hasattr(prop, "dts") else [prop]):
                s, e = period.dt
                e = s + e if isinstance(e, dt.timedelta) else e
                seen.add((s.astimezone(UTC), e.astimezone(UTC), str(fb.get("UID", "")), "busy (free/busy)"))
    kept = [(s, e) for (s, e, _, _) in seen if s < WINDOW[1] and (e > WINDOW[0] or (s == e and s >= WINDOW[0]))]
    return [[stamp(s), stamp(e)] for (s, e) in sorted(kept)]


def main() -> int:
    result = {
        "participant_zone": PARTICIPANT,
        "window": [stamp(WINDOW[0]), stamp(WINDOW[1])],
        "files": {p.name: busy_of(p) for p in sorted(HERE.glob("*.ics"))},
    }
    out = json.dumps(result, indent=1, ensure_ascii=False) + "\n"
    target = HERE / "expected.json"
    if "--check" in sys.argv[1:]:
        if target.read_text(encoding="utf-8") != out:
            print("expected.json is out of date: run tests/data/busy/corpus/expected.py", file=sys.stderr)
            return 1
        return 0
    target.write_text(out, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
