#!/usr/bin/env python3
"""A benchmark peer of `roundtable invites`: the same job, scripted with Python `icalendar`.

    python3 bench/peers/invites_icalendar.py PROGRAMME.toml OUT_DIR [--vtimezones RT_PROGRAMME_ICS]

Reads the programme (tomllib) and its participants CSV (csv), expands every session in civil
time in its zone (dateutil.rrule), resolves each civil start to an instant (zoneinfo, with the
programme's gap/fold policy), and writes, with icalendar's Calendar/Event objects and to_ical():

    OUT_DIR/<programme-id>.ics           PUBLISH, every session
    OUT_DIR/participants/<slug>.ics      PUBLISH, one per participant, their sessions, each
                                         DESCRIPTION opening with their own local times
    OUT_DIR/participants/index.csv       email,name,file
    OUT_DIR/sessions/<session-id>.ics    REQUEST, ORGANIZER + one ATTENDEE per audience member

With --vtimezones, the VTIMEZONE components are taken from roundtable's programme calendar
(parsed once with icalendar) so that both write the same blocks; without it they are made by
icalendar's own Timezone.from_tzinfo over the span of the events.

This is a benchmark peer written "the most direct way", not a test and not a reference: it
does what the programme format (docs/programme-format.md) says, with no lock file (every
SEQUENCE is 0, as on roundtable's first run) and little validation.
"""

import argparse
import csv
import fnmatch
import re
import sys
import tomllib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from dateutil import rrule
from icalendar import Alarm, Calendar, Event, Timezone, vCalAddress, vRecur

PRODID = "-//roundtable bench peers//invites_icalendar.py//EN"
HORIZON = timedelta(days=366)
MAX_OCCURRENCES = 1000
SHOWN = 12
UTC = timezone.utc


# ---- zones --------------------------------------------------------------------------------

FIXED = re.compile(r"^(?:UTC|GMT)([+\-\u2212])(?:(\d{2})(\d{2})|(\d{1,2})(?::(\d{1,2}))?)$")


class Zone:
    """A zone as written: an IANA name (ZoneInfo) or a fixed offset (`UTC-3`, `GMT+1`)."""

    def __init__(self, written):
        self.written = written
        m = FIXED.match(written.strip().upper())
        if m and not _is_iana(written):
            sign = -1 if m.group(1) in "-\u2212" else 1
            hours = int(m.group(2) or m.group(4))
            minutes = int(m.group(3) or m.group(5) or 0)
            self.offset = sign * timedelta(hours=hours, minutes=minutes)
            self.tz = timezone(self.offset)
            total = abs(hours * 60 + minutes)
            self.tzid = f"UTC{'-' if sign < 0 else '+'}{total // 60:02d}{total % 60:02d}"
        else:
            self.offset = None
            self.tz = ZoneInfo(written)
            self.tzid = written

    def local(self, instant):
        return instant.astimezone(self.tz)


def _is_iana(name):
    try:
        ZoneInfo(name)
        return True
    except Exception:
        return False


_zones = {}


def zone(written):
    z = _zones.get(written)
    if z is None:
        z = _zones[written] = Zone(written)
    return z


class Ambiguous(Exception):
    pass


def resolve(civil, z, policy):
    """Civil time in zone -> (UTC instant, was it a gap or fold). Gaps and folds follow policy;
    with policy "reject" they raise Ambiguous."""
    if z.offset is not None:
        return (civil - z.offset).replace(tzinfo=UTC), False
    a = civil.replace(tzinfo=z.tz, fold=0).utcoffset()
    b = civil.replace(tzinfo=z.tz, fold=1).utcoffset()
    if a == b:
        return (civil - a).replace(tzinfo=UTC), False
    x, y = (civil - a).replace(tzinfo=UTC), (civil - b).replace(tzinfo=UTC)
    earlier, later = min(x, y), max(x, y)
    is_fold = x.astimezone(z.tz).replace(tzinfo=None) == civil
    if policy == "reject":
        kind = "happens twice (DST fold)" if is_fold else "does not exist (DST gap)"
        raise Ambiguous(f"{civil:%Y-%m-%d %H:%M} in {z.written} {kind}; set disambiguation")
    if policy == "earlier":
        return earlier, True
    if policy == "later":
        return later, True
    return (earlier if is_fold else later), True  # compatible


def offset_text(delta):
    minutes = int(delta.total_seconds()) // 60
    sign = "\u2212" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def describe_time(start, end, z):
    s, e = z.local(start), z.local(end)
    end_text = e.strftime("%H:%M") if e.date() == s.date() else e.strftime("%a %d %b %H:%M")
    return (f"{s.strftime('%a %d %b %Y')}, {s.strftime('%H:%M')}\u2013{end_text} "
            f"({z.written}, {offset_text(s.utcoffset())})")


