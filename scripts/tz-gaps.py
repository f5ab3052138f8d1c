#!/usr/bin/env python3
"""The shortest times between two changes of offset in one zone, from Python's zoneinfo (the
system's tz database, read from its TZif files by the pure-Python reader, which exposes the
transitions). src/ics/vtimezone.rs steps through time to find changes; its step must stay
below the shortest gap printed here (all zones, 1900-2038).

    python3 scripts/tz-gaps.py
"""
import zoneinfo, datetime as dt
from zoneinfo import _zoneinfo
ZI=_zoneinfo.ZoneInfo
from datetime import timezone
UTC=timezone.utc
res=[]
for name in sorted(zoneinfo.available_timezones()):
    z=ZI(name)
    tr=getattr(z,'_trans_utc',None)
    if tr is None: continue
    tr=[t for t in tr if -2208988800 <= t < 2177452800]  # 1900..2039
    if len(tr)<2: continue
    g=min((b-a, a) for a,b in zip(tr,tr[1:]))
    res.append((g[0]/3600, name, dt.datetime.fromtimestamp(g[1],UTC).isoformat()))
res.sort()
for r in res[:15]: print(r)
