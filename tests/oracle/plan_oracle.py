#!/usr/bin/env python3
"""Brute-force oracle for `roundtable suggest` and `roundtable split` (JSON formats).

Written from the commands' specification (the score rules in `roundtable suggest --help`,
docs/programme-format.md for the file), never from src/plan/. Standard library only:
tomllib, csv, zoneinfo, itertools.

    plan_oracle.py suggest FILE --duration D --from DAY --to DAY [--audience G]... [--step S] [--top N]
    plan_oracle.py split FILE --editions K --duration D --date DAY [--audience G]... [--step S]
                        [--count-optima] [--slots START_UTC,START_UTC,...]
    plan_oracle.py split FILE --editions auto ...     (prints {"editions_auto": K, "totals": [...]})

Rules (the spec, restated):

* Score of a slot [start, start + D) for one participant: take the local wall-clock time of
  `start` in the participant's zone (the offset in force at `start`), minute of day m; the
  slot covers minutes m, m+1, ..., m+D-1 taken modulo 1440 (a DST change inside the slot is
  ignored). Each minute: night (participant's `night`, default the programme's, default
  22:00-06:00) -> -2, else inside working hours (default 08:00-20:00) -> +1, else 0.
  -60 when the local date of `start` is one of the participant's weekend days.
* inside = no minute outside working hours and none in the night; night = some night minute;
  partial = the rest (their e-mails: `outside_participants`).
* Commitments: a participant is unavailable at [start, start + D) when a session of the programme
  they attend (one-off sessions only here: `start` plus `duration` or `end`, civil in the
  session's or programme's zone; audience "all" or groups), other than `--session`, or an event
  of their `busy` file (only `DTSTART:...Z` / `DTEND:...Z` lines are read) overlaps it with
  positive length. Unavailable -> score -3*D - 60 and listed (reason "session:ID" or "busy"),
  not counted as inside/partial/night.
* Required participants: `required = true` on the participant or a group they belong to, or a
  member of a `--required` group (whether or not in the audience). Their miss at a slot: D when
  unavailable, else their night + outside minutes.
* suggest: a slot is free when nobody in the audience is unavailable (or `--allow-overlap`).
  Candidates: free slots whose summed miss is the smallest over free slots (outcome
  "satisfied" when 0, else "required_compromise"); none free -> "no_free_start", no proposals.
  Taken best score first (ties: earlier); each taken slot i extends over neighbouring
  candidates with the same score not yet passed over (first..last; `same_until_utc` = last) and
  every slot with start in (first - D, last + D) is passed over. `passed_over` counts non-free slots.
* `--every-start`: no run and nothing passed over (`same_until_utc` = the start).
* split: required participants leave the audience (they attend every edition). Slots kept:
  free ones (as above); of those, the ones whose miss <= the K-th smallest miss among them.
* Grid: 00:00 of the first day in the programme's zone, then + n * step elapsed, every start
  strictly before 00:00 of the day after the last day.
* split: every K-combination of the day's grid slots (itertools.combinations, no pruning, no
  heuristics); value = sum over participants of their best score among the K slots. Each
  participant goes to the edition where their score is highest, ties to the earlier one.
  `--count-optima` adds "optimal_sets" (how many K-sets reach the optimum); `--slots` evaluates
  the given start instants instead of searching (to check another program's choice).

Weekend: the participant's `weekend` list if given, else by the country of the zone
(zone.tab of the tz database) and the table of non Saturday-Sunday countries, read as data
from src/weekend/mod.rs; Saturday and Sunday otherwise.
"""

import csv
import itertools
import json
import os
import re
import sys
import tomllib
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
FULL_DAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
             "saturday": 5, "sunday": 6}


class OracleError(Exception):
    pass


# ---------------------------------------------------------------- parsing small values

def parse_duration_minutes(text: str) -> int:
    """`90m`, `2h`, `1h30m`, `PT1H30M` -> whole minutes."""
    s = text.strip()
    m = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?", s, re.IGNORECASE)
    if m is None or not any(m.groups()):
        m = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", s)
    if m is None or not any(m.groups()):
        raise OracleError(f"bad duration {text!r}")
    h, mi, se = (int(g) if g else 0 for g in m.groups())
    total = h * 3600 + mi * 60 + se
    if total % 60:
        raise OracleError(f"duration {text!r} is not whole minutes")
    return total // 60


