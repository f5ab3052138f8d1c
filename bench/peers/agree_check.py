#!/usr/bin/env python3
"""Checks that the `check` peer finds the same conflicts as `roundtable check`.

    python3 bench/peers/agree_check.py RT.json PEER.json

RT.json is `roundtable check PROGRAMME --format json --fail-on never`; PEER.json is
`check_peer PROGRAMME`. Compares, per kind, the set of (participant, session, start UTC) that
each reports (a participant's busy clashes and overlaps are counted with multiplicity: one per
busy event or other session), and per participant the burden (outside-hours and night minutes).
The detail sentences are not compared (the peer words some differently). Prints one line per
kind with both counts and exits 1 when anything differs. A benchmark check, not a test.
"""

import json
import sys
from collections import Counter


def findings(report):
    by_kind = {}
    for c in report["conflicts"]:
        key = (c["participant"], c["session"], c["start_utc"])
        by_kind.setdefault(c["kind"], Counter())[key] += 1
    return by_kind


def burden(report):
    return {
        b["participant"]: (b["outside_hours_minutes"], b["night_minutes"])
        for b in report["burden"]
    }


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    rt, peer = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:])
    a, b = findings(rt), findings(peer)
    ok = True
    print(f"{'kind':<14} {'roundtable':>10} {'peer':>10}  differing (participant, session, start)")
    for kind in sorted(set(a) | set(b)):
        x, y = a.get(kind, Counter()), b.get(kind, Counter())
        differ = (x - y) + (y - x)
        ok &= not differ
        print(f"{kind:<14} {sum(x.values()):>10} {sum(y.values()):>10}  {sum(differ.values())}")
        for key in sorted(differ)[:5]:
            print(f"    {key}: roundtable {x[key]}, peer {y[key]}")
    total_a = sum(sum(c.values()) for c in a.values())
    total_b = sum(sum(c.values()) for c in b.values())
    print(f"{'all':<14} {total_a:>10} {total_b:>10}")
    ba, bb = burden(rt), burden(peer)
    bad = [p for p in sorted(set(ba) | set(bb)) if ba.get(p) != bb.get(p)]
    print(f"burden: {len(ba)} participants in roundtable, {len(bb)} in the peer, {len(bad)} differ")
    for p in bad[:5]:
        print(f"    {p}: roundtable {ba.get(p)}, peer {bb.get(p)}")
    ok &= not bad
    print("agree" if ok else "DIFFER")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
