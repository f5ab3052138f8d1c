#!/usr/bin/env python3
"""Generate tests/data/civil_cases.csv: civil date-time + zone + policy -> UTC instant.

Columns: zone,civil,policy,expected
  expected = "YYYY-MM-DDTHH:MM:SSZ", or "error" (policy `reject` on a gap or fold).

The values come from Python's zoneinfo (PEP 495 `fold`), through the same resolver
as times_oracle.py, and every row is cross-checked by a second, brute-force method
that does not use `fold` at all (enumerate the offsets in force near the civil time
and keep the ones that round-trip).  Nothing here reads the Rust sources.

Run:  python3 tests/oracle/civil_cases.py      (writes the CSV, prints hand checks)

The tz database: zoneinfo reads the system database (zoneinfo.TZPATH), falling back
to the `tzdata` package.  The Rust side uses tzdata 2025b (chrono-tz); dates are kept
within 2023-2026 and zones whose rules for those years changed in recent tzdata
releases are skipped, so the CSV does not depend on the exact release.
"""

from __future__ import annotations

import csv
import os
import random
import sys
from datetime import datetime, timedelta, timezone

import zoneinfo

sys.dont_write_bytecode = True  # keep tests/oracle free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from times_oracle import (POLICIES, ProgrammeError, classify, fmt_offset,  # noqa: E402
                          fmt_utc, parse_zone, resolve)

UTC = timezone.utc
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "data", "civil_cases.csv"))

# ---------------------------------------------------------------------------
# Hand-picked cases.  Each comment is the hand check: offsets before/after and
# the instants each policy must give.
# ---------------------------------------------------------------------------
FIXED = [
    # NY spring-forward 2024-03-10 02:00 EST(-05) -> 03:00 EDT(-04). 02:30 is in the gap.
    # compatible/later: 02:30-05 = 07:30Z; earlier: 02:30-04 = 06:30Z; reject: error.
    ("America/New_York", "2024-03-10T02:30"),
    # NY fall-back 2024-11-03 02:00 EDT(-04) -> 01:00 EST(-05). 01:30 happens twice.
    # compatible/earlier: 01:30-04 = 05:30Z; later: 01:30-05 = 06:30Z; reject: error.
    ("America/New_York", "2024-11-03T01:30"),
    # NY summer, EDT(-04): 12:00 -> 16:00Z for every policy.
    ("America/New_York", "2024-07-01T12:00"),
    # Paris fall-back 2023-10-29 03:00 CEST(+02) -> 02:00 CET(+01); 02:30 twice.
    # earlier/compatible: 00:30Z; later: 01:30Z.
    ("Europe/Paris", "2023-10-29T02:30"),
    # Paris spring-forward 2023-03-26 02:00 CET(+01) -> 03:00 CEST(+02); 02:30 skipped.
    # compatible/later: 02:30+01 = 01:30Z; earlier: 02:30+02 = 00:30Z.
    ("Europe/Paris", "2023-03-26T02:30"),
    # Santiago spring-forward 2024-09-08 00:00 -04 -> 01:00 -03 (gap at midnight).
    # compatible/later: 00:30-04 = 04:30Z; earlier: 00:30-03 = 03:30Z (= 23:30 on the 7th).
    ("America/Santiago", "2024-09-08T00:30"),
    # Santiago fall-back 2024-04-07 00:00 -03 -> 2024-04-06 23:00 -04; 23:30 on the 6th twice.
    # compatible/earlier: 23:30-03 = 02:30Z on the 7th; later: 23:30-04 = 03:30Z.
    ("America/Santiago", "2024-04-06T23:30"),
    # Lord Howe spring 2023-10-01 02:00 +10:30 -> 02:30 +11 (30-minute gap).
    # compatible/later: 02:15+10:30 = 15:45Z on 09-30; earlier: 02:15+11 = 15:15Z.
    ("Australia/Lord_Howe", "2023-10-01T02:15"),
    # Lord Howe autumn 2024-04-07 02:00 +11 -> 01:30 +10:30; 01:45 twice (30-minute fold).
    # compatible/earlier: 01:45+11 = 14:45Z on 04-06; later: 01:45+10:30 = 15:15Z.
    ("Australia/Lord_Howe", "2024-04-07T01:45"),
    # Kathmandu +05:45, no DST: 09:00 -> 03:15Z.
    ("Asia/Kathmandu", "2023-11-15T09:00"),
    # Chatham spring 2023-09-24 02:45 +12:45 -> 03:45 +13:45; 02:50 skipped.
    # compatible/later: 02:50+12:45 = 14:05Z on 09-23; earlier: 02:50+13:45 = 13:05Z.
    ("Pacific/Chatham", "2023-09-24T02:50"),
    # Chatham autumn 2024-04-07 03:45 +13:45 -> 02:45 +12:45; 03:15 twice.
    # compatible/earlier: 03:15+13:45 = 13:30Z on 04-06; later: 03:15+12:45 = 14:30Z.
    ("Pacific/Chatham", "2024-04-07T03:15"),
    # Tehran +03:30 all year since 2022 (no DST): 09:00 -> 05:30Z.
    ("Asia/Tehran", "2023-06-01T09:00"),
    # Lagos +01 (WAT), no DST: 09:00 -> 08:00Z.
    ("Africa/Lagos", "2023-11-15T09:00"),
    # London spring 2023-03-26 01:00 GMT(+00) -> 02:00 BST(+01); 01:30 skipped.
    # compatible/later: 01:30Z; earlier: 00:30Z.
    ("Europe/London", "2023-03-26T01:30"),
    # Fixed offsets (never a gap or fold):
    # UTC-3 is 3 h behind UTC: 09:00 -> 12:00Z.
    ("UTC-3", "2023-11-15T09:00"),
    # GMT+1 is one hour AHEAD of UTC (invitation style): 09:00 -> 08:00Z.
    ("GMT+1", "2023-11-15T09:00"),
    # UTC+05:45: 09:00 -> 03:15Z.
    ("UTC+05:45", "2023-11-15T09:00"),
    # Etc/GMT+1 is the IANA/POSIX zone one hour BEHIND UTC: 09:00 -> 10:00Z.
    ("Etc/GMT+1", "2023-11-15T09:00"),
    # More fixed-offset spellings from the doc.
    ("UTC-03:30", "2024-03-10T02:30"),   # 02:30 -> 06:00Z (no gap: fixed offset)
    ("UTC+0530", "2024-11-03T01:30"),    # 01:30 -> 2024-11-02T20:00Z
    ("UTC", "2024-03-31T02:30"),         # 02:30 -> 02:30Z
]