def parse_hours(text: str) -> set:
    """`HH:MM-HH:MM` (may wrap past midnight, `24:00` may end it) -> set of minutes of day."""
    m = re.fullmatch(r"(\d{2}):(\d{2})-(\d{2}):(\d{2})", text.strip())
    if m is None:
        raise OracleError(f"bad hours {text!r}")
    a = int(m.group(1)) * 60 + int(m.group(2))
    b = int(m.group(3)) * 60 + int(m.group(4))
    if a >= 1440 or b > 1440:
        raise OracleError(f"bad hours {text!r}")
    if a < b:
        return set(range(a, b))
    if a > b:
        return set(range(a, 1440)) | set(range(0, b))
    raise OracleError(f"empty or ambiguous hours {text!r}")


_FIXED = re.compile(r"^(UTC|GMT)([+-])(?:(\d{1,2})|(\d{2}):(\d{2})|(\d{2})(\d{2}))$")


def parse_zone(spec: str):
    m = _FIXED.match(spec)
    if m:
        sign = 1 if m.group(2) == "+" else -1
        h = int(m.group(3) or m.group(4) or m.group(6))
        mi = int(m.group(5) or m.group(7) or 0)
        return timezone(sign * timedelta(hours=h, minutes=mi))
    return ZoneInfo(spec)


def glob_match(pattern: str, text: str) -> bool:
    rx = "".join(".*" if c == "*" else re.escape(c) for c in pattern)
    return re.fullmatch(rx, text, re.DOTALL) is not None


# ---------------------------------------------------------------- weekend by country

def _tz_file(name: str):
    for base in ["/usr/share/zoneinfo"]:
        p = os.path.join(base, name)
        if os.path.exists(p):
            return p
    try:
        import tzdata  # noqa: PLC0415
        p = os.path.join(os.path.dirname(tzdata.__file__), "zoneinfo", name)
        if os.path.exists(p):
            return p
    except ImportError:
        pass
    return None


