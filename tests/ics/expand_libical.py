#!/usr/bin/python3
"""Expand iCalendar files into UTC occurrences with libical (through ICalGLib).

Usage: expand_libical.py [--vtimezone-only | --native] [--max N] FILE.ics [FILE.ics ...]
       expand_libical.py --offsets QUERY.json FILE.ics [FILE.ics ...]

A third independent reader of the files `roundtable invites` writes, next to
expand.py (Python icalendar) and expand.mjs (ical.js): libical is the C library
inside Evolution, GNOME Calendar, KDE's KCalendarCore (its VTIMEZONE code) and
Cyrus. Run it with Debian's Python, which has the GObject bindings:
`apt-get install gir1.2-ical-3.0 python3-gi`, then `/usr/bin/python3 expand_libical.py`.
Only the standard library and ICalGLib are used.

Prints the same JSON as expand.py / expand.mjs:

    {"files": {PATH: {"method": ..., "calname": ...,
                      "events":    [OCCURRENCE, ...],
                      "cancelled": [OCCURRENCE, ...]}}}

OCCURRENCE = {"uid", "start_utc", "end_utc", "status", "summary", "sequence",
              "recurrence_id_utc"}, sorted by (start_utc, uid, recurrence_id_utc).

What libical does, and what this script adds:
  * parsing: libical's parser (i_cal_parser_parse_string); any X-LIC-ERROR property
    it inserts (its way of reporting a bad line) is an error here;
  * time zones: each DTSTART/DTEND/RECURRENCE-ID/EXDATE is read with
    i_cal_property_get_datetime_with_component, which resolves the TZID parameter to
    the VTIMEZONE of the same VCALENDAR (i_cal_component_get_timezone) and converts
    with libical's own VTIMEZONE expansion (icaltimezone). RDATE values get the zone
    of their TZID the same way;
  * recurrence: libical's RRULE iterator (i_cal_recur_iterator_new/next) from
    DTSTART in its zone, plus RDATEs; EXDATE by i_cal_property_recurrence_is_excluded
    (libical compares with icaltime_compare, i.e. after converting both to UTC);
  * overrides: libical 3.0 has no call that merges RECURRENCE-ID components into
    a series (i_cal_component_foreach_recurrence iterates the master only). As
    Evolution does (e_cal_recur: icaltime_compare), an override replaces the
    generated instance whose start *compares equal* to its RECURRENCE-ID: both are
    turned into UTC by libical, so the match is by instant, not by the local string
    (see README.md for what that means in a DST gap);
  * an occurrence lasts DTEND - DTSTART of its VEVENT as elapsed seconds (RFC 5545
    "exact duration"), or DURATION, or zero.

Time zones (as in expand.py):
  --vtimezone-only (default): every TZID (parameter values and the VTIMEZONE's TZID)
      is renamed "X-RT-<n>-<TZID>" before parsing, so libical's builtin zones
      (its zoneinfo lookup by location) can never answer: each TZID resolves to the
      file's VTIMEZONE or to nothing, which is an error, as are floating and
      date-only DTSTART/DTEND/RECURRENCE-ID/EXDATE/RDATE values.
  --native: the file as is; libical may fall back to its builtin zones for a TZID
      the file does not define; floating times are read as UTC.

--offsets QUERY.json: instead of occurrences, print the UTC offset (seconds east)
that each file's VTIMEZONE gives at given instants, as libical reads the VTIMEZONE
(i_cal_timezone_get_utc_offset_of_utc_time):
    QUERY  = {PATH: {TZID: ["YYYY-MM-DDTHH:MM:SSZ", ...]}}   (TZIDs unprefixed)
    output = {"offsets": {PATH: {TZID: [seconds or null, ...]}}}

Exit status 0 with the JSON on stdout; 1 with `PATH: message` lines on stderr (and
no JSON) if any file cannot be read, parsed or expanded, or has more than --max
occurrences starting before 2100-01-01.
"""

from __future__ import annotations

import argparse
import json
import re
import sys

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib as ical  # noqa: E402

STOP_YEAR = 2100
TIME_PROPS = ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE")
K = ical.PropertyKind
UTC_ZONE = ical.Timezone.get_utc_timezone()


class FileError(Exception):
    pass


# --------------------------------------------------------------------------- text
# (the same renaming as expand.py, without its dateutil UNTIL workaround: libical
# compares an observance's UNTIL in UTC as RFC 5545 says)


def unfold_bytes(data: bytes) -> bytes:
    return re.sub(rb"\r?\n[ \t]", b"", data)


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


