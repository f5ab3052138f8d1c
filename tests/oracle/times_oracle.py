#!/usr/bin/env python3
"""Independent test oracle for `roundtable times FILE --format json`.

Written from docs/programme-format.md only (never from src/), so the Rust
implementation can be compared against values it did not produce.

Usage:  python3 tests/oracle/times_oracle.py PROGRAMME.toml
Prints  {"programme": ID, "rows": [ROW, ...]}  on stdout, exit status 0.
On any error in the programme (including a DST gap/fold under the `reject`
policy) prints "error: ..." on stderr and exits with status 2.

Only the standard library plus python-dateutil (rrule) are used; zones come
from zoneinfo (system tz database, falling back to the `tzdata` package).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
import tomllib
from datetime import date, datetime, timedelta, timezone, tzinfo

import zoneinfo

try:
    from dateutil import rrule as _rrule
except ImportError:  # pragma: no cover - reported as an oracle setup problem
    _rrule = None

UTC = timezone.utc
MAX_OCCURRENCES = 1000
DEFAULT_WINDOW = timedelta(days=366)
POLICIES = ("reject", "compatible", "earlier", "later")


class ProgrammeError(Exception):
    pass


# --------------------------------------------------------------------------
# Time zones
# --------------------------------------------------------------------------

# UTC+3, UTC-03:30, UTC+0530, GMT+1 (GMT+1 = one hour AHEAD of UTC).
_FIXED_RE = re.compile(r"^(UTC|GMT)([+-])(?:(\d{1,2})|(\d{2}):(\d{2})|(\d{2})(\d{2}))$")

# Files in the zoneinfo folders that are not zone names a user may write.
_NOT_ZONES = {"localtime", "Factory", "posixrules"}
_AVAILABLE = None


def _available() -> set:
    global _AVAILABLE
    if _AVAILABLE is None:
        _AVAILABLE = set(zoneinfo.available_timezones()) - _NOT_ZONES
    return _AVAILABLE


def parse_fixed_offset(spec: str):
    """Return a timedelta for a fixed-offset spec, or None if `spec` is not one."""
    m = _FIXED_RE.match(spec)
    if not m:
        return None
    sign = 1 if m.group(2) == "+" else -1
    if m.group(3) is not None:
        hours, minutes = int(m.group(3)), 0
    elif m.group(4) is not None:
        hours, minutes = int(m.group(4)), int(m.group(5))
    else:
        hours, minutes = int(m.group(6)), int(m.group(7))
    if minutes >= 60 or hours > 23:
        raise ProgrammeError(f"bad fixed offset {spec!r}")
    return sign * timedelta(hours=hours, minutes=minutes)


def parse_zone(spec) -> tzinfo:
    if not isinstance(spec, str) or not spec:
        raise ProgrammeError(f"bad time zone {spec!r}")
    off = parse_fixed_offset(spec)
    if off is not None:
        return timezone(off)
    if spec not in _available():
        raise ProgrammeError(f"unknown time zone {spec!r}")
    try:
        return zoneinfo.ZoneInfo(spec)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as e:
        raise ProgrammeError(f"unknown time zone {spec!r}: {e}")


# --------------------------------------------------------------------------
# Civil time -> instant, with the DST disambiguation policy
# --------------------------------------------------------------------------

def classify(civil: datetime, tz: tzinfo):
    """Return (kind, u_fold0, u_fold1) where kind is 'normal', 'gap' or 'fold'.

    Python semantics (PEP 495): for a civil time in a gap, fold=0 applies the
    offset in force BEFORE the transition (giving the LATER instant) and
    fold=1 the offset AFTER it (the EARLIER instant).  For a civil time in a
    fold, fold=0 gives the first (earlier) instant, fold=1 the later one.
    """
    naive = civil.replace(tzinfo=None)
    u0 = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    u1 = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    if u0 == u1:
        return "normal", u0, u1
    back0 = u0.astimezone(tz).replace(tzinfo=None, fold=0)
    back1 = u1.astimezone(tz).replace(tzinfo=None, fold=0)
    if back0 == naive and back1 == naive:
        kind = "fold"
        assert u0 < u1, (civil, tz, u0, u1)
    elif back0 != naive and back1 != naive:
        kind = "gap"
        assert u0 > u1, (civil, tz, u0, u1)
    else:  # pragma: no cover - would mean zoneinfo behaves unexpectedly
        raise AssertionError(f"cannot classify {civil} in {tz}: {u0} {u1}")
    return kind, u0, u1


def resolve(civil: datetime, tz: tzinfo, policy: str) -> datetime:
    """Civil date-time in zone `tz` -> aware UTC datetime, per the doc's table.

    | policy     | gap                                | fold     |
    | reject     | error                              | error    |
    | compatible | moved forward by gap (fold=0)      | earlier  |
    | earlier    | instant before the gap (fold=1)    | earlier  |
    | later      | moved forward (fold=0)             | later    |
    """
    if policy not in POLICIES:
        raise ProgrammeError(f"bad disambiguation policy {policy!r}")
    kind, u0, u1 = classify(civil, tz)
    if kind == "normal":
        return u0
    if policy == "reject":
        raise ProgrammeError(
            f"civil time {civil.isoformat()} is in a DST {kind} "
            f"(candidates {fmt_utc(min(u0, u1))} and {fmt_utc(max(u0, u1))})")
    if kind == "gap":
        return u1 if policy == "earlier" else u0
    # fold
    return u1 if policy == "later" else u0


# --------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------

def fmt_utc(u: datetime) -> str:
    return u.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def fmt_offset(off: timedelta) -> str:
    total = int(off.total_seconds())
    sign = "+" if total >= 0 else "-"
    total = abs(total)
    if total % 60:
        raise ProgrammeError(f"offset with seconds {off} cannot be written as +HH:MM")
    return f"{sign}{total // 3600:02d}:{(total % 3600) // 60:02d}"


def fmt_local(u: datetime, tz: tzinfo) -> str:
    loc = u.astimezone(tz)
    return loc.strftime("%Y-%m-%dT%H:%M:%S") + fmt_offset(loc.utcoffset())


# --------------------------------------------------------------------------
# Value parsers
# --------------------------------------------------------------------------

_CIVIL_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$")


def parse_civil(value, what: str) -> datetime:
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(microsecond=0)  # TOML local date-time (lenient)
    if not isinstance(value, str):
        raise ProgrammeError(f"{what}: expected a civil date-time string, got {value!r}")
    m = _CIVIL_RE.match(value)
    if not m:
        raise ProgrammeError(f"{what}: bad civil date-time {value!r}")
    y, mo, d, h, mi, s = (int(g) if g is not None else 0 for g in m.groups())
    try:
        return datetime(y, mo, d, h, mi, s)
    except ValueError as e:
        raise ProgrammeError(f"{what}: bad civil date-time {value!r}: {e}")


_SHORT_DUR_RE = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?$")
_ISO_DUR_RE = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$")


def parse_duration(value) -> timedelta:
    if not isinstance(value, str) or not value:
        raise ProgrammeError(f"bad duration {value!r}")
    m = _SHORT_DUR_RE.match(value)
    if m and (m.group(1) or m.group(2)):
        d = timedelta(hours=int(m.group(1) or 0), minutes=int(m.group(2) or 0))
    else:
        m = _ISO_DUR_RE.match(value)
        if not m or not any(m.groups()):
            raise ProgrammeError(f"bad duration {value!r}")
        d = timedelta(hours=int(m.group(1) or 0), minutes=int(m.group(2) or 0),
                      seconds=int(m.group(3) or 0))
    return d


def check_duration_range(d: timedelta, what: str) -> None:
    if d < timedelta(minutes=1) or d > timedelta(hours=24):
        raise ProgrammeError(f"{what}: duration {d} outside 1 minute .. 24 hours")


_HOURS_RE = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


def check_hours(value, what: str) -> None:
    if not isinstance(value, str):
        raise ProgrammeError(f"{what}: bad hours {value!r}")
    m = _HOURS_RE.match(value)
    if not m:
        raise ProgrammeError(f"{what}: bad hours {value!r}")
    h1, m1, h2, m2 = map(int, m.groups())
    if not (h1 <= 23 and m1 <= 59):
        raise ProgrammeError(f"{what}: bad hours {value!r}")
    if not ((h2 <= 23 and m2 <= 59) or (h2 == 24 and m2 == 0)):
        raise ProgrammeError(f"{what}: bad hours {value!r}")


_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def check_id(value, what: str) -> str:
    if not isinstance(value, str) or not _ID_RE.match(value):
        raise ProgrammeError(f"{what}: bad id {value!r}")
    return value


def check_keys(table, allowed, required, what: str) -> None:
    if not isinstance(table, dict):
        raise ProgrammeError(f"{what}: expected a table")
    for k in table:
        if k not in allowed:
            raise ProgrammeError(f"{what}: unknown key {k!r}")
    for k in required:
        if k not in table:
            raise ProgrammeError(f"{what}: missing key {k!r}")


def glob_match(pattern: str, text: str) -> bool:
    """`*` matches any run of characters ('/' included); nothing else is special."""
    rx = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(rx, text, flags=re.DOTALL) is not None


# --------------------------------------------------------------------------
# Recurrence
# --------------------------------------------------------------------------

def expand(start: datetime, repeat, excepts, tz: tzinfo, what: str):
    """Civil occurrences (naive datetimes) of a session, `except`s removed."""
    if repeat is None:
        occ = [start]
    else:
        if _rrule is None:
            raise SystemExit("oracle setup: python-dateutil is not installed")
        if not isinstance(repeat, str):
            raise ProgrammeError(f"{what}: repeat must be a string")
        rule = repeat.strip()
        if rule.upper().startswith("RRULE:"):
            rule = rule[len("RRULE:"):]
        parts = []
        bounded = False
        for part in rule.split(";"):
            if "=" not in part:
                raise ProgrammeError(f"{what}: bad RRULE part {part!r}")
            key, val = part.split("=", 1)
            key_u = key.strip().upper()
            if key_u in ("COUNT", "UNTIL"):
                bounded = True
            if key_u == "UNTIL" and val.upper().endswith("Z"):
                try:
                    inst = datetime.strptime(val.upper(), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
                except ValueError:
                    raise ProgrammeError(f"{what}: bad UNTIL {val!r}")
                # An instant: use its civil time in the session's zone.
                val = inst.astimezone(tz).replace(tzinfo=None).strftime("%Y%m%dT%H%M%S")
            parts.append(f"{key}={val}")
        try:
            rr = _rrule.rrulestr(";".join(parts), dtstart=start)
        except (ValueError, TypeError) as e:
            raise ProgrammeError(f"{what}: bad RRULE {repeat!r}: {e}")
        limit = None if bounded else start + DEFAULT_WINDOW
        cap = MAX_OCCURRENCES + len(excepts) + 1
        occ = []
        for dt in rr:
            if limit is not None and dt >= limit:
                break
            occ.append(dt)
            if len(occ) >= cap:
                break
    exset = set(excepts)
    occ = [o for o in occ if o not in exset]
    if len(occ) > MAX_OCCURRENCES:
        raise ProgrammeError(f"{what}: more than {MAX_OCCURRENCES} occurrences")
    return occ


# --------------------------------------------------------------------------
# Participants and groups
# --------------------------------------------------------------------------

CSV_COLUMNS = {"name", "email", "timezone", "groups", "working_hours", "night"}
CSV_REQUIRED = {"name", "email", "timezone"}


def read_csv_participants(path: str):
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise ProgrammeError(f"cannot read participants CSV {path}: {e}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ProgrammeError(f"participants CSV {path} is not UTF-8: {e}")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = list(reader)
    if not rows:
        raise ProgrammeError(f"participants CSV {path} has no header")
    header = [h.strip() for h in rows[0]]
    for h in header:
        if h not in CSV_COLUMNS:
            raise ProgrammeError(f"participants CSV {path}: unknown column {h!r}")
    if len(set(header)) != len(header):
        raise ProgrammeError(f"participants CSV {path}: repeated column")
    missing = CSV_REQUIRED - set(header)
    if missing:
        raise ProgrammeError(f"participants CSV {path}: missing columns {sorted(missing)}")
    out = []
    for lineno, row in enumerate(rows[1:], start=2):
        if not row or all(c.strip() == "" for c in row):
            continue  # blank line
        if len(row) != len(header):
            raise ProgrammeError(f"{path}:{lineno}: {len(row)} fields, expected {len(header)}")
        rec = {h: v.strip() for h, v in zip(header, row)}
        p = {"name": rec["name"], "email": rec["email"], "timezone": rec["timezone"]}
        groups = [g.strip() for g in rec.get("groups", "").split(";") if g.strip()]
        if groups:
            p["groups"] = groups
        for k in ("working_hours", "night"):
            if rec.get(k):
                p[k] = rec[k]
        for k in ("name", "email", "timezone"):
            if not p[k]:
                raise ProgrammeError(f"{path}:{lineno}: empty {k}")
        out.append((p, f"{path}:{lineno}"))
    return out


# --------------------------------------------------------------------------
# Main computation
# --------------------------------------------------------------------------

PROGRAMME_KEYS = {"id", "title", "timezone", "organizer", "description", "url",
                  "working_hours", "night", "disambiguation", "participants", "uid_domain"}
PROGRAMME_REQ = {"id", "title", "timezone", "organizer"}
# `required` (planning), `previous_id` and `uid_domain` (UIDs) do not change any time.
GROUP_KEYS = {"id", "title", "zones", "members", "required"}
GROUP_REQ = {"id", "title"}
SESSION_KEYS = {"id", "title", "start", "timezone", "duration", "end", "audience",
                "repeat", "except", "join_url", "description", "disambiguation",
                "occurrence", "previous_id"}
OCCURRENCE_KEYS = {"date", "start", "end", "duration", "title", "join_url", "description"}
OCCURRENCE_REQ = {"date"}
SESSION_REQ = {"id", "title", "start", "audience"}
PARTICIPANT_KEYS = {"name", "email", "timezone", "groups", "working_hours", "night", "required"}
PARTICIPANT_REQ = {"name", "email", "timezone"}


def _list_of_str(value, what):
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProgrammeError(f"{what}: expected a list of strings")
    return value


def compute(path: str) -> dict:
    try:
        with open(path, "rb") as f:
            doc = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ProgrammeError(f"cannot read {path}: {e}")
    base = os.path.dirname(os.path.abspath(path))

    check_keys(doc, {"programme", "group", "session", "participant"}, {"programme"}, "file")
    prog = doc["programme"]
    check_keys(prog, PROGRAMME_KEYS, PROGRAMME_REQ, "[programme]")
    prog_id = check_id(prog["id"], "[programme] id")
    prog_tz_spec = prog["timezone"]
    parse_zone(prog_tz_spec)
    check_keys(prog["organizer"], {"name", "email"}, {"name", "email"}, "organizer")
    prog_policy = prog.get("disambiguation", "reject")
    if prog_policy not in POLICIES:
        raise ProgrammeError(f"[programme] bad disambiguation {prog_policy!r}")
    for k in ("working_hours", "night"):
        if k in prog:
            check_hours(prog[k], f"[programme] {k}")

    # groups
    groups = {}
    for i, g in enumerate(doc.get("group", [])):
        what = f"[[group]] #{i + 1}"
        check_keys(g, GROUP_KEYS, GROUP_REQ, what)
        gid = check_id(g["id"], what)
        if gid in groups:
            raise ProgrammeError(f"{what}: duplicate group id {gid!r}")
        zones = _list_of_str(g.get("zones", []), f"{what} zones")
        members = _list_of_str(g.get("members", []), f"{what} members")
        groups[gid] = {"zones": zones, "members": {m.lower() for m in members},
                       "members_raw": members}

    # participants: TOML tables first, then CSV
    entries = []
    for i, p in enumerate(doc.get("participant", [])):
        what = f"[[participant]] #{i + 1}"
        check_keys(p, PARTICIPANT_KEYS, PARTICIPANT_REQ, what)
        for k in ("name", "email", "timezone"):
            if not isinstance(p[k], str):
                raise ProgrammeError(f"{what}: {k} must be a string")
        if "groups" in p:
            _list_of_str(p["groups"], f"{what} groups")
        entries.append((p, what))
    if "participants" in prog:
        csv_path = os.path.join(base, prog["participants"])
        entries.extend(read_csv_participants(csv_path))

    participants = []
    seen = set()
    for p, what in entries:
        key = p["email"].lower()
        if key in seen:
            raise ProgrammeError(f"{what}: duplicate e-mail {p['email']!r}")
        seen.add(key)
        tz = parse_zone(p["timezone"])
        for g in p.get("groups", []):
            if g not in groups:
                raise ProgrammeError(f"{what}: unknown group {g!r}")
        for k in ("working_hours", "night"):
            if k in p:
                check_hours(p[k], f"{what} {k}")
        participants.append({"email": p["email"], "timezone": p["timezone"], "tz": tz,
                             "groups": set(p.get("groups", []))})
    for gid, g in groups.items():
        for m in g["members_raw"]:
            if m.lower() not in seen:
                raise ProgrammeError(f"group {gid!r}: member {m!r} is not a participant")

    def in_group(part, gid):
        g = groups[gid]
        if gid in part["groups"]:
            return True
        if any(glob_match(pat, part["timezone"]) for pat in g["zones"]):
            return True
        return part["email"].lower() in g["members"]

    # sessions
    rows = []
    session_ids = set()
    for i, s in enumerate(doc.get("session", [])):
        what = f"[[session]] #{i + 1}"
        check_keys(s, SESSION_KEYS, SESSION_REQ, what)
        sid = check_id(s["id"], what)
        what = f"session {sid!r}"
        if sid in session_ids:
            raise ProgrammeError(f"{what}: duplicate session id")
        session_ids.add(sid)
        tz = parse_zone(s.get("timezone", prog_tz_spec))
        policy = s.get("disambiguation", prog_policy)
        if policy not in POLICIES:
            raise ProgrammeError(f"{what}: bad disambiguation {policy!r}")
        start = parse_civil(s["start"], f"{what} start")
        if ("duration" in s) == ("end" in s):
            raise ProgrammeError(f"{what}: exactly one of duration / end is required")
        if "duration" in s:
            duration = parse_duration(s["duration"])
        else:
            end = parse_civil(s["end"], f"{what} end")
            duration = resolve(end, tz, policy) - resolve(start, tz, policy)
        check_duration_range(duration, what)

        audience = s["audience"]
        if audience == "all":
            audience_members = list(participants)
        else:
            aud = _list_of_str(audience, f"{what} audience")
            if not aud:
                raise ProgrammeError(f"{what}: empty audience")
            for gid in aud:
                if gid not in groups:
                    raise ProgrammeError(f"{what}: unknown group {gid!r}")
            audience_members = [p for p in participants if any(in_group(p, g) for g in aud)]

        excepts = [parse_civil(e, f"{what} except")
                   for e in _list_of_str(s.get("except", []), f"{what} except")]
        occurrences = expand(start, s.get("repeat"), excepts, tz, what)
        # [[session.occurrence]]: civil start of the series -> (new civil start, length).
        changes = {}
        tables = s.get("occurrence", [])
        if tables and s.get("repeat") is None:
            raise ProgrammeError(f"{what}: [[session.occurrence]] without repeat")
        for j, t in enumerate(tables):
            owhat = f"{what} occurrence #{j + 1}"
            check_keys(t, OCCURRENCE_KEYS, OCCURRENCE_REQ, owhat)
            d = t["date"]
            if isinstance(d, date) and not isinstance(d, datetime):
                hits = [o for o in occurrences if o.date() == d]
            elif isinstance(d, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", d):
                day = datetime.strptime(d, "%Y-%m-%d").date()
                hits = [o for o in occurrences if o.date() == day]
            else:
                at = parse_civil(d, f"{owhat} date")
                hits = [o for o in occurrences if o == at]
            if len(hits) != 1:
                raise ProgrammeError(f"{owhat}: date {d!r} names {len(hits)} occurrences")
            if hits[0] in changes:
                raise ProgrammeError(f"{owhat}: occurrence changed twice")
            new_start = parse_civil(t["start"], f"{owhat} start") if "start" in t else hits[0]
            if "duration" in t and "end" in t:
                raise ProgrammeError(f"{owhat}: both duration and end")
            if "duration" in t:
                length = parse_duration(t["duration"])
            elif "end" in t:
                length = (resolve(parse_civil(t["end"], f"{owhat} end"), tz, policy)
                          - resolve(new_start, tz, policy))
            else:
                length = duration
            check_duration_range(length, owhat)
            changes[hits[0]] = (new_start, length)
        for occ in occurrences:
            civil, length = changes.get(occ, (occ, duration))
            u_start = resolve(civil, tz, policy)
            u_end = u_start + length
            for p in audience_members:
                rows.append({
                    "session": sid,
                    "start_utc": fmt_utc(u_start),
                    "end_utc": fmt_utc(u_end),
                    "participant": p["email"],
                    "timezone": p["timezone"],
                    "start_local": fmt_local(u_start, p["tz"]),
                    "end_local": fmt_local(u_end, p["tz"]),
                    "_key": (u_start, sid, p["email"]),
                })
    rows.sort(key=lambda r: r["_key"])
    for r in rows:
        del r["_key"]
    return {"programme": prog_id, "rows": rows}


def main(argv) -> int:
    if len(argv) != 2:
        print("usage: times_oracle.py PROGRAMME.toml", file=sys.stderr)
        return 64
    try:
        out = compute(argv[1])
    except ProgrammeError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(json.dumps(out, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
