#!/usr/bin/env python3
"""Structural RFC 5545 / RFC 5546 checks of iCalendar files, standard library only.

Usage: lint.py FILE.ics [FILE.ics ...]

Prints one problem per line, `PATH:LINE: message` (LINE is the physical line where
the content line starts; 0 for the whole file), and exits 1 if there is any; prints
nothing and exits 0 if every file is clean. Independent of icalendar and ical.js:
it reads the bytes itself.

Checks
  bytes   every line ends with CRLF (no bare CR or LF, file ends with CRLF); no line
          longer than 75 octets without its CRLF; UTF-8 throughout, and no fold splits
          a multi-byte character; no control characters but HTAB; no empty lines.
  syntax  content lines parse as name *(;param=value) : value; a parameter value
          with ':' ';' or ',' is quoted (TZID="UTC-03:00", not TZID=UTC-03:00);
          BEGIN/END balanced and matching; one VCALENDAR and nothing outside it.
  VCALENDAR  exactly one PRODID, VERSION:2.0, CALSCALE:GREGORIAN, METHOD (PUBLISH,
          REQUEST or CANCEL).
  VEVENT  one UID, DTSTAMP (UTC), DTSTART, DTEND (no DURATION beside it); DTEND after
          DTSTART when both are in the same form (same TZID, or both UTC) -- compared
          as text; date/date-time values well formed, no Z with TZID; RECURRENCE-ID of
          DTSTART's value type; RRULE has FREQ, not both COUNT and UNTIL, and its
          UNTIL is UTC when DTSTART is UTC or has a TZID; STATUS is TENTATIVE,
          CONFIRMED or CANCELLED; SEQUENCE a non-negative integer; ORGANIZER and
          ATTENDEE are mailto: addresses; (UID, RECURRENCE-ID) unique in the file;
          TEXT values (SUMMARY, DESCRIPTION, LOCATION, COMMENT, X-WR-CALNAME) escape
          ';' and ',' and use only \\\\ \\; \\, \\n \\N.
  time zones  every TZID parameter has a VTIMEZONE with that TZID in the file; no
          TZID defined twice; each VTIMEZONE has a TZID and at least one STANDARD or
          DAYLIGHT, each with DTSTART (local date-time), TZOFFSETFROM and TZOFFSETTO
          (+-hhmm[ss]); an observance RRULE's UNTIL is UTC.
  METHOD  PUBLISH: no ATTENDEE. REQUEST: every VEVENT has ORGANIZER and ATTENDEE.
          CANCEL: every VEVENT has STATUS:CANCELLED, SEQUENCE and ORGANIZER
          (RFC 5546 3.2.5). REQUEST and CANCEL carry a single UID (RFC 5546).
"""

from __future__ import annotations

import datetime as dt
import re
import sys

MAX_OCTETS = 75
NAME_RE = re.compile(r"^[A-Za-z0-9-]+$")
DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
DATETIME_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$")
OFFSET_RE = re.compile(r"^[+-]\d{4}(\d{2})?$")
TIME_PROPS = {"DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE", "DTSTAMP",
              "CREATED", "LAST-MODIFIED"}
TEXT_PROPS = {"SUMMARY", "DESCRIPTION", "LOCATION", "COMMENT", "X-WR-CALNAME"}
ONCE_IN_VEVENT = {"UID", "DTSTAMP", "DTSTART", "DTEND", "DURATION", "SUMMARY",
                  "DESCRIPTION", "LOCATION", "STATUS", "SEQUENCE", "ORGANIZER",
                  "RECURRENCE-ID", "RRULE", "CLASS", "TRANSP", "CREATED",
                  "LAST-MODIFIED", "URL"}
METHODS = {"PUBLISH", "REQUEST", "CANCEL"}


class Prop:
    def __init__(self, name, params, value, line):
        self.name = name.upper()
        self.params = params  # {NAME: [values, unquoted]}
        self.value = value
        self.line = line

    def param(self, name):
        values = self.params.get(name.upper())
        return values[0] if values else None


class Comp:
    def __init__(self, name, line):
        self.name = name.upper()
        self.line = line
        self.props: list[Prop] = []
        self.children: list[Comp] = []

    def all(self, name):
        return [p for p in self.props if p.name == name]

    def first(self, name):
        found = self.all(name)
        return found[0] if found else None

    def walk(self, name=None):
        if name is None or self.name == name:
            yield self
        for child in self.children:
            yield from child.walk(name)


