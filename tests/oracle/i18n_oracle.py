"""CLDR's pieces of a localized occurrence, from Python's Babel (its own copy of CLDR), for
tests/i18n.rs: roundtable formats them with ICU4X; this is the independent second reading.

stdin: a JSON list of {"lang", "zone", "start", "end"} (start/end: RFC 3339 UTC; zone: an IANA
name, or "UTC-3"-style fixed offsets given as {"offset_minutes": N}).
stdout: a JSON list of {"date", "end_date", "start", "end", "zone"}:
  date/end_date  the local start/end day, CLDR's full date format ("mardi 14 novembre 2023")
  start/end      hours and minutes, CLDR's short time format (12 or 24 h as the locale uses)
  zone           the zone's specific long name at the start ("heure de l’Ouest indonésien"),
                 or for a fixed offset CLDR's localized GMT format ("UTC−03:00").
"""
import datetime
import json
import sys
import zoneinfo

from babel.dates import format_date, format_time, get_timezone_gmt, get_timezone_name


def piece(case):
    lang = case["lang"]
    start = datetime.datetime.fromisoformat(case["start"].replace("Z", "+00:00"))
    end = datetime.datetime.fromisoformat(case["end"].replace("Z", "+00:00"))
    if "offset_minutes" in case:
        tz = datetime.timezone(datetime.timedelta(minutes=case["offset_minutes"]))
    else:
        tz = zoneinfo.ZoneInfo(case["zone"])
    s = start.astimezone(tz)
    e = end.astimezone(tz)
    if "offset_minutes" in case:
        zone = get_timezone_gmt(s, "long", locale=lang)
    else:
        zone = get_timezone_name(s, "long", locale=lang)
    return {
        "date": format_date(s, "full", locale=lang),
        "end_date": format_date(e, "full", locale=lang),
        "start": format_time(s, "short", locale=lang),
        "end": format_time(e, "short", locale=lang),
        "zone": zone,
    }


json.dump([piece(c) for c in json.load(sys.stdin)], sys.stdout, ensure_ascii=False)