def zone_country(zone: str):
    table = {}
    p = _tz_file("zone.tab")
    if p:
        with open(p, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                cols = line.rstrip("\n").split("\t")
                table[cols[2]] = cols[0]
    if zone in table:
        return table[zone]
    # links (Asia/Calcutta -> Asia/Kolkata)
    p = _tz_file("tzdata.zi")
    if p:
        with open(p, encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) == 3 and parts[0] == "L" and parts[2] == zone:
                    return table.get(parts[1])
    return None


def country_weekends() -> dict:
    """The table of countries whose weekend is not Sat-Sun, read as data from src/weekend/mod.rs."""
    path = os.path.join(ROOT, "src", "weekend", "mod.rs")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    out = {}
    for cc, days in re.findall(r'\("([A-Z]{2})",\s*&\[([^\]]*)\]\)', text):
        out[cc] = {DAYS[d.lower()] for d in re.findall(r"Weekday::(\w{3})", days)}
    if not out:
        raise OracleError("no weekend table found in src/weekend/mod.rs")
    return out


def parse_day(d: str) -> int:
    k = d.strip().lower()
    if k in DAYS:
        return DAYS[k]
    if k in FULL_DAYS:
        return FULL_DAYS[k]
    raise OracleError(f"bad weekend day {d!r}")


# ---------------------------------------------------------------- programme

class Participant:
    def __init__(self, name, email, zone_spec, groups, working, night, weekend):
        self.required = False
        self.busy = []  # (start, end) UTC datetimes
        self.name = name
        self.email = email
        self.zone_spec = zone_spec
        self.tz = parse_zone(zone_spec)
        self.groups = groups
        self.weekend = weekend  # set of weekday numbers
        work = parse_hours(working)
        nig = parse_hours(night)
        # value, night flag, outside-working (not night) flag for each minute of the day
        val = [0] * 1440
        nf = [0] * 1440
        of = [0] * 1440
        for i in range(1440):
            if i in nig:
                val[i], nf[i] = -2, 1
            elif i in work:
                val[i] = 1
            else:
                of[i] = 1
        # prefix sums over two days, so that [m, m + D) with D <= 1440 is one difference
        self.pv, self.pn, self.po = ([0], [0], [0])
        for i in range(2880):
            self.pv.append(self.pv[-1] + val[i % 1440])
            self.pn.append(self.pn[-1] + nf[i % 1440])
            self.po.append(self.po[-1] + of[i % 1440])

    def local(self, u: datetime) -> str:
        lt = u.astimezone(self.tz)
        off = lt.utcoffset()
        sign = "-" if off < timedelta(0) else "+"
        off = abs(off)
        h, rem = divmod(int(off.total_seconds()), 3600)
        return lt.strftime("%Y-%m-%dT%H:%M:%S") + f"{sign}{h:02d}:{rem // 60:02d}"

    def evaluate(self, start: datetime, dur: int):
        """-> (score, night minutes, outside-not-night minutes) of [start, start + dur)."""
        lt = start.astimezone(self.tz)
        m = lt.hour * 60 + lt.minute
        full, rest = divmod(dur, 1440)
        score = full * self.pv[1440] + self.pv[m + rest] - self.pv[m]
        nights = full * self.pn[1440] + self.pn[m + rest] - self.pn[m]
        outs = full * self.po[1440] + self.po[m + rest] - self.po[m]
        if lt.weekday() in self.weekend:
            score -= 60
        return score, nights, outs


def load(path: str):
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    prog = doc["programme"]
    ptz = parse_zone(prog["timezone"])
    wh = prog.get("working_hours", "08:00-20:00")
    nh = prog.get("night", "22:00-06:00")
    groups = doc.get("group", [])
    rows = []
    for t in doc.get("participant", []):
        rows.append(dict(name=t["name"], email=t["email"].strip(), timezone=t["timezone"],
                         groups=list(t.get("groups", [])), working_hours=t.get("working_hours"),
                         night=t.get("night"), weekend=t.get("weekend"),
                         required=t.get("required", False), busy=t.get("busy")))
    if "participants" in prog:
        csv_path = os.path.join(os.path.dirname(os.path.abspath(path)), prog["participants"])
        with open(csv_path, encoding="utf-8-sig", newline="") as f:
            for r in csv.DictReader(f):
                if not any((v or "").strip() for v in r.values()):
                    continue
                g = (r.get("groups") or "").strip()
                w = (r.get("weekend") or "").strip()
                rows.append(dict(name=r["name"].strip(), email=r["email"].strip(),
                                 timezone=r["timezone"].strip(),
                                 groups=[x.strip() for x in g.split(";") if x.strip()],
                                 working_hours=(r.get("working_hours") or "").strip() or None,
                                 night=(r.get("night") or "").strip() or None,
                                 weekend=[x for x in w.split(";") if x.strip()] if w else None,
                                 required=False, busy=None))
    table = None
    people = []
    for r in rows:
        if r["weekend"] is not None:
            wk = {parse_day(d) for d in r["weekend"]}
        else:
            if table is None:
                table = country_weekends()
            cc = None if _FIXED.match(r["timezone"]) else zone_country(r["timezone"])
            wk = table.get(cc, {5, 6})
        p = Participant(r["name"], r["email"], r["timezone"], r["groups"],
                        r["working_hours"] or wh, r["night"] or nh, wk)
        p.required = bool(r["required"]) or any(
            g.get("required", False) and member_of(g, p) for g in groups)
        if r["busy"]:
            p.busy = read_busy(os.path.join(os.path.dirname(os.path.abspath(path)), r["busy"]))
        people.append(p)
    sessions = []
    for sdoc in doc.get("session", []):
        if "repeat" in sdoc:
            raise OracleError("the oracle reads one-off sessions only")
        tz = parse_zone(sdoc.get("timezone", prog["timezone"]))
        st = sdoc["start"]
        st = st if isinstance(st, datetime) else datetime.fromisoformat(st)
        s0 = st.replace(tzinfo=tz).astimezone(UTC)
        if "end" in sdoc:
            en = sdoc["end"]
            en = en if isinstance(en, datetime) else datetime.fromisoformat(en)
            s1 = en.replace(tzinfo=tz).astimezone(UTC)
        else:
            s1 = s0 + timedelta(minutes=parse_duration_minutes(sdoc["duration"]))
        sessions.append(dict(id=sdoc["id"], start=s0, end=s1, audience=sdoc["audience"],
                             index=len(sessions)))
    return ptz, groups, people, sessions


def member_of(g, p) -> bool:
    return (g["id"] in p.groups
            or any(glob_match(z, p.zone_spec) for z in g.get("zones", []))
            or p.email.lower() in (m.strip().lower() for m in g.get("members", [])))


def read_busy(path: str):
    """DTSTART:...Z / DTEND:...Z pairs of each VEVENT (the fixtures' shape only)."""
    out = []
    start = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("DTSTART:"):
                start = datetime.strptime(line[8:], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            elif line.startswith("DTEND:") and start is not None:
                out.append((start, datetime.strptime(line[6:], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)))
                start = None
    return out


def attends(groups, session, p) -> bool:
    if session["audience"] == "all":
        return True
    by_id = {g["id"]: g for g in groups}
    return any(member_of(by_id[gid], p) for gid in session["audience"])


def unavailable(groups, sessions, skip, p, u: datetime, dur: int):
    """Why p cannot attend [u, u + dur): "session:ID" (first in start order), "busy", or None."""
    end = u + timedelta(minutes=dur)
    taken = sorted((s for s in sessions if s["id"] != skip and attends(groups, s, p)
                    and s["end"] > u and s["start"] < end), key=lambda s: (s["start"], s["end"], s["index"]))
    if taken:
        return "session:" + taken[0]["id"]
    if any(b1 > u and b0 < end and b1 > b0 for (b0, b1) in p.busy):
        return "busy"
    return None


def audience(groups, people, wanted):
    if not wanted:
        return people
    by_id = {g["id"]: g for g in groups}
    out = []
    for p in people:
        ok = False
        for gid in wanted:
            if gid not in by_id:
                raise OracleError(f"unknown group {gid!r}")
            if member_of(by_id[gid], p):
                ok = True
        if ok:
            out.append(p)
    return out


def civil_midnight(day: date, tz) -> datetime:
    naive = datetime(day.year, day.month, day.day)
    return naive.replace(tzinfo=tz, fold=0).astimezone(UTC)


def grid(first: date, last: date, tz, step: int):
    start = civil_midnight(first, tz)
    end = civil_midnight(last + timedelta(days=1), tz)
    out = []
    n = 0
    while True:
        u = start + timedelta(minutes=n * step)
        if u >= end:
            return out
        out.append(u)
        n += 1


def fmt(u: datetime) -> str:
    return u.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(s: str) -> datetime:
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


# ---------------------------------------------------------------- commands

class Ctx:
    """Everything a slot's evaluation needs."""

    def __init__(self, groups, sessions, skip, people, required, dur, allow_overlap):
        self.groups, self.sessions, self.skip = groups, sessions, skip
        self.people, self.required, self.dur = people, required, dur
        self.allow_overlap = allow_overlap

    def why(self, p, u):
        return unavailable(self.groups, self.sessions, self.skip, p, u, self.dur)

    def miss(self, u):
        total = 0
        for r in self.required:
            if self.why(r, u) is not None:
                total += self.dur
            else:
                _, n, o = r.evaluate(u, self.dur)
                total += n + o
        return total

    def required_json(self, u):
        end = u + timedelta(minutes=self.dur)
        out = []
        for r in sorted(self.required, key=lambda r: r.email):
            w = self.why(r, u)
            _, n, o = r.evaluate(u, self.dur)
            out.append({"participant": r.email, "timezone": r.zone_spec,
                        "start_local": r.local(u), "end_local": r.local(end),
                        "ok": w is None and n == 0 and o == 0, "unavailable": w})
        return out


def suggest(ctx, starts, top, distinct=True):
    dur = ctx.dur
    rows = []
    for u in starts:
        total = inside = night = 0
        outside, locs, away = [], [], []
        for p in ctx.people:
            w = ctx.why(p, u)
            if w is not None:
                away.append({"participant": p.email, "reason": w})
                total += -3 * dur - 60
                continue
            sc, n, o = p.evaluate(u, dur)
            total += sc
            end = u + timedelta(minutes=dur)
            if n > 0:
                night += 1
                locs.append({"participant": p.email, "timezone": p.zone_spec,
                             "start_local": p.local(u), "end_local": p.local(end), "night": True})
            elif o > 0:
                outside.append(p.email)
                locs.append({"participant": p.email, "timezone": p.zone_spec,
                             "start_local": p.local(u), "end_local": p.local(end), "night": False})
            else:
                inside += 1
        rows.append(dict(u=u, score=total, inside=inside, partial=len(outside), night=night,
                         outside=sorted(outside), locs=sorted(locs, key=lambda x: x["participant"]),
                         away=sorted(away, key=lambda x: x["participant"]), miss=ctx.miss(u)))
    free = [ctx.allow_overlap or not r["away"] for r in rows]
    passed_over = free.count(False)
    if not any(free):
        return {"outcome": "no_free_start", "required_miss": 0, "passed_over": passed_over,
                "suggestions": []}
    min_miss = min(r["miss"] for r, f in zip(rows, free) if f)
    cand = [f and r["miss"] == min_miss for r, f in zip(rows, free)]
    order = sorted((i for i in range(len(rows)) if cand[i]), key=lambda i: (-rows[i]["score"], i))
    passed = [False] * len(rows)
    out = []
    for i in order:
        if len(out) == top:
            break
        if passed[i]:
            continue
        same = lambda j: (distinct and cand[j] and not passed[j]
                          and rows[j]["score"] == rows[i]["score"])
        first = last = i
        while last + 1 < len(rows) and same(last + 1):
            last += 1
        while first > 0 and same(first - 1):
            first -= 1
        lo_t = starts[first] - timedelta(minutes=dur)
        hi_t = starts[last] + timedelta(minutes=dur)
        for j, t in enumerate(starts):
            if distinct and lo_t < t < hi_t:
                passed[j] = True
        r = rows[i]
        out.append({"start_utc": fmt(r["u"]), "end_utc": fmt(r["u"] + timedelta(minutes=dur)),
                    "same_until_utc": fmt(starts[last]), "score": r["score"],
                    "inside": r["inside"], "partial": r["partial"], "night": r["night"],
                    "unavailable": len(r["away"]), "outside_participants": r["outside"],
                    "outside": r["locs"], "unavailable_participants": r["away"],
                    "required": ctx.required_json(r["u"])})
    return {"outcome": "satisfied" if min_miss == 0 else "required_compromise",
            "required_miss": min_miss, "passed_over": passed_over, "suggestions": out}


def editions_of(ctx, people, starts, combo, cols):
    """Assign everyone to their best edition of `combo` (ties: earlier); -> JSON dict."""
    dur = ctx.dur
    eds = [{"start_utc": fmt(starts[j]), "end_utc": fmt(starts[j] + timedelta(minutes=dur)),
            "participants": [], "score": 0, "unavailable_participants": [],
            "required": ctx.required_json(starts[j])} for j in combo]
    total = 0
    for pi, p in enumerate(people):
        best_k = None
        for k, j in enumerate(combo):
            if best_k is None or cols[j][pi] > cols[combo[best_k]][pi]:
                best_k = k
        eds[best_k]["participants"].append(p.email)
        eds[best_k]["score"] += cols[combo[best_k]][pi]
        w = ctx.why(p, starts[combo[best_k]])
        if w is not None:
            eds[best_k]["unavailable_participants"].append({"participant": p.email, "reason": w})
        total += cols[combo[best_k]][pi]
    for e in eds:
        e["participants"].sort()
        e["unavailable_participants"].sort(key=lambda x: x["participant"])
    return {"editions": eds, "total_score": total}


def optimum(cols, k):
    """Every k-combination of the slots, in itertools order: -> (best, first best combo, count).

    The combinations are enumerated as (every (k-1)-combination) x (every later last slot),
    which is exactly itertools.combinations(range(n), k) in the same order; only the running
    maximum of the first k-1 columns is shared between combinations with the same prefix.
    """
    n = len(cols)
    if k < 1 or k > n:
        raise OracleError(f"cannot choose {k} of {n} slots")
    best = None
    best_combo = None
    count = 0
    if k == 1:
        for j in range(n):
            t = sum(cols[j])
            if best is None or t > best:
                best, best_combo, count = t, (j,), 1
            elif t == best:
                count += 1
        return best, best_combo, count
    for prefix in itertools.combinations(range(n - 1), k - 1):
        pm = list(map(max, *(cols[i] for i in prefix))) if k > 2 else cols[prefix[0]]
        for j in range(prefix[-1] + 1, n):
            t = sum(map(max, pm, cols[j]))
            if best is None or t > best:
                best, best_combo, count = t, prefix + (j,), 1
            elif t == best:
                count += 1
    return best, best_combo, count


def split(ctx, starts, k_arg, count_optima, slots):
    dur = ctx.dur
    people = [p for p in ctx.people if p not in ctx.required]
    cols = [tuple((-3 * dur - 60) if ctx.why(p, u) is not None else p.evaluate(u, dur)[0]
                  for p in people) for u in starts]
    free = [j for j, u in enumerate(starts)
            if ctx.allow_overlap or all(ctx.why(p, u) is None for p in people)]
    misses = {j: ctx.miss(starts[j]) for j in free}

    def allowed(k):
        if k < 1 or k > len(free):
            raise OracleError(f"cannot choose {k} of {len(free)} free slots")
        threshold = sorted(misses.values())[k - 1]
        return [j for j in free if misses[j] <= threshold], threshold

    def best(k):
        keep, threshold = allowed(k)
        sub = [cols[j] for j in keep]
        value, combo, count = optimum(sub, k)
        return value, tuple(keep[i] for i in combo), count, threshold

    if slots is not None:
        index = {fmt(u): j for j, u in enumerate(starts)}
        combo = []
        for s_ in slots:
            if s_ not in index:
                raise OracleError(f"{s_} is not a grid slot of the day")
            combo.append(index[s_])
        if len(set(combo)) != len(combo):
            raise OracleError("slots are not distinct")
        out = editions_of(ctx, people, starts, sorted(combo), cols)
        out["required_miss"] = allowed(len(combo))[1]
        return out
    if k_arg == "auto":
        threshold = 0.05 * len(ctx.people) * dur
        totals = []
        for k in range(1, 7):
            totals.append(best(k)[0])
            if k >= 2 and totals[-1] - totals[-2] < threshold:
                return {"editions_auto": k - 1, "totals": totals, "threshold": threshold}
        return {"editions_auto": 6, "totals": totals, "threshold": threshold}
    k = int(k_arg)
    value, combo, count, threshold = best(k)
    out = editions_of(ctx, people, starts, combo, cols)
    assert out["total_score"] == value
    out["required_miss"] = threshold
    if count_optima:
        out["optimal_sets"] = count
    return out


def parse_args(argv):
    if not argv or argv[0] not in ("suggest", "split"):
        raise OracleError("usage: plan_oracle.py suggest|split FILE [options]")
    cmd = argv[0]
    opts = {"audience": [], "required": [], "step": "15m", "top": "5", "count_optima": False,
            "slots": None, "allow_overlap": False, "session": None, "every_start": False}
    file = None
    i = 1
    while i < len(argv):
        a = argv[i]
        if a in ("--count-optima", "--allow-overlap", "--every-start"):
            opts[a[2:].replace("-", "_")] = True
            i += 1
            continue
        if a.startswith("--"):
            key, _, val = a[2:].partition("=")
            if not _:
                i += 1
                if i >= len(argv):
                    raise OracleError(f"{a} needs a value")
                val = argv[i]
            key = key.replace("-", "_")
            if key in ("audience", "required"):
                opts[key].append(val)
            else:
                opts[key] = val
        else:
            file = a
        i += 1
    if file is None:
        raise OracleError("no programme file")
    return cmd, file, opts


def main(argv) -> int:
    try:
        cmd, file, o = parse_args(argv)
        ptz, groups, people, sessions = load(file)
        by_id = {g["id"]: g for g in groups}
        if o["session"] is not None and not o["audience"]:
            sess = [x for x in sessions if x["id"] == o["session"]][0]
            who = [p for p in people if attends(groups, sess, p)]
        else:
            who = audience(groups, people, o["audience"])
        required = [p for p in people
                    if p.required or any(member_of(by_id[g], p) for g in o["required"])]
        dur = parse_duration_minutes(o["duration"])
        step = parse_duration_minutes(o["step"])
        ctx = Ctx(groups, sessions, o["session"], who, required, dur, o["allow_overlap"])
        if cmd == "suggest":
            first = date.fromisoformat(o["from"])
            last = date.fromisoformat(o["to"])
            out = suggest(ctx, grid(first, last, ptz, step), int(o["top"]), not o["every_start"])
        else:
            day = date.fromisoformat(o["date"])
            slots = o["slots"].split(",") if o["slots"] else None
            out = split(ctx, grid(day, day, ptz, step), o["editions"], o["count_optima"], slots)
    except (OracleError, KeyError, ValueError) as e:
        print(f"error: {e!r}", file=sys.stderr)
        return 2
    json.dump(out, sys.stdout, indent=2, sort_keys=True, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