# Hand-computed expectations for the FIXED list, checked below (asserts), so a
# mistake in the resolver cannot silently write a wrong CSV.
HAND = {
    ("America/New_York", "2024-03-10T02:30"): ("07:30", "06:30", "07:30"),
    ("America/New_York", "2024-11-03T01:30"): ("05:30", "05:30", "06:30"),
    ("America/New_York", "2024-07-01T12:00"): ("16:00", "16:00", "16:00"),
    ("Europe/Paris", "2023-10-29T02:30"): ("00:30", "00:30", "01:30"),
    ("Europe/Paris", "2023-03-26T02:30"): ("01:30", "00:30", "01:30"),
    ("America/Santiago", "2024-09-08T00:30"): ("04:30", "03:30", "04:30"),
    ("America/Santiago", "2024-04-06T23:30"): ("02:30", "02:30", "03:30"),
    ("Australia/Lord_Howe", "2023-10-01T02:15"): ("15:45", "15:15", "15:45"),
    ("Australia/Lord_Howe", "2024-04-07T01:45"): ("14:45", "14:45", "15:15"),
    ("Asia/Kathmandu", "2023-11-15T09:00"): ("03:15", "03:15", "03:15"),
    ("Pacific/Chatham", "2023-09-24T02:50"): ("14:05", "13:05", "14:05"),
    ("Pacific/Chatham", "2024-04-07T03:15"): ("13:30", "13:30", "14:30"),
    ("Asia/Tehran", "2023-06-01T09:00"): ("05:30", "05:30", "05:30"),
    ("Africa/Lagos", "2023-11-15T09:00"): ("08:00", "08:00", "08:00"),
    ("Europe/London", "2023-03-26T01:30"): ("01:30", "00:30", "01:30"),
    ("UTC-3", "2023-11-15T09:00"): ("12:00", "12:00", "12:00"),
    ("GMT+1", "2023-11-15T09:00"): ("08:00", "08:00", "08:00"),
    ("UTC+05:45", "2023-11-15T09:00"): ("03:15", "03:15", "03:15"),
    ("Etc/GMT+1", "2023-11-15T09:00"): ("10:00", "10:00", "10:00"),
    ("UTC-03:30", "2024-03-10T02:30"): ("06:00", "06:00", "06:00"),
    ("UTC+0530", "2024-11-03T01:30"): ("20:00", "20:00", "20:00"),
    ("UTC", "2024-03-31T02:30"): ("02:30", "02:30", "02:30"),
}