# ---- programme ----------------------------------------------------------------------------

def parse_duration(text):
    body = text.strip()
    if body[:2].upper() == "PT":
        body = body[2:]
    m = re.fullmatch(r"(?:(\d+)[hH])?(?:(\d+)[mM])?", body)
    if not body or not m:
        sys.exit(f"error: `{text}` is not a duration")
    return timedelta(hours=int(m.group(1) or 0), minutes=int(m.group(2) or 0))


def civil(value):
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime.fromisoformat(str(value).strip())


def parse_until(value):
    value = value.strip()
    is_utc = value[-1:] in "Zz"
    text = value.rstrip("Zz")
    if len(text) == 8:
        moment = datetime.strptime(text, "%Y%m%d").replace(hour=23, minute=59, second=59)
    else:
        moment = datetime.strptime(text, "%Y%m%dT%H%M%S")
    return moment, is_utc


def load(path):
    path = Path(path)
    with open(path, "rb") as f:
        raw = tomllib.load(f)
    prog = raw["programme"]
    policy_default = prog.get("disambiguation", "reject")
    reminder_default = prog.get("reminder")
    groups = raw.get("group", [])
    group_ids = [g["id"] for g in groups]

    people = []
    for t in raw.get("participant", []):
        people.append({
            "name": t["name"], "email": t["email"].strip(), "timezone": t["timezone"].strip(),
            "groups": set(t.get("groups", [])),
        })
    if "participants" in prog:
        with open(path.parent / prog["participants"], newline="", encoding="utf-8-sig") as f:
            for row in csv.DictReader(f):
                row = {k.strip(): (v or "").strip() for k, v in row.items()}
                if not any(row.values()):
                    continue
                people.append({
                    "name": row["name"], "email": row["email"], "timezone": row["timezone"],
                    "groups": {g.strip() for g in row.get("groups", "").split(";") if g.strip()},
                })
    by_email = {p["email"].lower(): p for p in people}
    for g in groups:
        for m in g.get("members", []):
            by_email[m.strip().lower()]["groups"].add(g["id"])
    for p in people:
        p["zone"] = zone(p["timezone"])
        for g in groups:
            if any(fnmatch.fnmatchcase(p["timezone"], pat) for pat in g.get("zones", [])):
                p["groups"].add(g["id"])

    organizer = prog["organizer"]
    domain = organizer["email"].strip().rsplit("@", 1)[-1].lower()
    domain = "".join(c for c in domain if c.isascii() and (c.isalnum() or c in ".-"))

    sessions = []
    for s in raw.get("session", []):
        z = zone(s.get("timezone", prog["timezone"]))
        policy = s.get("disambiguation", policy_default)
        start = civil(s["start"])
        excepts = {civil(x) for x in s.get("except", [])}
        # Civil starts: the rule expanded in civil time (naive datetimes), as roundtable does.
        rule_text, count_given, generated = None, False, [start]
        if "repeat" in s:
            text = s["repeat"].strip()
            if text.upper().startswith("RRULE:"):
                text = text[6:]
            parts, until = [], None
            for part in filter(None, text.split(";")):
                key, value = part.split("=", 1)
                key = key.strip().upper()
                if key == "UNTIL":
                    until = parse_until(value)
                else:
                    count_given |= key == "COUNT"
                    parts.append(f"{key}={value.strip()}")
            rule_text = ";".join(parts)
            until_civil = None
            if until is not None:
                moment, is_utc = until
                until_civil = (z.local(moment.replace(tzinfo=UTC)).replace(tzinfo=None)
                               if is_utc else moment)
            unbounded = until_civil is None and not count_given
            generated = []
            for occ in rrule.rrulestr(rule_text, dtstart=start):
                if until_civil is not None and occ > until_civil:
                    break
                if unbounded and occ >= start + HORIZON:
                    break
                if len(generated) == MAX_OCCURRENCES:
                    sys.exit(f"error: session {s['id']}: more than {MAX_OCCURRENCES} occurrences")
                generated.append(occ)
        if "duration" in s:
            length = parse_duration(s["duration"])
        else:
            length = resolve(civil(s["end"]), z, policy)[0] - resolve(start, z, policy)[0]
        length = max(length, timedelta(minutes=1))
        occurrences = []
        for c in generated:
            if c in excepts:
                continue
            begin, moved = resolve(c, z, policy)
            occurrences.append((c, begin, begin + length, moved))
        if not occurrences:
            continue
        if s["audience"] == "all":
            audience = None
        else:
            audience = set(s["audience"])
            unknown = audience - set(group_ids)
            if unknown:
                sys.exit(f"error: session {s['id']}: unknown groups {sorted(unknown)}")
        reminder = s.get("reminder", reminder_default)
        sessions.append({
            "id": s["id"], "title": s["title"], "zone": z, "policy": policy, "start": start,
            "length": length, "rule": rule_text, "count": count_given, "generated": generated,
            "excepts": excepts, "occurrences": occurrences, "audience": audience,
            "join_url": s.get("join_url"), "description": s.get("description"),
            "reminder": parse_duration(reminder) if reminder else None,
            "uid": f"{s['id']}.{prog['id']}@{domain or 'roundtable.invalid'}",
        })
    sessions.sort(key=lambda s: s["id"])
    return prog, people, sessions


