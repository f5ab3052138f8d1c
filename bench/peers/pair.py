#!/usr/bin/env python3
"""Times two commands in alternation and reports the median of the per-round ratios A / B.

    python3 bench/peers/pair.py RUNS -- COMMAND_A... -- COMMAND_B...

Each round runs both (A then B in even rounds, B then A in odd ones), each whole process from
spawn to exit, stdout and stderr to /dev/null. Prints the median of the rounds' wall-time
ratios and of their CPU-time ratios (user + system of the child), each with a 95 % bootstrap
interval of the median (2,000 resamples, seeded). A ratio of one round compares two runs made
within a second of each other, so it is less sensitive to this host's slow and fast hours than
a ratio of medians (race.py). Exits non-zero when a command fails.
"""

import random
import resource
import statistics
import subprocess
import sys
import time


def timed(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


def interval(ratios):
    rng = random.Random(19)
    medians = sorted(
        statistics.median(rng.choices(ratios, k=len(ratios))) for _ in range(2000)
    )
    return f"{statistics.median(ratios):.3f} (95% {medians[50]:.3f}-{medians[1950]:.3f})"


def main():
    args = sys.argv[1:]
    if len(args) < 5 or args[1] != "--" or args[2:].count("--") != 1:
        sys.exit(__doc__)
    runs = int(args[0])
    cut = args.index("--", 2)
    a, b = args[2:cut], args[cut + 1 :]
    timed(a)
    timed(b)
    walls, cpus = [], []
    for i in range(runs):
        if i % 2 == 0:
            x, y = timed(a), timed(b)
        else:
            y, x = timed(b), timed(a)
        walls.append(x[0] / y[0])
        if y[1] > 0:
            cpus.append(x[1] / y[1])
    print(f"paired wall a/b {interval(walls)}")
    if cpus:
        print(f"paired cpu a/b {interval(cpus)}")


if __name__ == "__main__":
    main()