class Linter:
    def __init__(self, path):
        self.path = path
        self.problems: list[tuple[int, str]] = []

    def problem(self, line, message):
        self.problems.append((line, message))

    # ----------------------------------------------------------------- bytes

    def physical_lines(self, data: bytes):
        """[(line_no, text)] of physical lines; reports byte-level problems."""
        if not data:
            self.problem(0, "empty file")
            return []
        # Judge UTF-8 on the unfolded text: if that is valid but a physical line is
        # not, a fold went through the middle of a multi-byte character.
        unfolded = re.sub(rb"\r\n[ \t]", b"", data)
        try:
            unfolded.decode("utf-8")
            whole_utf8 = True
        except UnicodeDecodeError as e:
            self.problem(0, f"not UTF-8 (even after unfolding): {e}")
            whole_utf8 = False
        if not data.endswith(b"\r\n"):
            self.problem(0, "file does not end with CRLF")
        chunks = data.split(b"\r\n")
        if chunks and chunks[-1] == b"":
            chunks.pop()
        out = []
        for no, raw in enumerate(chunks, start=1):
            if b"\r" in raw:
                self.problem(no, "bare CR (line breaks must be CRLF)")
            if b"\n" in raw:
                self.problem(no, "bare LF (line breaks must be CRLF)")
            for piece in re.split(rb"\r|\n", raw):
                if len(piece) > MAX_OCTETS:
                    self.problem(no, f"line is {len(piece)} octets, more than {MAX_OCTETS} "
                                     "(fold it)")
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                if whole_utf8:
                    self.problem(no, "folding splits a UTF-8 multi-byte character")
                else:
                    self.problem(no, "invalid UTF-8 on this line")
                text = raw.decode("utf-8", "replace")
            if raw == b"":
                self.problem(no, "empty line")
            bad = {c for c in text if (ord(c) < 0x20 and c not in "\t\r\n") or ord(c) == 0x7F}
            if bad:
                self.problem(no, "control character(s) " +
                             ", ".join(f"U+{ord(c):04X}" for c in sorted(bad)))
            for piece in re.split(r"\r\n|\r|\n", text):
                out.append((no, piece))
        return out

    # ----------------------------------------------------------------- syntax

    def content_lines(self, physical):
        """Unfold: [(first_line_no, logical_text)]."""
        logical = []
        for no, text in physical:
            if text[:1] in (" ", "\t"):
                if not logical:
                    self.problem(no, "continuation line with nothing before it")
                    continue
                start, prev = logical[-1]
                logical[-1] = (start, prev + text[1:])
            elif text != "":
                logical.append((no, text))
        return logical

    def parse_line(self, no, line):
        i, n = 0, len(line)
        while i < n and line[i] not in ";:":
            i += 1
        name = line[:i]
        if not NAME_RE.match(name):
            self.problem(no, f"bad property name {name!r}")
            return None
        params: dict[str, list[str]] = {}
        while i < n and line[i] == ";":
            i += 1
            j = i
            while j < n and line[j] not in "=;:":
                j += 1
            pname = line[i:j]
            if j >= n or line[j] != "=" or not NAME_RE.match(pname):
                self.problem(no, f"{name}: bad parameter {line[i:j]!r}")
                return None
            j += 1
            values = []
            while True:
                if j < n and line[j] == '"':
                    k = line.find('"', j + 1)
                    if k < 0:
                        self.problem(no, f"{name}: unterminated quoted parameter value")
                        return None
                    values.append(line[j + 1 : k])
                    j = k + 1
                else:
                    k = j
                    while k < n and line[k] not in ",;:":
                        if line[k] == '"':
                            self.problem(no, f"{name}: DQUOTE inside unquoted {pname} value")
                        k += 1
                    values.append(line[j:k])
                    j = k
                if j < n and line[j] == ",":
                    j += 1
                    continue
                break
            params[pname.upper()] = values
            i = j
        if i >= n or line[i] != ":":
            self.problem(no, f"{name}: no ':' before the value")
            return None
        return Prop(name, params, line[i + 1 :], no)

    def tree(self, logical):
        roots: list[Comp] = []
        stack: list[Comp] = []
        for no, text in logical:
            prop = self.parse_line(no, text)
            if prop is None:
                continue
            if prop.name == "BEGIN":
                comp = Comp(prop.value.strip(), no)
                if stack:
                    stack[-1].children.append(comp)
                else:
                    if roots:
                        self.problem(no, f"BEGIN:{comp.name} after the end of the calendar")
                    roots.append(comp)
                stack.append(comp)
            elif prop.name == "END":
                name = prop.value.strip().upper()
                if not stack:
                    self.problem(no, f"END:{name} without BEGIN")
                elif stack[-1].name != name:
                    self.problem(no, f"END:{name} closes BEGIN:{stack[-1].name} "
                                     f"(line {stack[-1].line})")
                    if any(c.name == name for c in stack):
                        while stack and stack[-1].name != name:
                            stack.pop()
                        stack.pop()
                else:
                    stack.pop()
            elif not stack:
                self.problem(no, f"{prop.name} outside any component")
            else:
                stack[-1].props.append(prop)
        for comp in stack:
            self.problem(comp.line, f"BEGIN:{comp.name} is never closed")
        if not roots:
            self.problem(0, "no component")
        elif roots[0].name != "VCALENDAR":
            self.problem(roots[0].line, f"top-level component is {roots[0].name}, not VCALENDAR")
        return roots

    # ----------------------------------------------------------------- values

    def check_time_value(self, prop, value, want_utc=False):
        """Validate one DATE or DATE-TIME value; return 'date', 'local', 'utc' or None."""
        value_type = (prop.param("VALUE") or "").upper()
        if value_type == "PERIOD":
            value = value.split("/")[0]
        m = DATETIME_RE.match(value)
        if m:
            y, mo, d, h, mi, s, z = m.groups()
            try:
                dt.datetime(int(y), int(mo), int(d), int(h), int(mi), min(int(s), 59))
            except ValueError:
                self.problem(prop.line, f"{prop.name}: impossible date-time {value}")
            if value_type == "DATE":
                self.problem(prop.line, f"{prop.name}: VALUE=DATE with a date-time {value}")
            if z and prop.param("TZID") is not None:
                self.problem(prop.line, f"{prop.name}: UTC value {value} with a TZID")
            if want_utc and not z:
                self.problem(prop.line, f"{prop.name}: {value} must be UTC (end with Z)")
            return "utc" if z else "local"
        m = DATE_RE.match(value)
        if m and value_type == "DATE":
            try:
                dt.date(*map(int, m.groups()))
            except ValueError:
                self.problem(prop.line, f"{prop.name}: impossible date {value}")
            if want_utc:
                self.problem(prop.line, f"{prop.name}: {value} must be a UTC date-time")
            return "date"
        hint = ""
        if ":" in value:
            hint = " (an unquoted ':' in a parameter value? write TZID=\"...\")"
        self.problem(prop.line, f"{prop.name}: {value!r} is not a date-time{hint}")
        return None

    def check_text(self, prop):
        v = prop.value
        i = 0
        while i < len(v):
            c = v[i]
            if c == "\\":
                if i + 1 >= len(v) or v[i + 1] not in "\\;,nN":
                    self.problem(prop.line, f"{prop.name}: bad escape "
                                            f"{v[i:i + 2]!r} in TEXT value")
                i += 2
                continue
            if c in ";,":
                self.problem(prop.line, f"{prop.name}: unescaped {c!r} in TEXT value "
                                        f"(write \\{c})")
                return
            i += 1

    def check_rrule(self, prop, dtstart_form, in_observance=False):
        parts = {}
        for part in prop.value.split(";"):
            key, sep, val = part.partition("=")
            if not sep:
                self.problem(prop.line, f"RRULE: bad part {part!r}")
                continue
            if key.upper() in parts:
                self.problem(prop.line, f"RRULE: {key} twice")
            parts[key.upper()] = val
        if "FREQ" not in parts:
            self.problem(prop.line, "RRULE: no FREQ")
        if "COUNT" in parts and "UNTIL" in parts:
            self.problem(prop.line, "RRULE: both COUNT and UNTIL")
        until = parts.get("UNTIL")
        if until is not None:
            if in_observance:
                if not DATETIME_RE.match(until) or not until.endswith("Z"):
                    self.problem(prop.line, f"RRULE: UNTIL={until} in a VTIMEZONE observance "
                                            "must be a UTC date-time (RFC 5545 3.6.5)")
            elif dtstart_form in ("utc", "zoned"):
                if not DATETIME_RE.match(until) or not until.endswith("Z"):
                    self.problem(prop.line, f"RRULE: UNTIL={until} must be UTC when DTSTART "
                                            "is UTC or has a TZID (RFC 5545 3.3.10)")
            elif dtstart_form == "date" and not DATE_RE.match(until):
                self.problem(prop.line, f"RRULE: UNTIL={until} must be a DATE like DTSTART")
            elif dtstart_form == "local" and until.endswith("Z"):
                self.problem(prop.line, f"RRULE: UNTIL={until} must be floating like DTSTART")

    # ----------------------------------------------------------------- components

    def once(self, comp, name, where):
        found = comp.all(name)
        if not found:
            self.problem(comp.line, f"{where} has no {name}")
            return None
        if len(found) > 1:
            self.problem(found[1].line, f"{where} has {name} {len(found)} times")
        return found[0]

    def check_vtimezones(self, cal):
        defined = {}
        for tz in cal.walk("VTIMEZONE"):
            tzid = self.once(tz, "TZID", "VTIMEZONE")
            where = f"VTIMEZONE {tzid.value if tzid else '?'}"
            if tzid is not None:
                if tzid.value in defined:
                    self.problem(tz.line, f"TZID {tzid.value!r} defined twice "
                                          f"(also line {defined[tzid.value]})")
                defined[tzid.value] = tz.line
            obs = [c for c in tz.children if c.name in ("STANDARD", "DAYLIGHT")]
            if not obs:
                self.problem(tz.line, f"{where} has no STANDARD or DAYLIGHT")
            for c in tz.children:
                if c.name not in ("STANDARD", "DAYLIGHT"):
                    self.problem(c.line, f"{where}: unexpected {c.name} inside")
            for o in obs:
                ow = f"{where} {o.name}"
                start = self.once(o, "DTSTART", ow)
                if start is not None:
                    form = self.check_time_value(start, start.value)
                    if form != "local" or start.param("TZID") is not None:
                        self.problem(start.line, f"{ow}: DTSTART must be a local date-time "
                                                 "(no Z, no TZID)")
                for name in ("TZOFFSETFROM", "TZOFFSETTO"):
                    p = self.once(o, name, ow)
                    if p is not None and (not OFFSET_RE.match(p.value)
                                          or p.value.startswith("-0000")
                                          and p.value.strip("-0") == ""):
                        self.problem(p.line, f"{ow}: {name} {p.value!r} is not +hhmm[ss]")
                for r in o.all("RRULE"):
                    self.check_rrule(r, "local", in_observance=True)
                for r in o.all("RDATE"):
                    for v in r.value.split(","):
                        self.check_time_value(r, v)
        return defined

    def check_tzid_uses(self, comp, defined, inside_vtimezone=False):
        if comp.name == "VTIMEZONE":
            inside_vtimezone = True
        for p in comp.props:
            tzid = p.param("TZID")
            if tzid is not None and not inside_vtimezone and tzid not in defined:
                self.problem(p.line, f"{p.name}: TZID {tzid!r} has no VTIMEZONE in the file")
        for child in comp.children:
            self.check_tzid_uses(child, defined, inside_vtimezone)

    def check_vevent(self, ev, method):
        uid_p = self.once(ev, "UID", "VEVENT")
        uid = uid_p.value if uid_p else "?"
        where = f"VEVENT {uid}"
        for name in ONCE_IN_VEVENT:
            found = ev.all(name)
            if len(found) > 1:
                self.problem(found[1].line, f"{where} has {name} {len(found)} times")
        stamp = self.once(ev, "DTSTAMP", where)
        if stamp is not None:
            self.check_time_value(stamp, stamp.value, want_utc=True)
        start = self.once(ev, "DTSTART", where)
        end = ev.first("DTEND")
        if end is None:
            self.problem(ev.line, f"{where} has no DTEND")
        if end is not None and ev.first("DURATION") is not None:
            self.problem(ev.first("DURATION").line, f"{where} has both DTEND and DURATION")
        start_form = None
        if start is not None:
            start_form = self.check_time_value(start, start.value)
            if start_form == "local" and start.param("TZID") is not None:
                start_form = "zoned"
        if end is not None:
            end_form = self.check_time_value(end, end.value)
            if end_form == "local" and end.param("TZID") is not None:
                end_form = "zoned"
            if (start is not None and start_form is not None and start_form == end_form
                    and start.param("TZID") == end.param("TZID")
                    and end.value <= start.value):
                self.problem(end.line, f"{where}: DTEND {end.value} is not after "
                                       f"DTSTART {start.value}")
        for name in ("EXDATE", "RDATE"):
            for p in ev.all(name):
                for v in p.value.split(","):
                    self.check_time_value(p, v)
        rid = ev.first("RECURRENCE-ID")
        if rid is not None:
            rid_form = self.check_time_value(rid, rid.value)
            if start_form and rid_form and (rid_form == "date") != (start_form == "date"):
                self.problem(rid.line, f"{where}: RECURRENCE-ID and DTSTART differ in value "
                                       "type (DATE vs DATE-TIME)")
        for r in ev.all("RRULE"):
            self.check_rrule(r, start_form)
        for name in TEXT_PROPS:
            for p in ev.all(name):
                self.check_text(p)
        status = ev.first("STATUS")
        if status is not None and status.value.upper() not in ("TENTATIVE", "CONFIRMED",
                                                               "CANCELLED"):
            self.problem(status.line, f"{where}: STATUS {status.value!r} is not TENTATIVE, "
                                      "CONFIRMED or CANCELLED")
        seq = ev.first("SEQUENCE")
        if seq is not None and not re.fullmatch(r"\d+", seq.value):
            self.problem(seq.line, f"{where}: SEQUENCE {seq.value!r} is not a non-negative "
                                   "integer")
        for name in ("ORGANIZER", "ATTENDEE"):
            for p in ev.all(name):
                if not p.value.lower().startswith("mailto:") or "@" not in p.value:
                    self.problem(p.line, f"{where}: {name} {p.value!r} is not a mailto: "
                                         "address")
        attendees = ev.all("ATTENDEE")
        organizer = ev.first("ORGANIZER")
        if method == "PUBLISH" and attendees:
            self.problem(attendees[0].line, f"{where}: ATTENDEE in a METHOD:PUBLISH calendar")
        if method == "REQUEST":
            if organizer is None:
                self.problem(ev.line, f"{where}: METHOD:REQUEST without ORGANIZER")
            if not attendees:
                self.problem(ev.line, f"{where}: METHOD:REQUEST without ATTENDEE")
        if method == "CANCEL":
            if status is None or status.value.upper() != "CANCELLED":
                self.problem(ev.line, f"{where}: METHOD:CANCEL without STATUS:CANCELLED")
            if seq is None:
                self.problem(ev.line, f"{where}: METHOD:CANCEL without SEQUENCE")
            if organizer is None:
                self.problem(ev.line, f"{where}: METHOD:CANCEL without ORGANIZER "
                                      "(RFC 5546 3.2.5)")
        return uid, (rid.value if rid is not None else None), (rid.param("TZID") if rid else None)

    def check_calendar(self, cal):
        for name in ("PRODID", "VERSION", "CALSCALE", "METHOD"):
            self.once(cal, name, "VCALENDAR")
        version = cal.first("VERSION")
        if version is not None and version.value != "2.0":
            self.problem(version.line, f"VERSION is {version.value!r}, not 2.0")
        calscale = cal.first("CALSCALE")
        if calscale is not None and calscale.value.upper() != "GREGORIAN":
            self.problem(calscale.line, f"CALSCALE is {calscale.value!r}, not GREGORIAN")
        method_p = cal.first("METHOD")
        method = method_p.value.upper() if method_p else None
        if method_p is not None and method not in METHODS:
            self.problem(method_p.line, f"METHOD {method_p.value!r} is not one of "
                                        + ", ".join(sorted(METHODS)))
        for p in cal.all("X-WR-CALNAME"):
            self.check_text(p)

        defined = self.check_vtimezones(cal)
        self.check_tzid_uses(cal, defined)

        seen = {}
        uids = set()
        events = [c for c in cal.children if c.name == "VEVENT"]
        for c in cal.children:
            if c.name not in ("VEVENT", "VTIMEZONE"):
                self.problem(c.line, f"unexpected component {c.name} in VCALENDAR")
        for ev in events:
            key = self.check_vevent(ev, method)
            uids.add(key[0])
            if key in seen:
                what = "no RECURRENCE-ID" if key[1] is None else f"RECURRENCE-ID {key[1]}"
                self.problem(ev.line, f"VEVENT {key[0]} with {what} appears twice "
                                      f"(also line {seen[key]})")
            seen.setdefault(key, ev.line)
        if method in ("REQUEST", "CANCEL") and len(uids) > 1:
            self.problem(0, f"METHOD:{method} with {len(uids)} UIDs (an iTIP message "
                            "carries one UID, RFC 5546)")
        if not events:
            self.problem(cal.line, "VCALENDAR has no VEVENT")

    def run(self):
        try:
            with open(self.path, "rb") as f:
                data = f.read()
        except OSError as e:
            self.problem(0, f"cannot read: {e}")
            return self.problems
        physical = self.physical_lines(data)
        logical = self.content_lines(physical)
        roots = self.tree(logical)
        if roots and roots[0].name == "VCALENDAR":
            self.check_calendar(roots[0])
        self.problems.sort(key=lambda p: p[0])
        return self.problems


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or any(a in ("-h", "--help") for a in args):
        print(__doc__)
        return 0 if args else 2
    bad = False
    for path in args:
        for line, message in Linter(path).run():
            print(f"{path}:{line}: {message}")
            bad = True
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