# Zones whose 2023-2026 rules changed in tzdata 2023a..2025b (or are predictions that
# get revised), so a different tz database could disagree.  Links to them are
# skipped too (detected by identical zone-file bytes).
UNSTABLE = {
    "America/Asuncion",        # Paraguay permanent -03 from Oct 2024 (2024b/2025a)
    "Asia/Almaty", "Asia/Qostanay",  # Kazakhstan unified on +05, 2024-03-01 (2024a)
    "America/Coyhaique",       # new in 2025b (Aysen, -03 from 2025-03-20)
    "America/Ciudad_Juarez",   # new in 2022g
    "Europe/Kyiv", "Europe/Kiev",    # renamed 2022b; skipped per brief
    "Asia/Gaza", "Asia/Hebron",      # Palestine: predicted dates revised often
    "Africa/Casablanca", "Africa/El_Aaiun",  # Morocco: Ramadan-based predictions
    "America/Nuuk", "America/Godthab",       # Greenland changes 2023
    "America/Scoresbysund",    # moved to -02/-01 in 2024 (2023d)
    "Antarctica/Vostok", "Antarctica/Casey", "Antarctica/Macquarie",  # 2023 edits
    "Asia/Choibalsan",         # became a link in 2024b
    "Africa/Cairo",            # Egypt DST back from 2023 (2023c)
    "America/Bahia_Banderas", "America/Chihuahua", "America/Ojinaga",  # Mexico 2022 edits
    "Pacific/Fiji",            # DST suspended, predictions revised
}
NOT_ZONES = {"localtime", "Factory", "posixrules"}


def zone_file(name):
    for d in zoneinfo.TZPATH:
        p = os.path.join(d, name)
        if os.path.isfile(p):
            return p
    return None


def unstable_bytes():
    out = set()
    for z in UNSTABLE:
        p = zone_file(z)
        if p:
            with open(p, "rb") as f:
                out.add(f.read())
    return out


# ---------------------------------------------------------------------------
# Independent cross-check: no `fold`, only UTC -> local conversions.
# ---------------------------------------------------------------------------

def brute_force(civil: datetime, tz):
    """Return (kind, {policy: instant or None}) by enumerating nearby offsets."""
    probe = civil.replace(tzinfo=UTC)
    offsets = set()
    t = probe - timedelta(hours=30)
    while t <= probe + timedelta(hours=30):
        offsets.add(t.astimezone(tz).utcoffset())
        t += timedelta(minutes=15)
    cands = sorted(u for u in ((probe - o) for o in offsets)
                   if u.astimezone(tz).utcoffset() == probe - u)
    if len(cands) == 1:
        u = cands[0]
        return "normal", {p: u for p in POLICIES}
    if len(cands) == 2:
        early, late = cands
        return "fold", {"reject": None, "compatible": early, "earlier": early, "later": late}
    if len(cands) == 0 and len(offsets) == 2:
        o_before, o_after = sorted(offsets)  # a gap means the offset went up
        moved = probe - o_before             # read with the offset before: later instant
        before = probe - o_after             # read with the offset after: earlier instant
        return "gap", {"reject": None, "compatible": moved, "earlier": before, "later": moved}
    raise AssertionError(f"brute force cannot decide {civil} {tz}: {cands} {offsets}")


def row_values(zone: str, civil_s: str):
    tz = parse_zone(zone)
    civil = datetime.fromisoformat(civil_s)
    kind, u0, u1 = classify(civil, tz)
    bkind, bvals = brute_force(civil, tz)
    assert kind == bkind, (zone, civil_s, kind, bkind)
    vals = {}
    for p in POLICIES:
        try:
            u = resolve(civil, tz, p)
        except ProgrammeError:
            u = None
        assert u == bvals[p], (zone, civil_s, p, u, bvals[p])
        vals[p] = "error" if u is None else fmt_utc(u)
    off0 = fmt_offset(civil.replace(tzinfo=tz, fold=0).utcoffset())
    off1 = fmt_offset(civil.replace(tzinfo=tz, fold=1).utcoffset())
    note = (f"{zone} {civil_s}: {kind}; fold=0 offset {off0} -> {fmt_utc(u0)}, "
            f"fold=1 offset {off1} -> {fmt_utc(u1)}")
    return kind, vals, note