def prefix_tzids(text: str, prefix: str) -> str:
    out = []
    for line in re.split(r"\r?\n", text):
        if line == "":
            continue
        parts = split_content_line(line)
        if parts is None:
            out.append(line)
            continue
        name, params, value = parts
        changed = False
        new_params = []
        for pname, pvalue in params:
            if pname.upper() == "TZID":
                changed = True
                if len(pvalue) >= 2 and pvalue.startswith('"') and pvalue.endswith('"'):
                    pvalue = '"' + prefix + pvalue[1:-1] + '"'
                else:
                    pvalue = prefix + pvalue
            new_params.append((pname, pvalue))
        if name.upper() == "TZID":
            changed = True
            value = prefix + value
        if changed:
            line = name + "".join(f";{p}={v}" for p, v in new_params) + ":" + value
        out.append(line)
    return "\r\n".join(out) + "\r\n"


def strip_prefix(tzid: str) -> str:
    return re.sub(r"^X-RT-\d+-", "", tzid or "")


# --------------------------------------------------------------------------- libical


def components(parent, kind):
    c = parent.get_first_component(kind)
    while c is not None:
        yield c
        c = parent.get_next_component(kind)


def properties(comp, kind):
    p = comp.get_first_property(kind)
    while p is not None:
        yield p
        p = comp.get_next_property(kind)


def tzid_param(prop):
    param = prop.get_first_parameter(ical.ParameterKind.TZID_PARAMETER)
    return None if param is None else param.get_tzid()


def utc_text(t) -> str:
    u = t if t.is_utc() else t.convert_to_zone(UTC_ZONE)
    return (f"{u.get_year():04d}-{u.get_month():02d}-{u.get_day():02d}T"
            f"{u.get_hour():02d}:{u.get_minute():02d}:{u.get_second():02d}Z")


def epoch(t) -> int:
    u = t if t.is_utc() else t.convert_to_zone(UTC_ZONE)
    return u.as_timet()


class Reader:
    def __init__(self, calendar, strict: bool):
        self.calendar = calendar
        self.strict = strict
        # TZID -> ICalTimezone built from the file's VTIMEZONE (for RDATE and --offsets).
        self.zones = {}
        for vtz in components(calendar, ical.ComponentKind.VTIMEZONE_COMPONENT):
            tz = ical.Timezone.new()
            tz.set_component(vtz.clone())
            tzid = tz.get_tzid()
            if tzid in self.zones:
                raise FileError(f"two VTIMEZONEs with TZID {strip_prefix(tzid)!r}")
            self.zones[tzid] = tz

    def check(self, t, prop, what: str):
        """A date-time with a zone from the file (strict) or read as UTC (native)."""
        if t is None or t.is_null_time():
            raise FileError(f"{what}: no value")
        if t.is_date():
            raise FileError(f"{what}: date-only value (no instant)")
        tzid = tzid_param(prop)
        if tzid is not None:
            zone = t.get_timezone()
            if zone is None or (self.strict and zone.get_tzid() != tzid):
                raise FileError(f"{what}: TZID {strip_prefix(tzid)!r} has no VTIMEZONE in the file")
            if self.strict and tzid not in self.zones:
                raise FileError(f"{what}: TZID {strip_prefix(tzid)!r} has no VTIMEZONE in the file")
            return t
        if t.is_utc():
            return t
        if self.strict:
            raise FileError(f"{what}: floating date-time {t.as_ical_string()} (no TZID, no Z)")
        t = t.clone()
        t.set_timezone(UTC_ZONE)
        return t

    def time_of(self, comp, prop, what: str):
        """libical's reading of a DTSTART/DTEND/RECURRENCE-ID/EXDATE property."""
        return self.check(prop.get_datetime_with_component(comp), prop, what)

    def rdate_times(self, comp, what: str):
        out = []
        for prop in properties(comp, K.RDATE_PROPERTY):
            dp = prop.get_rdate()
            t = dp.get_time()
            if t is None or t.is_null_time():
                t = dp.get_period().get_start()
            tzid = tzid_param(prop)
            if tzid is not None and not t.is_utc():
                zone = self.zones.get(tzid) or comp.get_timezone(tzid)
                if zone is not None:
                    t = t.clone()
                    t.set_timezone(zone)
            out.append(self.check(t, prop, what))
        return out


def first(comp, kind):
    return comp.get_first_property(kind)


def text_or_none(comp, kind):
    p = first(comp, kind)
    return None if p is None else p.get_value_as_string()


def summary_of(comp):
    p = first(comp, K.SUMMARY_PROPERTY)
    return None if p is None else p.get_summary()  # TEXT unescaped


def status_of(comp):
    p = first(comp, K.STATUS_PROPERTY)
    if p is None:
        return None
    return p.get_value_as_string()


def sequence_of(comp):
    p = first(comp, K.SEQUENCE_PROPERTY)
    return None if p is None else int(p.get_sequence())