def slug(text):
    out = ""
    for c in text.strip().lower():
        if c.isascii() and (c.isalnum() or c == "_"):
            out += c
        elif c in ".-" and out and out[-1] not in ".-":
            out += c
        elif c == "@":
            out += "_at_"
        elif out and out[-1] not in ".-":
            out += "-"
    out = out.strip(".-")
    if len(out) > 80:
        out = out[:80].rstrip(".-")
    return out or "participant"


def slugs(people):
    used, out = set(), {}
    for i in sorted(range(len(people)), key=lambda i: people[i]["email"].lower()):
        base = candidate = slug(people[i]["email"])
        n = 2
        while candidate in used:
            candidate = f"{base}-{n}"
            n += 1
        used.add(candidate)
        out[i] = candidate
    return [out[i] for i in range(len(people))]


# ---- calendars ----------------------------------------------------------------------------

def utc_dt(instant):
    return instant.astimezone(UTC)


def new_calendar(method, name=None):
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    if name is not None:
        cal.add("name", name)
        cal.add("x-wr-calname", name)
    return cal


def written_in_utc(s):
    """A single occurrence that fell in a gap or fold is written in UTC (no TZID)."""
    return s["rule"] is None and s["occurrences"][0][3]


def add_timezones(cal, sessions, vtimezones):
    for tzid in sorted({s["zone"].tzid for s in sessions if not written_in_utc(s)}):
        cal.add_component(vtimezones[tzid])


def events_for(s, organizer, stamp, description=None, attendees=()):
    """The VEVENT of a session and one override VEVENT per occurrence in a gap or fold."""
    z, tzid = s["zone"], s["zone"].tzid
    first = s["occurrences"][0]
    ev = Event()
    ev.add("uid", s["uid"])
    ev.add("dtstamp", stamp)
    if s["rule"] is None:
        if first[3]:
            ev.add("dtstart", utc_dt(first[1]))
            ev.add("dtend", utc_dt(first[2]))
        else:
            ev.add("dtstart", first[0], parameters={"TZID": tzid})
            ev.add("dtend", z.local(first[2]).replace(tzinfo=None), parameters={"TZID": tzid})
    else:
        try:
            begin, moved = resolve(s["start"], z, "reject")
        except Ambiguous:
            moved = True
        ev.add("dtstart", s["start"], parameters={"TZID": tzid})
        if moved:
            ev.add("duration", s["length"])
        else:
            ev.add("dtend", z.local(begin + s["length"]).replace(tzinfo=None),
                   parameters={"TZID": tzid})
        rule = s["rule"]
        if not s["count"]:
            until, _ = resolve(s["generated"][-1], z, "later")
            rule += f";UNTIL={until:%Y%m%dT%H%M%SZ}"
        ev.add("rrule", vRecur.from_ical(rule))
        for x in sorted(set(s["generated"]) & s["excepts"]):
            ev.add("exdate", x, parameters={"TZID": tzid})
    fill(ev, s, organizer, description, attendees)
    out = [ev]
    if s["rule"] is not None:
        for c, begin, end, moved in s["occurrences"]:
            if not moved:
                continue
            o = Event()
            o.add("uid", s["uid"])
            o.add("dtstamp", stamp)
            o.add("recurrence-id", c, parameters={"TZID": tzid})
            o.add("dtstart", utc_dt(begin))
            o.add("dtend", utc_dt(end))
            fill(o, s, organizer, description, attendees)
            out.append(o)
    return out


def fill(ev, s, organizer, description, attendees):
    ev.add("sequence", 0)
    ev.add("summary", s["title"])
    text = description if description is not None else s["description"]
    if text:
        ev.add("description", text)
    if s["join_url"]:
        ev.add("url", s["join_url"])
        ev.add("location", s["join_url"])
        ev.add("conference", s["join_url"], parameters={"VALUE": "URI", "FEATURE": "VIDEO"})
    ev.add("organizer", vCalAddress(f"mailto:{organizer['email']}"),
           parameters={"CN": organizer["name"]})
    for p in attendees:
        ev.add("attendee", vCalAddress(f"mailto:{p['email']}"),
               parameters={"CN": p["name"], "ROLE": "REQ-PARTICIPANT",
                           "PARTSTAT": "NEEDS-ACTION", "RSVP": "TRUE"})
    ev.add("status", "CONFIRMED")
    ev.add("transp", "OPAQUE")
    if s["reminder"] is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", s["title"])
        alarm.add("trigger", -s["reminder"])
        ev.add_component(alarm)


