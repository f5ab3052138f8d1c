#!/usr/bin/env python3
"""Expand iCalendar files into UTC occurrences with icalendar + recurring_ical_events.

Usage: expand.py [--vtimezone-only | --native] [--max N] FILE.ics [FILE.ics ...]

An independent reader of the files that `roundtable invites` writes: nothing here
comes from roundtable's own code. Prints, on success,

    {"files": {PATH: {"method": ..., "calname": ...,
                      "events":    [OCCURRENCE, ...],
                      "cancelled": [OCCURRENCE, ...]}}}

OCCURRENCE = {"uid", "start_utc", "end_utc", "status", "summary", "sequence",
              "recurrence_id_utc"}, times as YYYY-MM-DDTHH:MM:SSZ, both lists sorted
by (start_utc, uid). An occurrence whose VEVENT (master or override) has
STATUS:CANCELLED goes to "cancelled", every other one to "events". EXDATE'd
occurrences appear nowhere. "sequence" is the SEQUENCE of the VEVENT the occurrence
comes from (override or master; null when absent) -- not the series maximum that
recurring_ical_events puts in its copies. "recurrence_id_utc" is the occurrence's
original start for a recurring series or an override, null for a one-off event.

Time zones (see README.md for what the libraries do):
  --vtimezone-only (default): every TZID in the file is renamed to
      "X-RT-<n>-<TZID>" before parsing, so no TZID can match the host's tz
      database and each one resolves to the VTIMEZONE in the same file
      (icalendar turns it into a dateutil tzical zone). X-WR-TIMEZONE is ignored.
      A TZID without a VTIMEZONE, a floating (no TZID, no Z) or date-only
      DTSTART/DTEND/RECURRENCE-ID/EXDATE/RDATE is an error.
  --native: icalendar's defaults: a TZID that names an IANA zone is read from the
      system/tzdata database (zoneinfo) and the file's VTIMEZONE for it is NOT
      used; recurring_ical_events.of() also applies X-WR-TIMEZONE.

Exit status 0 with the JSON on stdout; 1 with messages on stderr (and no JSON) if
any file cannot be read, parsed or expanded, or has more than --max occurrences
starting before 2100-01-01.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys

import icalendar
import recurring_ical_events

UTC = dt.timezone.utc
RANGE_START = dt.datetime(1900, 1, 1)
RANGE_STOP = dt.datetime(2100, 1, 1)
STOP_UTC = dt.datetime(2100, 1, 1, tzinfo=UTC)
TIME_PROPS = ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE")


class FileError(Exception):
    pass


# --------------------------------------------------------------------------- text


def unfold(text: str) -> list[str]:
    """Content lines of an iCalendar text (CRLF or LF, folded with space or tab)."""
    text = re.sub(r"\r?\n[ \t]", "", text)
    return [line for line in re.split(r"\r?\n", text) if line != ""]


def split_content_line(line: str):
    """(name, [(param_name, raw_value_incl_quotes)], value) or None if malformed."""
    i, n = 0, len(line)
    while i < n and line[i] not in ";:":
        i += 1
    name = line[:i]
    params = []
    while i < n and line[i] == ";":
        i += 1
        j = i
        while j < n and line[j] not in "=;:":
            j += 1
        pname = line[i:j]
        if j >= n or line[j] != "=":
            return None
        j += 1
        k = j
        in_quotes = False
        while k < n:
            c = line[k]
            if c == '"':
                in_quotes = not in_quotes
            elif not in_quotes and c in ";:":
                break
            k += 1
        params.append((pname, line[j:k]))
        i = k
    if i >= n or line[i] != ":":
        return None
    return name, params, line[i + 1 :]


def parse_utc_offset(text: str) -> dt.timedelta | None:
    m = re.fullmatch(r"([+-])(\d\d)(\d\d)(\d\d)?", text.strip())
    if not m:
        return None
    sign = -1 if m.group(1) == "-" else 1
    return sign * dt.timedelta(hours=int(m.group(2)), minutes=int(m.group(3)),
                               seconds=int(m.group(4) or 0))


def localize_observance_until(lines: list[str]) -> list[str]:
    """In one STANDARD/DAYLIGHT observance, rewrite RRULE UNTIL=...Z as local time.

    dateutil's tzical (which icalendar uses for a VTIMEZONE) parses the observance
    RRULE with ignoretz=True, so UNTIL=20101030T230000Z is compared as if it were the
    local onset time 2010-10-30 23:00: east of UTC the last onset of the rule is
    lost. RFC 5545 compares onset(local) - TZOFFSETFROM with UNTIL(UTC), which is
    onset(local) <= UNTIL + TZOFFSETFROM: the same rule, written in local time.
    """
    offset = None
    for line in lines:
        parts = split_content_line(line)
        if parts and parts[0].upper() == "TZOFFSETFROM":
            offset = parse_utc_offset(parts[2])
    if offset is None:
        return lines

    def fix(m):
        utc = dt.datetime.strptime(m.group(2), "%Y%m%dT%H%M%S")
        return m.group(1) + (utc + offset).strftime("%Y%m%dT%H%M%S")

    out = []
    for line in lines:
        parts = split_content_line(line)
        if parts and parts[0].upper() == "RRULE":
            line = re.sub(r"((?:^|;|:)UNTIL=)(\d{8}T\d{6})Z", fix, line, flags=re.I)
        out.append(line)
    return out


def prepare_vtimezone_only(text: str, prefix: str) -> str:
    """Prefix every TZID (parameter values and VTIMEZONE TZID properties) and
    localize observance UNTILs (see localize_observance_until)."""
    out = []
    observance = None  # buffered lines of the STANDARD/DAYLIGHT being read
    stack = []
    for line in unfold(text):
        parts = split_content_line(line)
        if parts is None:
            (observance if observance is not None else out).append(line)
            continue  # let icalendar report it
        name, params, value = parts
        uname = name.upper()
        if uname == "BEGIN":
            stack.append(value.upper())
            if stack[-2:] in (["VTIMEZONE", "STANDARD"], ["VTIMEZONE", "DAYLIGHT"]):
                observance = []
        elif uname == "END":
            if observance is not None and stack and value.upper() == stack[-1]:
                out.extend(localize_observance_until(observance))
                observance = None
            if stack:
                stack.pop()
        changed = False
        new_params = []
        for pname, pvalue in params:
            if pname.upper() == "TZID":
                changed = True
                if pvalue.startswith('"') and pvalue.endswith('"') and len(pvalue) >= 2:
                    pvalue = '"' + prefix + pvalue[1:-1] + '"'
                else:
                    pvalue = prefix + pvalue
            new_params.append((pname, pvalue))
        if uname == "TZID":
            changed = True
            value = prefix + value
        if changed:
            line = name + "".join(f";{p}={v}" for p, v in new_params) + ":" + value
        (observance if observance is not None else out).append(line)
    if observance is not None:
        out.extend(observance)
    return "\r\n".join(out) + "\r\n"


# --------------------------------------------------------------------------- times


def utc_text(value: dt.datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def as_instant(value, what: str, strict: bool) -> dt.datetime:
    """An aware datetime, or FileError for a date-only / floating value."""
    if not isinstance(value, dt.datetime):
        raise FileError(f"{what}: date-only value {value!r} (no instant)")
    if value.tzinfo is None:
        if strict:
            raise FileError(f"{what}: floating date-time {value.isoformat()} (no TZID, no Z)")
        return value.replace(tzinfo=UTC)  # --native: read floating as UTC
    return value


def prop_values(component, name):
    """The vDDDTypes values of a (possibly repeated, possibly list) property."""
    raw = component.get(name)
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else [raw]
    values = []
    for item in items:
        if hasattr(item, "dts"):  # vDDDLists (EXDATE, RDATE)
            for leaf in item.dts:
                values.append((leaf, getattr(item, "params", {}) or {}))
        else:
            values.append((item, getattr(item, "params", {}) or {}))
    return values


def check_times(calendar, strict: bool) -> None:
    """Every date-time of every VEVENT must be an instant (and resolved in strict mode)."""
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("UID", "?"))
        for name in TIME_PROPS:
            for leaf, params in prop_values(event, name):
                value = leaf.dt
                if isinstance(value, tuple):  # RDATE;VALUE=PERIOD
                    value = value[0]
                what = f"VEVENT {uid} {name}"
                tzid = params.get("TZID") or getattr(leaf, "params", {}).get("TZID")
                if tzid and isinstance(value, dt.datetime) and value.tzinfo is None:
                    raise FileError(f"{what}: TZID {strip_prefix(tzid)!r} has no VTIMEZONE "
                                    "in the file" + ("" if strict else " and is no zone zoneinfo knows"))
                as_instant(value, what, strict)


def strip_prefix(tzid: str) -> str:
    return re.sub(r"^X-RT-\d+-", "", str(tzid))


# --------------------------------------------------------------------------- expand


def source_index(calendar):
    """(uid, RECURRENCE-ID in UTC) -> override VEVENT, uid -> master VEVENT."""
    overrides, masters = {}, {}
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("UID", ""))
        rid = event.get("RECURRENCE-ID")
        if rid is not None:
            key = (uid, utc_text(as_instant(rid.dt, f"VEVENT {uid} RECURRENCE-ID", False)))
            if key in overrides:
                raise FileError(f"two VEVENTs with UID {uid} and RECURRENCE-ID {key[1]}")
            overrides[key] = event
        else:
            if uid in masters:
                raise FileError(f"two VEVENTs with UID {uid} and no RECURRENCE-ID "
                                "(recurring_ical_events would keep only one)")
            masters[uid] = event
    return overrides, masters


def int_or_none(value):
    return None if value is None else int(value)


def text_or_none(value):
    return None if value is None else str(value)


def occurrence_end(component, start: dt.datetime, strict: bool) -> dt.datetime:
    if component.get("DTEND") is not None:
        return as_instant(component["DTEND"].dt, "DTEND", strict)
    if component.get("DURATION") is not None:
        return start + component["DURATION"].dt
    return start


def expand_file(path: str, index: int, native: bool, limit: int) -> dict:
    with open(path, "rb") as f:
        data = f.read()
    # Unfold the bytes before decoding, as RFC 5545 3.1 asks of readers: a fold may
    # split a multi-byte character (lint.py reports that as a writer's fault).
    data = re.sub(rb"\r?\n[ \t]", b"", data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise FileError(f"not UTF-8: {e}") from e

    # icalendar keeps a process-wide cache of the VTIMEZONEs it has parsed, keyed by
    # TZID (first definition wins); switching provider empties it, so a TZID defined
    # by an earlier file cannot leak into this one.
    icalendar.use_zoneinfo()
    if not native:
        text = prepare_vtimezone_only(text, f"X-RT-{index}-")
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except Exception as e:  # noqa: BLE001 - any parse failure is a finding
        raise FileError(f"icalendar cannot parse it: {type(e).__name__}: {e}") from e
    if calendar.name != "VCALENDAR":
        raise FileError(f"top-level component is {calendar.name}, not VCALENDAR")

    check_times(calendar, strict=not native)
    overrides, masters = source_index(calendar)

    try:
        if native:
            query = recurring_ical_events.of(calendar)
        else:
            # of() would first apply X-WR-TIMEZONE through zoneinfo; skip that.
            query = recurring_ical_events.CalendarQuery(calendar)
        components = query.between(RANGE_START, RANGE_STOP)
    except Exception as e:  # noqa: BLE001
        raise FileError(f"recurring_ical_events failed: {type(e).__name__}: {e}") from e

    events, cancelled = [], []
    for comp in components:
        uid = str(comp.get("UID", ""))
        start = as_instant(comp["DTSTART"].dt, f"VEVENT {uid} DTSTART", not native)
        if start >= STOP_UTC:
            continue
        end = occurrence_end(comp, start, not native)
        rid_prop = comp.get("RECURRENCE-ID")
        rid = utc_text(as_instant(rid_prop.dt, "RECURRENCE-ID", False)) if rid_prop else None
        source = overrides.get((uid, rid))
        if source is None:
            source = masters.get(uid)
            recurring = source is not None and (
                source.get("RRULE") is not None or source.get("RDATE") is not None
            )
            if not recurring:
                rid = None
        if source is None:
            source = comp
        status = text_or_none(source.get("STATUS"))
        row = {
            "uid": uid,
            "start_utc": utc_text(start),
            "end_utc": utc_text(end),
            "status": status,
            "summary": text_or_none(source.get("SUMMARY")),
            "sequence": int_or_none(source.get("SEQUENCE")),
            "recurrence_id_utc": rid,
        }
        (cancelled if (status or "").upper() == "CANCELLED" else events).append(row)

    total = len(events) + len(cancelled)
    if total > limit:
        raise FileError(f"{total} occurrences before 2100 (more than --max {limit}): "
                        "unbounded RRULE?")
    key = lambda r: (r["start_utc"], r["uid"], r["recurrence_id_utc"] or "")  # noqa: E731
    events.sort(key=key)
    cancelled.sort(key=key)
    return {
        "method": text_or_none(calendar.get("METHOD")),
        "calname": text_or_none(calendar.get("X-WR-CALNAME")),
        "events": events,
        "cancelled": cancelled,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--vtimezone-only", dest="native", action="store_false",
                      help="resolve every TZID with the file's own VTIMEZONE (default)")
    mode.add_argument("--native", dest="native", action="store_true",
                      help="library defaults: IANA-named TZIDs come from zoneinfo")
    parser.set_defaults(native=False)
    parser.add_argument("--max", type=int, default=5000,
                        help="most occurrences allowed per file (default 5000)")
    parser.add_argument("files", nargs="+", metavar="FILE.ics")
    args = parser.parse_args(argv)

    result, failed = {}, False
    for index, path in enumerate(args.files):
        try:
            result[path] = expand_file(path, index, args.native, args.max)
        except (FileError, OSError) as e:
            print(f"{path}: {e}", file=sys.stderr)
            failed = True
        except Exception as e:  # noqa: BLE001 - a crash in a library is a finding too
            print(f"{path}: {type(e).__name__}: {e}", file=sys.stderr)
            failed = True
    if failed:
        return 1
    json.dump({"files": result}, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
