#!/usr/bin/env python3
"""A second count of what `roundtable check` summarises (tests/it/report_summary.rs).

Reads the programme (TOML, and its participants CSV) and the rows of
`roundtable times PROGRAMME --format json` on standard input, and counts from them, minute by
minute, the `night`, `outside-hours`, `date-shift` and `weekend` conflicts as the README defines
them:

- night: a minute of the session falls in the participant's night (default 22:00-06:00);
- outside-hours: a minute falls outside their working hours (default 08:00-20:00), none in the
  night;
- date-shift: their local date differs from the session's date in the session's zone;
- weekend: the session starts, in their zone, on a day of their weekend: their own `weekend`,
  else the days the test gives for their zone (argument 2, a JSON object zone -> ["fri", ...],
  written by hand from the countries' labour laws), else Saturday and Sunday.

Minutes are counted on the local clock at the start, as roundtable does (no session of the
examples crosses a change of offset). Other kinds (overlap, busy, dst-shift) are not counted:
the test checks that the examples have none.

Prints {"sessions": [...], "days": [...], "most_affected": [...]} in the shapes of the JSON
report's `summary`: sessions in programme order, then severity, then kind; days by date (in the
programme's zone), severity, kind; the five most affected participants (most errors, most night
minutes, most warnings, most outside-hours minutes, then e-mail).

Usage: roundtable times P --format json | summary_oracle.py P '{"Africa/Cairo": ["fri", "sat"]}'
"""
import csv
import datetime as dt
import json
import os
import re
import sys
import tomllib
from zoneinfo import ZoneInfo

SEVERITY = {"night": 0, "outside-hours": 1, "weekend": 1, "date-shift": 2}
WORD = {0: "error", 1: "warning", 2: "info"}
# Kinds in the order of roundtable's Kind enum (the tie-break after severity).
KIND_ORDER = ["night", "outside-hours", "overlap", "busy", "weekend", "dst-shift", "date-shift"]
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def zone(text):
    m = re.fullmatch(r"(?:UTC|GMT)([+-])(\d{1,2})(?::?(\d{2}))?", text.strip())
    if m:
        sign = 1 if m.group(1) == "+" else -1
        minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
        return dt.timezone(dt.timedelta(minutes=sign * minutes))
    return ZoneInfo(text.strip())


def hours(text):
    a, b = text.split("-")

    def minute(t):
        h, m = t.split(":")
        return int(h) * 60 + int(m)

    return minute(a), minute(b)


def within(m, rng):
    a, b = rng
    return a <= m < b if a <= b else (m >= a or m < b)


def main():
    path = sys.argv[1]
    weekend_by_zone = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    with open(path, "rb") as f:
        prog = tomllib.load(f)
    p = prog["programme"]
    prog_zone = zone(p["timezone"])
    default_wh = hours(p.get("working_hours", "08:00-20:00"))
    default_night = hours(p.get("night", "22:00-06:00"))
    people = {}

    def add(email, tz, wh, night, weekend):
        people[email] = {
            "zone": tz,
            "wh": hours(wh) if wh else default_wh,
            "night": hours(night) if night else default_night,
            "weekend": weekend,
        }

    for t in prog.get("participant", []):
        add(t["email"], t["timezone"], t.get("working_hours"), t.get("night"), t.get("weekend"))
    if "participants" in p:
        csv_path = os.path.join(os.path.dirname(path), p["participants"])
        with open(csv_path, encoding="utf-8-sig", newline="") as f:
            for r in csv.DictReader(f):
                w = [d.strip() for d in (r.get("weekend") or "").split(";") if d.strip()]
                add(r["email"].strip(), r["timezone"].strip(), (r.get("working_hours") or "").strip(),
                    (r.get("night") or "").strip(), w or None)
    session_order = [s["id"] for s in prog["session"]]
    session_zone = {s["id"]: zone(s.get("timezone", p["timezone"])) for s in prog["session"]}

    rows = json.load(sys.stdin)["rows"]
    conflicts = []  # (kind, email, session, start_utc)
    burden = {}
    for r in rows:
        who = people[r["participant"]]
        start = dt.datetime.fromisoformat(r["start_local"])
        end = dt.datetime.fromisoformat(r["end_local"])
        start_utc = dt.datetime.fromisoformat(r["start_utc"].replace("Z", "+00:00"))
        minutes = int((end - start).total_seconds() // 60)
        at = start.hour * 60 + start.minute
        night = outside = 0
        for k in range(minutes):
            m = (at + k) % 1440
            if within(m, who["night"]):
                night += 1
            elif not within(m, who["wh"]):
                outside += 1
        b = burden.setdefault(r["participant"], [0, 0])
        b[0] += night
        b[1] += outside
        if night:
            conflicts.append(("night", r["participant"], r["session"], start_utc))
        elif outside:
            conflicts.append(("outside-hours", r["participant"], r["session"], start_utc))
        days = who["weekend"] or weekend_by_zone.get(who["zone"], ["sat", "sun"])
        if DAYS[start.weekday()] in [d.lower()[:3] for d in days]:
            conflicts.append(("weekend", r["participant"], r["session"], start_utc))
        session_date = start_utc.astimezone(session_zone[r["session"]]).date()
        if start.date() != session_date:
            conflicts.append(("date-shift", r["participant"], r["session"], start_utc))

    def kind_key(kind):
        return (SEVERITY[kind], KIND_ORDER.index(kind))

    by_session = {}
    by_day = {}
    for kind, email, session, start_utc in conflicts:
        s = by_session.setdefault((session, kind), [set(), set(), 0])
        s[0].add(email)
        s[1].add(start_utc)
        s[2] += 1
        date = start_utc.astimezone(prog_zone).date()
        d = by_day.setdefault((date, kind), [set(), 0])
        d[0].add(email)
        d[1] += 1
    sessions = [
        {"session": session, "kind": kind, "severity": WORD[SEVERITY[kind]],
         "participants": len(v[0]), "occurrences": len(v[1]), "conflicts": v[2]}
        for (session, kind), v in sorted(
            by_session.items(), key=lambda e: (session_order.index(e[0][0]), kind_key(e[0][1])))
    ]
    days = [
        {"date": date.isoformat(), "kind": kind, "severity": WORD[SEVERITY[kind]],
         "participants": len(v[0]), "conflicts": v[1]}
        for (date, kind), v in sorted(by_day.items(), key=lambda e: (e[0][0], kind_key(e[0][1])))
    ]
    counts = {}
    for kind, email, _, _ in conflicts:
        counts.setdefault(email, [0, 0, 0])[SEVERITY[kind]] += 1
    ranked = sorted(
        (e for e, c in counts.items() if c[0] + c[1] > 0),
        key=lambda e: (-counts[e][0], -burden[e][0], -counts[e][1], -burden[e][1], e),
    )
    most = [
        {"participant": e, "error": counts[e][0], "warning": counts[e][1], "info": counts[e][2],
         "night_minutes": burden[e][0], "outside_hours_minutes": burden[e][1]}
        for e in ranked[:5]
    ]
    json.dump({"sessions": sessions, "days": days, "most_affected": most}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