def duration_seconds(reader, comp, start, uid) -> int:
    p = first(comp, K.DTEND_PROPERTY)
    if p is not None:
        return epoch(reader.time_of(comp, p, f"VEVENT {uid} DTEND")) - epoch(start)
    p = first(comp, K.DURATION_PROPERTY)
    if p is not None:
        return p.get_duration().as_int()
    return 0


def iso(seconds: int) -> str:
    t = ical.Time.new_from_timet_with_zone(seconds, 0, UTC_ZONE)
    return utc_text(t)


def row(uid, start_s, end_s, source, rid_s):
    return {
        "uid": uid,
        "start_utc": iso(start_s),
        "end_utc": iso(end_s),
        "status": status_of(source),
        "summary": summary_of(source),
        "sequence": sequence_of(source),
        "recurrence_id_utc": None if rid_s is None else iso(rid_s),
    }


STOP_EPOCH = 4102444800  # 2100-01-01T00:00:00Z


def parse_file(path: str, index: int, native: bool):
    try:
        with open(path, "rb") as f:
            data = unfold_bytes(f.read())
    except OSError as e:
        raise FileError(str(e)) from e
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise FileError(f"not UTF-8: {e}") from e
    if not native:
        text = prefix_tzids(text, f"X-RT-{index}-")
    calendar = ical.Parser.parse_string(text)
    if calendar is None:
        raise FileError("libical cannot parse it")
    if calendar.isa() != ical.ComponentKind.VCALENDAR_COMPONENT:
        raise FileError("top-level component is not one VCALENDAR")
    errors = []
    stack = [calendar]
    while stack:
        c = stack.pop()
        for p in properties(c, K.XLICERROR_PROPERTY):
            errors.append(p.get_xlicerror())
        stack.extend(components(c, ical.ComponentKind.ANY_COMPONENT))
    if errors:
        raise FileError("libical: " + "; ".join(errors[:3]))
    return calendar


def expand_file(path: str, index: int, native: bool, limit: int) -> dict:
    calendar = parse_file(path, index, native)
    reader = Reader(calendar, strict=not native)

    masters, overrides = {}, {}
    for ev in components(calendar, ical.ComponentKind.VEVENT_COMPONENT):
        uid = ev.get_uid() or ""
        # Every time property must be an instant (strict) before anything else.
        for kind, name in ((K.DTSTART_PROPERTY, "DTSTART"), (K.DTEND_PROPERTY, "DTEND"),
                           (K.RECURRENCEID_PROPERTY, "RECURRENCE-ID"),
                           (K.EXDATE_PROPERTY, "EXDATE")):
            for p in properties(ev, kind):
                reader.time_of(ev, p, f"VEVENT {uid} {name}")
        reader.rdate_times(ev, f"VEVENT {uid} RDATE")
        rid = first(ev, K.RECURRENCEID_PROPERTY)
        if rid is not None:
            key = epoch(reader.time_of(ev, rid, f"VEVENT {uid} RECURRENCE-ID"))
            per = overrides.setdefault(uid, {})
            if key in per:
                raise FileError(f"two VEVENTs with UID {uid} and RECURRENCE-ID {iso(key)}")
            per[key] = ev
        else:
            if uid in masters:
                raise FileError(f"two VEVENTs with UID {uid} and no RECURRENCE-ID")
            masters[uid] = ev

    rows = []

    def push(r):
        if r["start_utc"] < f"{STOP_YEAR}-01-01T00:00:00Z":
            rows.append(r)
        if len(rows) > limit:
            raise FileError(f"more than --max {limit} occurrences before {STOP_YEAR}: "
                            "unbounded RRULE?")

    def one(uid, ev, rid_s):
        p = first(ev, K.DTSTART_PROPERTY)
        if p is None:
            raise FileError(f"VEVENT {uid}: no DTSTART")
        start = reader.time_of(ev, p, f"VEVENT {uid} DTSTART")
        s = epoch(start)
        push(row(uid, s, s + duration_seconds(reader, ev, start, uid), ev, rid_s))

    for uid, master in masters.items():
        ovs = overrides.get(uid, {})
        dtstart_prop = first(master, K.DTSTART_PROPERTY)
        if dtstart_prop is None:
            raise FileError(f"VEVENT {uid}: no DTSTART")
        dtstart = reader.time_of(master, dtstart_prop, f"VEVENT {uid} DTSTART")
        rrules = list(properties(master, K.RRULE_PROPERTY))
        rdates = reader.rdate_times(master, f"VEVENT {uid} RDATE")
        if not rrules and not rdates:
            one(uid, master, None)
            continue
        length = duration_seconds(reader, master, dtstart, uid)
        # The recurrence set: DTSTART, each RRULE's instances, the RDATEs (RFC 5545),
        # as libical's iterator gives them (in DTSTART's zone); keyed by instant.
        instances = {epoch(dtstart): dtstart}
        for prop in rrules:
            it = ical.RecurIterator.new(prop.get_rrule(), dtstart)
            while True:
                t = it.next()
                if t is None or t.is_null_time() or t.get_year() >= STOP_YEAR:
                    break
                if t.get_timezone() is None and not t.is_utc():
                    t = t.clone()
                    t.set_timezone(dtstart.get_timezone())
                instances.setdefault(epoch(t), t)
                if len(instances) > limit:
                    raise FileError(f"more than --max {limit} occurrences before "
                                    f"{STOP_YEAR}: unbounded RRULE?")
        for t in rdates:
            instances.setdefault(epoch(t), t)
        used = set()
        for key in sorted(instances):
            t = instances[key]
            if ical.Property.recurrence_is_excluded(master, dtstart, t):
                continue
            ov = ovs.get(key)
            if ov is not None:
                used.add(key)
                one(uid, ov, key)
            else:
                push(row(uid, key, key + length, master, key))
        # Overrides matching no instance: shown on their own (as the other expanders do),
        # unless an EXDATE removes that instant.
        for key, ov in ovs.items():
            if key in used:
                continue
            rid = reader.time_of(ov, first(ov, K.RECURRENCEID_PROPERTY), "RECURRENCE-ID")
            if ical.Property.recurrence_is_excluded(master, dtstart, rid):
                continue
            one(uid, ov, key)
    for uid, ovs in overrides.items():
        if uid in masters:
            continue
        for key, ov in ovs.items():
            one(uid, ov, key)

    key = lambda r: (r["start_utc"], r["uid"], r["recurrence_id_utc"] or "")  # noqa: E731
    cancelled = sorted((r for r in rows if (r["status"] or "").upper() == "CANCELLED"), key=key)
    events = sorted((r for r in rows if (r["status"] or "").upper() != "CANCELLED"), key=key)
    return {
        "method": text_or_none(calendar, K.METHOD_PROPERTY),
        "calname": x_wr_calname(calendar),
        "events": events,
        "cancelled": cancelled,
    }


