#!/usr/bin/env python3
"""All-zones DST sweep: roundtable's times and invites against zoneinfo, read by three
independent iCalendar libraries.

Usage: sweep.py [--from YEAR] [--to YEAR] [--zones Z1,Z2,...] [--fast] [--jobs N]
                [--examples N] [--bin PATH] [--keep DIR] [--json OUT] [--no-libical]

For every zone (zoneinfo's list with the pinned tzdata, 597 names with the aliases,
the same list chrono-tz has) and every change of its UTC offset between 1 January of
--from and 31 December of --to, a programme gets sessions in that zone:

  before         one-off ending 2 h before the change (local clock)
  in-earlier/-later/-compatible
                 one-off starting in the middle of the gap or fold, each policy
  end-earlier/-later
                 one-off whose `end` is the middle of the gap or fold
  after          one-off 2 h after the change
  span           one-off from 1 h before the change, lasting 2 h + the change
  daily          FREQ=DAILY;COUNT=4 at the middle of the change, from the day before
                 (left out when the change is 23 h or more: Samoa's lost day)
  yearly         FREQ=YEARLY;COUNT=4 2 h after the change, on its date
and per zone one `quarterly` series (FREQ=MONTHLY;INTERVAL=3, 12:00 on the 20th)
over the whole window. Every session uses disambiguation = compatible unless named.

Expected instants come from zoneinfo only (never from roundtable): a civil time is
resolved with PEP 495 `fold` (earlier = min of both readings, later = max,
compatible = fold 0, i.e. the offset before a gap and the first of a fold); a series
is expanded in civil time with dateutil.rrule; the end is start + duration, or the
`end` civil time resolved with the session's policy.

Readers compared with the expectation:
  times      `roundtable times --format json`
  icalendar  tests/ics/expand.py            (Python icalendar + recurring_ical_events)
  ical.js    tests/ics/expand.mjs           (Mozilla ical.js)
  libical    tests/ics/expand_libical.py    (libical 3 through ICalGLib, /usr/bin/python3)
each reading `<out>/<programme>.ics` with only the file's VTIMEZONEs (the default
--vtimezone-only mode). And every VTIMEZONE in the files, read by libical and by
ical.js (--offsets), must give zoneinfo's offset at each transition -1 s, 0 s, +1 s
and on the 1st of every month, from the VTIMEZONE's first onset through 2037-12-31.

--fast keeps, per zone, the first and last change of the window and one change of
each shape (offsets before/after, local clock time, month) instead of every change.

Prints a summary table (differences per category and reader) and the first
--examples differences of each; exit status 0 when there is none, 1 otherwise,
2 when the sweep itself cannot run. Parallelism: at most --jobs processes (2).
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zoneinfo
from collections import Counter, defaultdict

from dateutil import rrule as _rrule

# The pinned tzdata package (tests/oracle/requirements.txt), never the host's database:
# it is the IANA release chrono-tz is built from.
zoneinfo.reset_tzpath([])

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
UTC = dt.timezone.utc
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
KEY = "test-calendar-address-key-0123456789abcdef"
LAST_CHECKED = dt.datetime(2037, 12, 31, 23, 59, 59, tzinfo=UTC)
READERS = ("times", "icalendar", "ical.js", "libical")
CATEGORIES = ("one-off start", "one-off end", "series occurrence", "override",
              "VTIMEZONE offset", "VTIMEZONE offset before events", "file error")
# Failures of a reader that no writer can avoid: reported in their own row, not
# counted as differences. (reader, text in the error message, why)
# Reader failures no writer can avoid: (reader, text of the failure, why). Empty: the one
# there was (dateutil's tzical failing on a 24-hour DAYLIGHT jump, Samoa 2011-12-30) the
# writer now avoids by labelling that observance STANDARD, so it counts as a file error again.
KNOWN_LIMITATIONS: tuple = ()
KNOWN = "known reader limitation"
NOT_ZONES = {"Factory", "localtime", "posixrules"}
LIBICAL_PYTHON = os.environ.get("ROUNDTABLE_LIBICAL_PYTHON", "/usr/bin/python3")


# --------------------------------------------------------------------------- zones


def all_zones() -> list[str]:
    return sorted(set(zoneinfo.available_timezones()) - NOT_ZONES)


def offset_at(zone, seconds: int) -> int:
    return int(dt.datetime.fromtimestamp(seconds, zone).utcoffset().total_seconds())


_TRANSITIONS: dict = {}


def transitions(name: str, first_year: int, last_year: int) -> list[tuple[int, int, int]]:
    """(instant, offset before, offset after) of every UTC-offset change from
    first_year-01-01 to last_year-12-31 (UTC), found by a daily scan and bisection
    (two changes less than a day apart would be seen as their sum)."""
    key = (name, first_year, last_year)
    if key in _TRANSITIONS:
        return _TRANSITIONS[key]
    zone = zoneinfo.ZoneInfo(name)
    lo_s = int((dt.datetime(first_year, 1, 1, tzinfo=UTC) - EPOCH).total_seconds())
    hi_s = int((dt.datetime(last_year + 1, 1, 1, tzinfo=UTC) - EPOCH).total_seconds())
    out = []
    t, prev = lo_s, offset_at(zone, lo_s)
    while t < hi_s:
        nxt = min(t + 86400, hi_s)
        off = offset_at(zone, nxt)
        if off != prev:
            a, b = t, nxt  # offset(a) == prev, offset(b) != prev
            while b - a > 1:
                m = (a + b) // 2
                if offset_at(zone, m) == prev:
                    a = m
                else:
                    b = m
            after = offset_at(zone, b)
            out.append((b, prev, after))
            prev = after
            if off != after:  # a second change later in the same day
                t = b
                continue
        t = nxt
    _TRANSITIONS[key] = out
    return out


def utc_of(seconds: int) -> dt.datetime:
    return EPOCH + dt.timedelta(seconds=seconds)


def iso(d: dt.datetime) -> str:
    return d.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def resolve(civil: dt.datetime, zone, policy: str) -> dt.datetime:
    u0 = civil.replace(tzinfo=zone, fold=0).astimezone(UTC)
    u1 = civil.replace(tzinfo=zone, fold=1).astimezone(UTC)
    if policy == "earlier":
        return min(u0, u1)
    if policy == "later":
        return max(u0, u1)
    return u0  # compatible: offset before a gap (moved forward), first of a fold


# --------------------------------------------------------------------------- sessions


def floor_minute(d: dt.datetime) -> dt.datetime:
    return d.replace(second=0, microsecond=0)


def civil_text(d: dt.datetime) -> str:
    return d.strftime("%Y-%m-%dT%H:%M")


def minutes_text(m: int) -> str:
    if m < 60:
        return f"{m}m"
    return f"{m // 60}h{m % 60}m" if m % 60 else f"{m // 60}h"


class Session:
    def __init__(self, sid, kind, category, start, policy="compatible", minutes=None,
                 end=None, repeat=None, change=None):
        self.sid, self.kind, self.category = sid, kind, category
        self.start, self.policy, self.minutes, self.end = start, policy, minutes, end
        self.repeat, self.change = repeat, change

    def toml(self, zone_name: str) -> str:
        lines = ["[[session]]", f'id = "{self.sid}"', f'title = "{self.kind}"',
                 f'start = "{civil_text(self.start)}"', f'timezone = "{zone_name}"',
                 'audience = "all"', f'disambiguation = "{self.policy}"']
        if self.end is not None:
            lines.append(f'end = "{civil_text(self.end)}"')
        else:
            lines.append(f'duration = "{minutes_text(self.minutes)}"')
        if self.repeat:
            lines.append(f'repeat = "{self.repeat}"')
        return "\n".join(lines) + "\n"

    def expected(self, zone) -> list[tuple[str, str]]:
        if self.repeat:
            civils = list(_rrule.rrulestr(self.repeat, dtstart=self.start))
        else:
            civils = [self.start]
        first = resolve(self.start, zone, self.policy)
        if self.end is not None:
            length = resolve(self.end, zone, self.policy) - first
        else:
            length = dt.timedelta(minutes=self.minutes)
        out = []
        for c in civils:
            s = resolve(c, zone, self.policy)
            out.append((iso(s), iso(s + length)))
        return out


def change_shape(name, t, before, after):
    local = utc_of(t + before)
    return (before, after, local.strftime("%H:%M"), local.month)


def sessions_for(name: str, changes, first_year: int, last_year: int) -> list[Session]:
    out = []
    for n, (t, before, after) in enumerate(changes):
        l1 = floor_minute(utc_of(t + before).replace(tzinfo=None))
        l2 = floor_minute(utc_of(t + after).replace(tzinfo=None))
        lo, hi = min(l1, l2), max(l1, l2)
        delta_min = abs(after - before) // 60
        mid = floor_minute(lo + (hi - lo) / 2)
        what = f"{'gap' if after > before else 'fold'} {iso(utc_of(t))}"
        p = f"c{n:03d}-"
        out += [
            Session(p + "before", "before " + what, "one-off", lo - dt.timedelta(hours=3),
                    minutes=60, change=n),
            Session(p + "in-earlier", "inside " + what, "one-off", mid, "earlier", 30, change=n),
            Session(p + "in-later", "inside " + what, "one-off", mid, "later", 30, change=n),
            Session(p + "in-compatible", "inside " + what, "one-off", mid, "compatible", 30,
                    change=n),
            Session(p + "after", "after " + what, "one-off", hi + dt.timedelta(hours=2),
                    minutes=60, change=n),
            Session(p + "span", "spans " + what, "one-off", lo - dt.timedelta(hours=1),
                    minutes=min(120 + delta_min, 24 * 60), change=n),
            Session(p + "yearly", "yearly after " + what, "series",
                    hi + dt.timedelta(hours=2), minutes=60, repeat="FREQ=YEARLY;COUNT=4",
                    change=n),
        ]
        # Starting half the change + 1 h before it, the end read "earlier" is 1 h after
        # the start, read "later" the change + 1 h. roundtable refuses an `end` more than
        # 24 civil hours after `start` (even when it is 1 h later in elapsed time), hence
        # none for Samoa's and Kwajalein's lost days.
        if delta_min + 60 <= 24 * 60:
            for policy in ("earlier", "later"):
                out.append(Session(p + "end-" + policy, "ends inside " + what, "one-off",
                                   lo - dt.timedelta(minutes=delta_min // 2 + 60), policy,
                                   end=mid, change=n))
        if delta_min < 23 * 60:
            out.append(Session(p + "daily", "daily across " + what, "series",
                               mid - dt.timedelta(days=1), minutes=30,
                               repeat="FREQ=DAILY;COUNT=4", change=n))
    months = (last_year - first_year + 1) * 12
    out.append(Session("quarterly", "every third month", "series",
                       dt.datetime(first_year, 1, 20, 12, 0), minutes=60,
                       repeat=f"FREQ=MONTHLY;INTERVAL=3;COUNT={months // 3}"))
    return out


def slug(name: str) -> str:
    # "+" spelled out: Etc/GMT+1 and Etc/GMT-1 must not share a folder.
    s = re.sub(r"[^a-z0-9]+", "-", name.lower().replace("+", "-plus-")).strip("-")
    return s or "zone"


def programme_text(pid: str, name: str, sessions: list[Session]) -> str:
    head = (
        "# Generated by tests/sweep/sweep.py\n"
        "[programme]\n"
        f'id = "{pid}"\n'
        f'title = "DST sweep {name}"\n'
        'timezone = "UTC"\n'
        'organizer = { name = "Sweep", email = "sweep@example.org" }\n\n'
        "[[participant]]\n"
        'name = "Observer"\n'
        'email = "observer@example.org"\n'
        'timezone = "UTC"\n\n'
    )
    return head + "\n".join(s.toml(name) for s in sessions)


# --------------------------------------------------------------------------- processes


def env() -> dict:
    e = dict(os.environ)
    e.pop("TZ", None)
    e["ROUNDTABLE_KEY"] = KEY
    e["SOURCE_DATE_EPOCH"] = "1700000000"
    return e


def run(cmd: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, env=env())


def run_expander(cmd_prefix: list[str], files: list[str], extra=None):
    """Run an expander over files; on failure drop the files it names and retry.
    Returns (parsed JSON section, {file: error})."""
    errors = {}
    todo = list(files)
    while todo:
        p = run(cmd_prefix + (extra or []) + todo)
        if p.returncode == 0:
            data = json.loads(p.stdout)
            return (data.get("files") or data.get("offsets") or {}), errors
        bad = set()
        for line in p.stderr.splitlines():
            for f in todo:
                if line.startswith(f + ": "):
                    errors[f] = line[len(f) + 2:]
                    bad.add(f)
        if not bad:  # a crash that names no file: give up on the whole batch
            for f in todo:
                errors[f] = (p.stderr.strip() or f"exit {p.returncode}")[:400]
            return {}, errors
        todo = [f for f in todo if f not in bad]
    return {}, errors


def chunks(items, size):
    for i in range(0, len(items), size):
        yield items[i:i + size]


# --------------------------------------------------------------------------- .ics


def unfold(text: str) -> list[str]:
    text = re.sub(r"\r?\n[ \t]", "", text)
    return [line for line in re.split(r"\r?\n", text) if line]


def vtimezones(path: str) -> dict[str, dt.datetime]:
    """TZID -> first onset (UTC) of each VTIMEZONE in the file."""
    out = {}
    tzid, frm, start, first = None, None, None, None
    in_vtz = False
    for line in unfold(open(path, encoding="utf-8").read()):
        name, _, value = line.partition(":")
        base = name.split(";")[0].upper()
        if base == "BEGIN" and value.upper() == "VTIMEZONE":
            in_vtz, tzid, first = True, None, None
        elif not in_vtz:
            continue
        elif base == "TZID":
            tzid = value
        elif base == "BEGIN":
            frm, start = None, None
        elif base == "TZOFFSETFROM":
            m = re.fullmatch(r"([+-])(\d\d)(\d\d)(\d\d)?", value.strip())
            sign = -1 if m.group(1) == "-" else 1
            frm = sign * (int(m.group(2)) * 3600 + int(m.group(3)) * 60 + int(m.group(4) or 0))
        elif base == "DTSTART":
            start = dt.datetime.strptime(value.strip()[:15], "%Y%m%dT%H%M%S")
        elif base == "END" and value.upper() in ("STANDARD", "DAYLIGHT"):
            if start is not None and frm is not None:
                onset = start.replace(tzinfo=UTC) - dt.timedelta(seconds=frm)
                first = onset if first is None else min(first, onset)
        elif base == "END" and value.upper() == "VTIMEZONE":
            in_vtz = False
            if tzid is not None and first is not None:
                out[tzid] = first
    return out


def override_dates(path: str) -> dict[str, set[str]]:
    """UID -> local dates (YYYYMMDD, as written) of its RECURRENCE-ID overrides."""
    out = defaultdict(set)
    uid, rid, in_ev = None, None, False
    for line in unfold(open(path, encoding="utf-8").read()):
        name, _, value = line.partition(":")
        base = name.split(";")[0].upper()
        if base == "BEGIN" and value.upper() == "VEVENT":
            in_ev, uid, rid = True, None, None
        elif base == "END" and value.upper() == "VEVENT":
            if uid and rid:
                out[uid].add(rid[:8])
            in_ev = False
        elif in_ev and base == "UID":
            uid = value
        elif in_ev and base == "RECURRENCE-ID":
            rid = value
    return out


def offset_samples(name: str, first: dt.datetime) -> list[str]:
    """Instants where a VTIMEZONE must agree with zoneinfo: each transition -1, 0, +1 s
    and the 1st of each month, from its first onset through 2037-12-31."""
    samples = set()
    for t, _b, _a in transitions(name, first.year, 2037):
        if utc_of(t) >= first:
            for d in (-1, 0, 1):
                samples.add(utc_of(t + d))
    y, m = first.year, first.month
    while True:
        m += 1
        if m > 12:
            y, m = y + 1, 1
        d = dt.datetime(y, m, 1, tzinfo=UTC)
        if d > LAST_CHECKED:
            break
        samples.add(d)
    return sorted(iso(s) for s in samples if first <= s <= LAST_CHECKED)


# --------------------------------------------------------------------------- main


class Results:
    def __init__(self, examples: int):
        self.counts = defaultdict(Counter)  # category -> reader -> n
        self.examples = defaultdict(list)  # (category, reader) -> [text]
        self.limit = examples
        self.compared = Counter()  # reader -> occurrences compared
        self.offsets_compared = Counter()

    def diff(self, category, reader, text):
        if category == "file error":
            for who, needle, _why in KNOWN_LIMITATIONS:
                if who == reader and needle in text:
                    category = KNOWN
        self.counts[category][reader] += 1
        ex = self.examples[(category, reader)]
        if len(ex) < self.limit:
            ex.append(text)


def compare_session(res: Results, reader, zone_name, s: Session, expected, got, overrides):
    res.compared[reader] += len(expected)
    if s.category == "one-off":
        if len(got) != 1:
            res.diff("one-off start", reader,
                     f"{zone_name} {s.sid} ({s.kind}, {s.policy}): expected {expected}, got {got}")
            return
        (es, ee), (gs, ge) = expected[0], got[0]
        if gs != es:
            res.diff("one-off start", reader,
                     f"{zone_name} {s.sid} ({s.kind}, {s.policy}) start "
                     f"{civil_text(s.start)}: expected {es}, got {gs}")
        if ge != ee:
            res.diff("one-off end", reader,
                     f"{zone_name} {s.sid} ({s.kind}, {s.policy}) "
                     f"{'end ' + civil_text(s.end) if s.end else 'duration'}: "
                     f"expected {ee}, got {ge}")
        return
    exp_c, got_c = Counter(expected), Counter(got)
    missing = sorted((exp_c - got_c).elements())
    extra = sorted((got_c - exp_c).elements())
    zone = zoneinfo.ZoneInfo(zone_name)
    for i in range(max(len(missing), len(extra))):
        e = missing[i] if i < len(missing) else None
        g = extra[i] if i < len(extra) else None
        ref = e or g
        local = dt.datetime.strptime(ref[0], "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=UTC).astimezone(zone).strftime("%Y%m%d")
        cat = "override" if local in overrides else "series occurrence"
        res.diff(cat, reader, f"{zone_name} {s.sid} ({s.kind}): expected "
                 f"{e[0] + '..' + e[1] if e else 'nothing'}, got "
                 f"{g[0] + '..' + g[1] if g else 'nothing'}")


def session_of(uid: str, pid: str) -> str:
    """The session of a UID: `<session>.<programme>@…`, or `<session>~<start>.<programme>@…` for a
    later part of a series roundtable split at a gap or fold."""
    return uid.split(f".{pid}@")[0].split("~")[0]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--from", dest="first", type=int, default=1990)
    ap.add_argument("--to", dest="last", type=int, default=2037)
    ap.add_argument("--zones", help="comma-separated zone names (default: all)")
    ap.add_argument("--fast", action="store_true",
                    help="one change per shape per zone (plus first and last)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--examples", type=int, default=5)
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "roundtable"))
    ap.add_argument("--keep", help="work in this folder and keep it")
    ap.add_argument("--json", help="write the counts and examples to this file")
    ap.add_argument("--no-libical", action="store_true")
    ap.add_argument("--batch", type=int, default=40, help="files per expander process")
    args = ap.parse_args(argv)
    t0 = time.monotonic()

    zones = all_zones() if not args.zones else [z.strip() for z in args.zones.split(",") if z.strip()]
    known = set(all_zones())
    unknown = [z for z in zones if z not in known]
    if unknown:
        print(f"unknown zones: {', '.join(unknown)}", file=sys.stderr)
        return 2
    if not os.access(args.bin, os.X_OK):
        print(f"{args.bin}: not built (cargo build --release)", file=sys.stderr)
        return 2

    work = args.keep or tempfile.mkdtemp(prefix="roundtable-sweep-")
    os.makedirs(work, exist_ok=True)
    res = Results(args.examples)
    plan = {}  # zone -> (dir, pid, sessions, expected per sid)
    n_changes = n_sessions = 0
    for name in zones:
        changes = transitions(name, args.first, args.last)
        n_all = len(changes)
        if args.fast and changes:
            keep, seen = [], set()
            for i, c in enumerate(changes):
                shape = change_shape(name, *c)
                if i in (0, len(changes) - 1) or shape not in seen:
                    keep.append(c)
                    seen.add(shape)
            changes = keep
        sessions = sessions_for(name, changes, args.first, args.last)
        zone = zoneinfo.ZoneInfo(name)
        pid = "sweep-" + slug(name)[:57]
        d = os.path.join(work, slug(name))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "programme.toml"), "w", encoding="utf-8") as f:
            f.write(programme_text(pid, name, sessions))
        plan[name] = (d, pid, sessions, {s.sid: s.expected(zone) for s in sessions})
        n_changes += len(changes)
        n_sessions += len(sessions)
        del n_all
    t_gen = time.monotonic() - t0

    # roundtable times + invites, per zone programme, two at a time.
    def roundtable(name):
        d, _pid, _s, _e = plan[name]
        p = os.path.join(d, "programme.toml")
        out = os.path.join(d, "out")
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(out + ".private", ignore_errors=True)
        t = run([args.bin, "times", p, "--format", "json"])
        i = run([args.bin, "invites", p, "--out", out])
        return name, t, i

    times_rows, ics = {}, {}
    with cf.ThreadPoolExecutor(max(1, args.jobs)) as ex:
        for name, t, i in ex.map(roundtable, zones):
            d, pid, _s, _e = plan[name]
            if t.returncode != 0:
                res.diff("file error", "times", f"{name}: roundtable times: {t.stderr.strip()[:300]}")
            else:
                rows = defaultdict(list)
                for r in json.loads(t.stdout)["rows"]:
                    rows[r["session"]].append((r["start_utc"], r["end_utc"]))
                times_rows[name] = rows
            f = os.path.join(d, "out", f"{pid}.ics")
            if i.returncode != 0 or not os.path.exists(f):
                for reader in READERS[1:]:
                    res.diff("file error", reader,
                             f"{name}: roundtable invites: {i.stderr.strip()[:300]}")
            else:
                ics[name] = f
    t_rt = time.monotonic() - t0 - t_gen

    # The three expanders, over batches of files, two processes at a time.
    expanders = {
        "icalendar": [sys.executable, os.path.join(ROOT, "tests/ics/expand.py"), "--max", "1000000"],
        "ical.js": ["node", os.path.join(ROOT, "tests/ics/expand.mjs"), "--max", "1000000"],
        "libical": [LIBICAL_PYTHON, os.path.join(ROOT, "tests/ics/expand_libical.py"),
                    "--max", "1000000"],
    }
    if args.no_libical:
        del expanders["libical"]
    files = [ics[z] for z in zones if z in ics]
    by_file = {ics[z]: z for z in ics}

    # Offsets queries: one per batch, for the VTIMEZONEs of its files.
    queries = {}
    for f in files:
        q = {}
        for tzid, first in vtimezones(f).items():
            if tzid in known:
                q[tzid] = offset_samples(tzid, first)
            # a non-IANA TZID (fixed offsets) has no zoneinfo reference; none here
        queries[f] = q
    qdir = os.path.join(work, "queries")
    os.makedirs(qdir, exist_ok=True)

    jobs = []
    for reader, cmd in expanders.items():
        for k, batch in enumerate(chunks(files, args.batch)):
            jobs.append((reader, "events", cmd, batch, None))
            if reader in ("ical.js", "libical"):
                qf = os.path.join(qdir, f"q{k}.json")
                if not os.path.exists(qf):
                    with open(qf, "w") as fh:
                        json.dump({f: queries[f] for f in batch}, fh)
                jobs.append((reader, "offsets", cmd[:2], batch, ["--offsets", qf]))

    def expand(job):
        reader, what, cmd, batch, extra = job
        return job, run_expander(cmd, batch, extra)

    read = defaultdict(dict)  # reader -> file -> expander JSON
    offsets = defaultdict(dict)
    with cf.ThreadPoolExecutor(max(1, args.jobs)) as ex:
        for (reader, what, _c, _b, _x), (data, errors) in ex.map(expand, jobs):
            for f, msg in errors.items():
                res.diff("file error", reader, f"{by_file[f]} ({what}): {msg}")
            (read if what == "events" else offsets)[reader].update(data)
    t_exp = time.monotonic() - t0 - t_gen - t_rt

    # Compare.
    n_occ = 0
    for name in zones:
        d, pid, sessions, expected = plan[name]
        n_occ += sum(len(v) for v in expected.values())
        f = ics.get(name)
        overrides = {}
        if f:
            for uid, dates in override_dates(f).items():
                overrides.setdefault(session_of(uid, pid), set()).update(dates)
        for reader in ["times"] + list(expanders):
            if reader == "times":
                if name not in times_rows:
                    continue
                got_by = times_rows[name]
            else:
                if f is None or f not in read[reader]:
                    continue
                got_by = defaultdict(list)
                for e in read[reader][f]["events"]:
                    got_by[session_of(e["uid"], pid)].append((e["start_utc"], e["end_utc"]))
            for s in sessions:
                compare_session(res, reader, name, s, expected[s.sid],
                                sorted(got_by.get(s.sid, [])), overrides.get(s.sid, set()))
        # VTIMEZONE offsets (those before the file's first event cannot move one).
        first_event = min((o[0] for v in expected.values() for o in v), default="")
        if f:
            for reader in ("ical.js", "libical"):
                if reader not in expanders or f not in offsets[reader]:
                    continue
                for tzid, instants in queries[f].items():
                    got = offsets[reader][f].get(tzid)
                    zone = zoneinfo.ZoneInfo(tzid)
                    res.offsets_compared[reader] += len(instants)
                    if got is None:
                        res.diff("VTIMEZONE offset", reader, f"{name}: no VTIMEZONE {tzid} read")
                        continue
                    for when, off in zip(instants, got):
                        want = offset_at(zone, int((dt.datetime.strptime(
                            when, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC) - EPOCH).total_seconds()))
                        if off != want:
                            res.diff("VTIMEZONE offset" if when >= first_event
                                     else "VTIMEZONE offset before events", reader,
                                     f"{tzid} at {when}: zoneinfo {fmt_off(want)}, "
                                     f"VTIMEZONE {fmt_off(off)}")
    elapsed = time.monotonic() - t0

    readers = ["times"] + list(expanders)
    print(f"DST sweep {args.first}-{args.last}{' (fast)' if args.fast else ''}: "
          f"{len(zones)} zones, {n_changes} offset changes, {n_sessions} sessions, "
          f"{n_occ} expected occurrences")
    print("occurrences compared: " + ", ".join(f"{r} {res.compared[r]}" for r in readers))
    print("VTIMEZONE offsets compared: " + ", ".join(
        f"{r} {res.offsets_compared[r]}" for r in readers if r in ("ical.js", "libical")))
    print(f"time: {elapsed:.0f} s (generate {t_gen:.0f} s, roundtable {t_rt:.0f} s, "
          f"expanders {t_exp:.0f} s); work folder {work}")
    print()
    width = max(len(c) for c in CATEGORIES + (KNOWN,))
    print(f"{'differences':<{width}} " + " ".join(f"{r:>10}" for r in readers))
    for c in CATEGORIES:
        print(f"{c:<{width}} " + " ".join(f"{res.counts[c][r]:>10}" for r in readers))
    total = sum(sum(res.counts[c].values()) for c in CATEGORIES)
    if res.counts[KNOWN]:
        print(f"({KNOWN}, not counted: " + ", ".join(
            f"{r} {n}" for r, n in res.counts[KNOWN].items()) + ")")
    print(f"total differences: {total}")
    for c in CATEGORIES + (KNOWN,):
        for r in readers:
            ex = res.examples.get((c, r))
            if ex:
                print(f"\n{c} / {r} ({res.counts[c][r]}):")
                for line in ex:
                    print("  " + line)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"zones": len(zones), "changes": n_changes, "sessions": n_sessions,
                       "occurrences": n_occ, "compared": res.compared,
                       "offsets_compared": res.offsets_compared,
                       "counts": {c: dict(res.counts[c]) for c in CATEGORIES + (KNOWN,)},
                       "total": total,
                       "examples": {f"{c} / {r}": v for (c, r), v in res.examples.items()},
                       "seconds": round(elapsed)}, fh, indent=2)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if total else 0


def fmt_off(seconds) -> str:
    if seconds is None:
        return "none"
    sign = "-" if seconds < 0 else "+"
    s = abs(seconds)
    return f"{sign}{s // 3600:02d}:{s % 3600 // 60:02d}" + (f":{s % 60:02d}" if s % 60 else "")


if __name__ == "__main__":
    sys.exit(main())