def participant_description(s, person):
    occ = s["occurrences"]
    lines = []
    for i, (_, begin, end, _) in enumerate(occ[:SHOWN]):
        label = "Your time: " if i == 0 else "           "
        lines.append(label + describe_time(begin, end, person["zone"]))
    if len(occ) > SHOWN:
        lines.append(f"           \u2026 and {len(occ) - SHOWN} more")
    _, begin, end, _ = occ[0]
    lines.append("Session time: " + describe_time(begin, end, s["zone"]))
    lines.append(f"UTC: {begin:%a %d %b %Y, %H:%M}\u2013{end:%H:%M}")
    if len(occ) > 1:
        lines.append(f"{len(occ)} occurrences")
    if s["description"]:
        lines += ["", s["description"]]
    if s["join_url"]:
        lines += ["", f"Join: {s['join_url']}"]
    return "\n".join(lines)


def in_audience(s, person):
    return s["audience"] is None or not s["audience"].isdisjoint(person["groups"])


def load_vtimezones(path, sessions):
    if path:
        with open(path, "rb") as f:
            cal = Calendar.from_ical(f.read())
        found = {str(tz["TZID"]): tz for tz in cal.walk("VTIMEZONE")}
        for s in sessions:
            if not written_in_utc(s) and s["zone"].tzid not in found:
                sys.exit(f"error: {path} has no VTIMEZONE {s['zone'].tzid}")
        return found
    # icalendar's own VTIMEZONE generation, over the span of the events of each zone.
    spans = {}
    for s in sessions:
        first, last = s["occurrences"][0][1], s["occurrences"][-1][1]
        lo, hi, z = spans.get(s["zone"].tzid, (first, last, s["zone"]))
        spans[s["zone"].tzid] = (min(lo, first), max(hi, last), z)
    out = {}
    for tzid, (lo, hi, z) in spans.items():
        out[tzid] = Timezone.from_tzinfo(z.tz, tzid=tzid, first_date=lo.date() - timedelta(days=1),
                                         last_date=hi.date() + timedelta(days=1))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("programme")
    ap.add_argument("out_dir")
    ap.add_argument("--vtimezones", help="roundtable's <programme-id>.ics to copy VTIMEZONEs from")
    args = ap.parse_args()

    try:
        prog, people, sessions = load(args.programme)
    except Ambiguous as e:
        sys.exit(f"error: {e}")
    vtimezones = load_vtimezones(args.vtimezones, sessions)
    organizer = {"name": prog["organizer"]["name"], "email": prog["organizer"]["email"].strip()}
    stamp = datetime.now(UTC).replace(microsecond=0)
    out = Path(args.out_dir)
    (out / "participants").mkdir(parents=True, exist_ok=True)
    (out / "sessions").mkdir(parents=True, exist_ok=True)

    # The whole programme.
    cal = new_calendar("PUBLISH", prog["title"])
    add_timezones(cal, sessions, vtimezones)
    for s in sessions:
        for ev in events_for(s, organizer, stamp):
            cal.add_component(ev)
    (out / f"{prog['id']}.ics").write_bytes(cal.to_ical())

    # One calendar per participant, their own local times first in each description.
    names = slugs(people)
    with open(out / "participants" / "index.csv", "w", newline="", encoding="utf-8") as f:
        index = csv.writer(f, lineterminator="\n")
        index.writerow(["email", "name", "file"])
        for person, name in zip(people, names):
            mine = [s for s in sessions if in_audience(s, person)]
            cal = new_calendar("PUBLISH", f"{prog['title']} \u2014 {person['name']}")
            add_timezones(cal, mine, vtimezones)
            for s in mine:
                for ev in events_for(s, organizer, stamp, participant_description(s, person)):
                    cal.add_component(ev)
            file = f"participants/{name}.ics"
            (out / file).write_bytes(cal.to_ical())
            index.writerow([person["email"], person["name"], file])

    # One REQUEST per session, every audience member as ATTENDEE.
    for s in sessions:
        attendees = sorted((p for p in people if in_audience(s, p)), key=lambda p: p["email"])
        cal = new_calendar("REQUEST")
        add_timezones(cal, [s], vtimezones)
        for ev in events_for(s, organizer, stamp, attendees=attendees):
            cal.add_component(ev)
        (out / "sessions" / f"{s['id']}.ics").write_bytes(cal.to_ical())

    print(f"wrote {1 + len(people) + len(sessions)} calendars and index.csv to {out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
