#!/usr/bin/env python3
"""Import iCalendar files into khal and print what `khal list` shows.

Usage: khal_client.py [--sequence] FILE.ics [FILE.ics ...]

khal (pimutils/khal, tests/clients/requirements.txt) is driven through its own
command line in-process: the import is what `khal import --batch -a CAL FILE` runs
(khal.controllers.import_ics on the collection khal.cli_utils.build_collection builds
for CAL), with the configuration read once, and the listing is
`khal.cli.main_khal.main(["list", ...])`, the function behind the `khal` script, so
that hundreds of participant calendars do not pay Python's start-up and config
validation each. The config
is a temporary file: every calendar a temporary vdir, `local_timezone` and
`default_timezone` UTC, ISO date/time formats, its own sqlite cache.

Without --sequence each FILE gets its own calendar (vdir) and is reported under its
own path. With --sequence all FILEs are imported, in order, into one calendar and
the final state is reported once, under the last path: `import --batch` replaces an
event with the same UID (khal stores one file per UID), so re-importing must not
duplicate and a newer version must replace the old one.

Then one `khal list --day-format "" --format ...` over all calendars, from
January 1st of the first year a DTSTART names to four years after the last, lists
every occurrence (an event across midnight is listed on each day; repeats
are merged). With the UTC config khal prints UTC times.

Output: the JSON of tests/ics/expand.py (`files` -> `method`, `calname`,
`events`, `cancelled`). khal's list has no SEQUENCE or RECURRENCE-ID: `sequence` is
read from the file khal stored for that UID (the event with the occurrence's
RECURRENCE-ID if khal kept one, otherwise the master), `recurrence_id_utc` is null.
khal has no iTIP: a METHOD:CANCEL file is imported like any other, so its
STATUS:CANCELLED event lands in `cancelled`.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sys
import tempfile

SEP = "\x1f"


def unfold(text: str) -> list[str]:
    return [l for l in re.split(r"\r?\n", re.sub(r"\r?\n[ \t]", "", text)) if l]


def header(path: str):
    method = calname = None
    for line in unfold(open(path, encoding="utf-8").read()):
        if line.startswith("BEGIN:VEVENT") or line.startswith("BEGIN:VTIMEZONE"):
            break
        if line.startswith("METHOD:"):
            method = line[7:]
        elif line.startswith("X-WR-CALNAME:"):
            calname = line[13:].replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
    return method, calname


def stored_sequences(vdir: str) -> dict[str, int | None]:
    """UID -> SEQUENCE of the master VEVENT in the files khal wrote to the vdir."""
    seqs: dict[str, int | None] = {}
    for name in os.listdir(vdir):
        if not name.endswith(".ics"):
            continue
        uid = None
        seq = None
        in_master = False
        is_override = False
        for line in unfold(open(os.path.join(vdir, name), encoding="utf-8").read()):
            if line == "BEGIN:VEVENT":
                in_master, is_override, uid_here, seq_here = True, False, None, None
            elif line == "END:VEVENT" and in_master:
                in_master = False
                if not is_override:
                    uid, seq = uid_here, seq_here
                elif uid is None:
                    uid = uid_here
            elif in_master:
                if line.startswith("UID:"):
                    uid_here = line[4:]
                elif line.startswith("SEQUENCE:"):
                    seq_here = int(line[9:])
                elif line.startswith("RECURRENCE-ID"):
                    is_override = True
        if uid is not None:
            seqs[uid] = seq
    return seqs


def write_config(base: str, calendars: list[tuple[str, str]]) -> str:
    os.makedirs(base, exist_ok=True)
    cfg = os.path.join(base, "config")
    with open(cfg, "w", encoding="utf-8") as f:
        f.write("[calendars]\n")
        for name, vdir in calendars:
            f.write(f"[[{name}]]\npath = {vdir}\ntype = calendar\n")
        f.write(
            "[locale]\nlocal_timezone = UTC\ndefault_timezone = UTC\n"
            "timeformat = %H:%M:%S\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
            "datetimeformat = %Y-%m-%dT%H:%M:%S\nlongdatetimeformat = %Y-%m-%dT%H:%M:%S\n"
            f"[sqlite]\npath = {os.path.join(base, 'khal.db')}\n"
        )
    return cfg


def list_range(files: list[str]) -> tuple[str, str]:
    """From January 1st of the first year any DTSTART names to 4 years after the last.

    `khal list` walks its range day by day; 1990-2040 would cost seconds per call.
    roundtable's series end within 3 years (at most 1,000 occurrences, a rule without
    COUNT/UNTIL stops after 366 days).
    """
    years = []
    for path in files:
        for m in re.finditer(r"^DTSTART[^:\r\n]*:(\d{4})", open(path, encoding="utf-8").read(), re.M):
            years.append(int(m.group(1)))
    if not years:
        return ("2000-01-01", "2001-01-01")
    return (f"{min(years)}-01-01", f"{max(years) + 4}-01-01")


def khal(args: list[str]) -> str:
    from khal.cli import main_khal

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        try:
            main_khal.main(args, prog_name="khal", standalone_mode=False)
        except SystemExit as e:
            if e.code not in (0, None):
                raise RuntimeError(f"khal {' '.join(args)}: exit {e.code}") from None
    return buf.getvalue()


def main(argv: list[str]) -> int:
    sequence = "--sequence" in argv
    files = [a for a in argv if a != "--sequence"]
    if not files or any(a.startswith("-") for a in files):
        print(__doc__, file=sys.stderr)
        return 2
    groups = [(files[-1], files)] if sequence else [(f, [f]) for f in files]
    os.environ["TZ"] = "UTC"
    out = {}
    with tempfile.TemporaryDirectory(prefix="rt-khal-") as tmp:
        vdirs = []
        for n in range(len(groups)):
            vdir = os.path.join(tmp, f"c{n}")
            os.makedirs(vdir)
            vdirs.append((f"c{n}", vdir))
        cfg = write_config(os.path.join(tmp, "all"), vdirs)
        # What `khal -c CFG import --batch -a CAL FILE` does (khal.cli.import_ics), with the
        # configuration read once: parsing and validating a config that names hundreds
        # of calendars on every import would dominate the run.
        from khal import controllers
        from khal.cli_utils import build_collection
        from khal.settings import get_config

        conf = get_config(cfg)
        for (key, imports), (name, _) in zip(groups, vdirs):
            collection = build_collection(conf, {name})
            try:
                for path in imports:
                    with open(path, encoding="utf-8") as f:
                        controllers.import_ics(collection, conf, ics=f.read(), batch=True,
                                               env={"calendars": conf["calendars"]})
            except Exception as e:  # noqa: BLE001
                print(f"khal_client.py: {key}: {e}", file=sys.stderr)
                return 1
        # One listing over all calendars (khal list walks the range day by day, so one
        # list per calendar would cost far more).
        fmt = SEP.join(["{calendar}", "{uid}", "{start}", "{end}", "{status}", "{title}"])
        try:
            listing = khal(["-c", cfg, "list", "--day-format", "", "--format", fmt,
                            *list_range(files)])
        except Exception as e:  # noqa: BLE001
            print(f"khal_client.py: {e}", file=sys.stderr)
            return 1
        seen: dict[str, set] = {name: set() for name, _ in vdirs}
        for line in listing.splitlines():
            if not line.strip():
                continue
            parts = line.split(SEP, 5)
            if len(parts) != 6:
                print(f"khal_client.py: cannot read list line {line!r}", file=sys.stderr)
                return 1
            cal, uid, start, end, status, title = (p.strip() for p in parts)
            seen[cal].add((start + "Z", end + "Z", uid, status or None, title))
        for (key, _), (name, vdir) in zip(groups, vdirs):
            seqs = stored_sequences(vdir)
            events, cancelled = [], []
            for start, end, uid, status, title in sorted(seen[name]):
                occ = {"uid": uid, "start_utc": start, "end_utc": end, "status": status,
                       "summary": title, "sequence": seqs.get(uid), "recurrence_id_utc": None}
                (cancelled if status == "CANCELLED" else events).append(occ)
            method, calname = header(key)
            out[key] = {"method": method, "calname": calname, "events": events,
                        "cancelled": cancelled}
    json.dump({"files": out}, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
