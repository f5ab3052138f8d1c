#!/usr/bin/env python3
"""Times two commands in alternation, for a fair ratio on a shared, noisy machine.

    python3 bench/peers/race.py [--runs N] [--warmup W] -- COMMAND_A... -- COMMAND_B...

Runs each command W times untimed, then N rounds; each round runs both (A then B in even
rounds, B then A in odd ones, so that neither always follows the other), timing each whole
process from spawn to exit with stdout to /dev/null and stderr kept. Prints one line per round,
then `key=value` lines: each command's median, min and max wall time in seconds and the ratio
of the medians (A / B), and the same for CPU time (user + system, from the kernel's
accounting of the child: less sensitive to other load than wall time). Then the median of the
rounds' own ratios (`paired_ratio`, `paired_cpu_ratio`), each with a 95 % bootstrap interval
of that median (`..._low`, `..._high`; 2,000 resamples, seeded): a round's two runs are made
within a second of each other, so this tells changes of a few per cent from the host's hourly
drift better than the ratio of medians does. Exits 1 when a command fails.
"""

import random
import statistics
import resource
import subprocess
import sys
import time


def timed(cmd, cpu=None):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if cpu is not None:
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    if r.returncode != 0:
        sys.stderr.write(r.stderr.decode(errors="replace"))
        sys.exit(f"race.py: {cmd[0]} exited with {r.returncode}")
    return elapsed


def main():
    args = sys.argv[1:]
    runs, warmup = 5, 1
    while args and args[0] != "--":
        flag, value = args[0], int(args[1])
        if flag == "--runs":
            runs = value
        elif flag == "--warmup":
            warmup = value
        else:
            sys.exit(__doc__)
        args = args[2:]
    if args.count("--") != 2:
        sys.exit(__doc__)
    cut = args.index("--", 1)
    a, b = args[1:cut], args[cut + 1 :]
    for _ in range(warmup):
        timed(a)
        timed(b)
    ta, tb, ca, cb = [], [], [], []
    for i in range(runs):
        if i % 2 == 0:
            ta.append(timed(a, ca))
            tb.append(timed(b, cb))
        else:
            tb.append(timed(b, cb))
            ta.append(timed(a, ca))
        print(
            f"round {i + 1}: a {ta[-1]:.3f} s ({ca[-1]:.3f} s CPU), b {tb[-1]:.3f} s ({cb[-1]:.3f} s CPU)",
            flush=True,
        )
    for key, t, c in (("a", ta, ca), ("b", tb, cb)):
        print(f"{key}_median={statistics.median(t):.3f}")
        print(f"{key}_min={min(t):.3f}")
        print(f"{key}_max={max(t):.3f}")
        print(f"{key}_cpu_median={statistics.median(c):.3f}")
    print(f"ratio={statistics.median(ta) / statistics.median(tb):.3f}")
    print(f"cpu_ratio={statistics.median(ca) / statistics.median(cb):.3f}")
    paired = (
        ("paired_ratio", [x / y for x, y in zip(ta, tb)]),
        ("paired_cpu_ratio", [x / y for x, y in zip(ca, cb) if y > 0]),
    )
    for key, ratios in paired:
        if ratios:
            low, high = interval(ratios)
            print(f"{key}={statistics.median(ratios):.3f}")
            print(f"{key}_low={low:.3f}")
            print(f"{key}_high={high:.3f}")


def interval(ratios):
    """A 95 % bootstrap interval of the median of `ratios`."""
    rng = random.Random(19)
    medians = sorted(
        statistics.median(rng.choices(ratios, k=len(ratios))) for _ in range(2000)
    )
    return medians[50], medians[1950]


if __name__ == "__main__":
    main()