def transitions(tz, start: datetime, end: datetime):
    """UTC instants (and offsets before/after) where tz's offset changes."""
    out = []
    t = start.replace(tzinfo=UTC)
    end = end.replace(tzinfo=UTC)
    step = timedelta(hours=1)
    prev = t.astimezone(tz).utcoffset()
    while t < end:
        n = t + step
        o = n.astimezone(tz).utcoffset()
        if o != prev:
            lo, hi = t, n  # bisect to the minute
            while hi - lo > timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(second=0, microsecond=0)
                if mid == lo:
                    break
                if mid.astimezone(tz).utcoffset() == prev:
                    lo = mid
                else:
                    hi = mid
            out.append((hi, prev, o))
            prev = o
        t = n
    return out


def adjacent_civil_times(tz, year: int):
    """All transition-adjacent civil times of a zone in one year."""
    times = []
    for inst, o_before, o_after in transitions(tz, datetime(year, 1, 1), datetime(year + 1, 1, 1)):
        a = (inst + o_before).replace(tzinfo=None)  # wall clock just before the change
        b = (inst + o_after).replace(tzinfo=None)   # wall clock just after
        lo, hi = min(a, b), max(a, b)
        minute = timedelta(minutes=1)
        for c in (lo - minute, lo, lo + (hi - lo) / 2, hi - minute, hi):
            times.append(c.strftime("%Y-%m-%dT%H:%M"))
    return times


def main():
    tzpath = zoneinfo.TZPATH
    version = "unknown"
    zi = zone_file("tzdata.zi")
    if zi:
        with open(zi, encoding="utf-8") as f:
            version = f.readline().strip()
    print(f"# generated by tests/oracle/civil_cases.py; zoneinfo.TZPATH={tzpath}; "
          f"system tz database: {version} ({zi})")
    print(f"# Python {sys.version.split()[0]}")

    rows = []  # (zone, civil, policy, expected)
    seen = set()

    def add(zone, civil_s, show):
        if (zone, civil_s) in seen:
            return None
        seen.add((zone, civil_s))
        kind, vals, note = row_values(zone, civil_s)
        for p in POLICIES:
            rows.append((zone, civil_s, p, vals[p]))
        if show:
            print("# " + note + "; " + ", ".join(f"{p}={vals[p]}" for p in POLICIES))
        return vals

    print("# --- hand-picked cases")
    for zone, civil_s in FIXED:
        vals = add(zone, civil_s, True)
        want = HAND[(zone, civil_s)]
        got = tuple(vals[p][11:16] for p in ("compatible", "earlier", "later"))
        assert got == want, (zone, civil_s, got, want)

    bad = unstable_bytes()
    candidates = []
    for z in sorted(zoneinfo.available_timezones()):
        if z in NOT_ZONES or z in UNSTABLE:
            continue
        p = zone_file(z)
        if p:
            with open(p, "rb") as f:
                if f.read() in bad:
                    continue
        candidates.append(z)

    rng = random.Random(42)

    print("# --- all transition-adjacent times in 2024 for a few zones")
    adj_zones = ["Europe/Berlin", "America/Havana", "Australia/Adelaide"]
    with_dst = [z for z in candidates
                if transitions(zoneinfo.ZoneInfo(z), datetime(2024, 1, 1), datetime(2025, 1, 1))
                and z not in adj_zones]
    adj_zones.append(rng.choice(with_dst))
    for z in adj_zones:
        for c in adjacent_civil_times(zoneinfo.ZoneInfo(z), 2024):
            add(z, c, True)

    print("# --- random zones and civil times, 2023-2026 (random.Random(42))")
    lo = datetime(2023, 1, 1)
    span_minutes = int((datetime(2027, 1, 1) - lo).total_seconds() // 60)
    for z in rng.sample(candidates, 30):
        for _ in range(2):
            c = lo + timedelta(minutes=rng.randrange(span_minutes))
            add(z, c.strftime("%Y-%m-%dT%H:%M"), False)
    # one transition-adjacent time for some other random zones with DST
    for z in rng.sample(with_dst, 12):
        adj = adjacent_civil_times(zoneinfo.ZoneInfo(z), rng.choice([2023, 2025, 2026]))
        if adj:
            add(z, rng.choice(adj), True)

    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["zone", "civil", "policy", "expected"])
        w.writerows(rows)
    kinds = {}
    for r in rows:
        kinds[r[3] == "error"] = kinds.get(r[3] == "error", 0) + 1
    print(f"# wrote {len(rows)} rows ({kinds.get(True, 0)} 'error') to {OUT}")


if __name__ == "__main__":
    main()