def x_wr_calname(calendar):
    for p in properties(calendar, K.X_PROPERTY):
        if (p.get_x_name() or "").upper() == "X-WR-CALNAME":
            return p.get_x()
    return None


def parse_utc(text: str):
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z", text)
    if not m:
        raise ValueError(f"bad instant {text!r}")
    y, mo, d, h, mi, s = (int(x) for x in m.groups())
    t = ical.Time.new_null_time()
    t.set_date(y, mo, d)
    t.set_time(h, mi, s)
    t.set_timezone(UTC_ZONE)
    return t


def offsets_file(path: str, index: int, wanted: dict) -> dict:
    calendar = parse_file(path, index, native=False)
    reader = Reader(calendar, strict=True)
    out = {}
    prefix = f"X-RT-{index}-"
    for tzid, instants in wanted.items():
        zone = reader.zones.get(prefix + tzid)
        if zone is None:
            out[tzid] = None
            continue
        values = []
        for text in instants:
            off, _daylight = zone.get_utc_offset_of_utc_time(parse_utc(text))
            values.append(off)
        out[tzid] = values
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--vtimezone-only", dest="native", action="store_false",
                      help="resolve every TZID with the file's own VTIMEZONE (default)")
    mode.add_argument("--native", dest="native", action="store_true",
                      help="the file as is (libical may use its builtin zones)")
    parser.set_defaults(native=False)
    parser.add_argument("--max", type=int, default=5000,
                        help="most occurrences allowed per file (default 5000)")
    parser.add_argument("--offsets", metavar="QUERY.json",
                        help="print VTIMEZONE offsets at the instants QUERY lists instead")
    parser.add_argument("files", nargs="+", metavar="FILE.ics")
    args = parser.parse_args(argv)

    query = None
    if args.offsets:
        with open(args.offsets, encoding="utf-8") as f:
            query = json.load(f)
    result, failed = {}, False
    for index, path in enumerate(args.files):
        try:
            if query is not None:
                result[path] = offsets_file(path, index, query.get(path, {}))
            else:
                result[path] = expand_file(path, index, args.native, args.max)
        except FileError as e:
            print(f"{path}: {e}", file=sys.stderr)
            failed = True
        except Exception as e:  # noqa: BLE001 - a crash in the bindings is a finding too
            print(f"{path}: {type(e).__name__}: {e}", file=sys.stderr)
            failed = True
    if failed:
        return 1
    json.dump({"offsets" if query is not None else "files": result}, sys.stdout,
              indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
