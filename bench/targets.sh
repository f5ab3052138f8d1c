#!/usr/bin/env bash
# Issue 19's targets, measured in one run on tmpfs (/dev/shm), each beside what it is compared
# with. Prints markdown: the machine, then one line per target with the figures, medians and
# ranges, and whether the target holds.
#
#   bash bench/targets.sh              # P = 10,000 and 100,000, 9 runs per race (~5 minutes)
#   bash bench/targets.sh --smoke      # P = 1,000 and 2,000, 3 runs: the script works, figures mean little
#
# The targets (issue 19, "Done when"):
#   1. `invites` at 10k × 10 sessions takes at most 1.0× the single-threaded write-only floor
#      that writes the same bytes (bench/peers/floor.rs race: interleaved, medians), with
#      identical output at --jobs 1 and --jobs 2;
#   2. `check` at 10k × 20 sessions × 50 busy events ≤ 0.2× the Rust-libraries peer
#      (bench/peers/check_peer, with either of its two iCalendar parsers; bench/peers/race.py);
#   3. `build` at 100k ≤ 100 MiB peak; 4. `invites` at 100k ≤ 64 MiB peak (GNU time, max RSS);
#   5. growth from 10k to 100k linear: time per participant at 100k ≤ 1.5× that at 10k.
# Needs: GNU time, hyperfine, rustc; python3 for the races.
set -euo pipefail
cd "$(dirname "$0")/.."
small=10000; large=100000; runs=9; kind=""
if [ "${1:-}" = "--smoke" ]; then small=1000; large=2000; runs=3; kind=-smoke; fi
for tool in hyperfine /usr/bin/time rustc python3 flock; do
  command -v "$tool" >/dev/null || { echo "bench/targets.sh: $tool is missing (Debian: apt-get install hyperfine time; .ci/run installs them)" >&2; exit 2; }
done
cargo build --release --quiet
cargo build --release --quiet --locked --manifest-path bench/peers/check_peer/Cargo.toml
rt=$PWD/target/release/roundtable
peer=$PWD/bench/peers/check_peer/target/release/check_peer
export ROUNDTABLE_KEY=${ROUNDTABLE_KEY:-benchmark-calendar-address-key-0123456789abcdef}
export SOURCE_DATE_EPOCH=1700000000
# A smoke run (CI's, or a clean clone's) has a folder of its own: it once replaced the 10k
# floor's blob while a full run was being measured by hand. Two runs of one kind take turns.
shm=/dev/shm/roundtable-targets$kind
mkdir -p "$shm"
exec 9>"$shm/.lock"
flock 9
gen() { # dir participants sessions busy
  [ -f "$1/programme.toml" ] || "$rt" generate --out "$1" --participants "$2" --sessions "$3" --busy "$4" --seed 1 >/dev/null
}
gen "$shm/p$small" "$small" 10 0
gen "$shm/p$large" "$large" 10 0
gen "$shm/c$small" "$small" 20 50
rustc -O --edition 2021 -o "$shm/floor" bench/peers/floor.rs
peak() { # command... -> peak RSS in MiB
  /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -n 1 | awk '{printf "%.1f", $1/1024}'
}
clean() { rm -rf "$shm/out" "$shm/out.private" "$1/programme.toml.lock"; }
verdict() { python3 -c "import sys; print('**met**' if $1 else '**not met**')"; }

echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average before: $(cut -d' ' -f1-3 /proc/loadavg); roundtable $(git rev-parse --short HEAD)"
echo

# 1. invites against the floor, and --jobs 1 against --jobs 2.
p=$shm/p$small
for jobs in 1 2; do
  clean "$p"; rm -rf "$shm/j$jobs" "$shm/j$jobs.private"
  "$rt" invites "$p/programme.toml" --out "$shm/j$jobs" --jobs "$jobs" >/dev/null 2>&1
done
same=no; diff -r "$shm/j1" "$shm/j2" >/dev/null && diff -r "$shm/j1.private" "$shm/j2.private" >/dev/null && same=yes
"$shm/floor" pack "$shm/blob" "$shm/j2" "$shm/j2.private" >/dev/null
for jobs in 2 1; do
  "$shm/floor" race --runs "$runs" "$shm/blob" "$shm/fl" "$shm/fl.private" \
    -- "rm -rf $shm/out $shm/out.private $p/programme.toml.lock" \
    -- "$rt" invites "$p/programme.toml" --out "$shm/out" --jobs "$jobs" >"$shm/race$jobs.txt" 2>/dev/null
done
v() { sed -n "s/^$2=//p" "$shm/$1"; }
echo "1. \`invites\` P = $small × 10 sessions ($(v race2.txt files) files) against the floor, interleaved, $runs runs each:"
for jobs in 2 1; do
  echo "   - \`--jobs $jobs\`: roundtable $(v race$jobs.txt command_median) s ($(v race$jobs.txt command_min)–$(v race$jobs.txt command_max)), floor $(v race$jobs.txt floor_median) s ($(v race$jobs.txt floor_min)–$(v race$jobs.txt floor_max)): **$(v race$jobs.txt ratio)×**"
done
echo "   - the same writes shared by two threads, with nothing else to do (two_threads in the floor race): $(v race2.txt two_threads_median) s ($(v race2.txt two_threads_min)–$(v race2.txt two_threads_max)), **$(v race2.txt two_threads_ratio)×** the floor; at 1.0×, everything that is not writing (start, loading, preparing) must fit in the rest"
echo "   - output at --jobs 1 and --jobs 2 identical (diff -r, both folders): $same"
echo "   - target ≤ 1.0× (at the default jobs): $(verdict "$(v race2.txt ratio) <= 1.0")"
echo

# 2. check against the peer, both parsers.
c=$shm/c$small/programme.toml
echo "2. \`check --format json\` P = $small × 20 sessions × 50 busy events, interleaved with the peer, $runs runs each:"
worst=0
for ics in ical icalendar; do
  python3 bench/peers/race.py --runs "$runs" --warmup 1 \
    -- "$rt" check "$c" --format json --fail-on never \
    -- "$peer" "$c" --ics "$ics" >"$shm/check-$ics.txt"
  r=$(v "check-$ics.txt" ratio)
  worst=$(python3 -c "print(max($worst, $r))")
  echo "   - against check_peer --ics $ics: roundtable $(v check-$ics.txt a_median) s ($(v check-$ics.txt a_min)–$(v check-$ics.txt a_max)), peer $(v check-$ics.txt b_median) s ($(v check-$ics.txt b_min)–$(v check-$ics.txt b_max)): **${r}×** wall, $(v check-$ics.txt cpu_ratio)× CPU"
done
echo "   - target ≤ 0.2× against the faster peer: $(verdict "$worst <= 0.2")"
echo

# 3–4. peak memory at the large size.
p=$shm/p$large
clean "$p"; b1=$(peak "$rt" build "$p/programme.toml" --out "$shm/out" --jobs 1)
clean "$p"; b2=$(peak "$rt" build "$p/programme.toml" --out "$shm/out")
clean "$p"; i2=$(peak "$rt" invites "$p/programme.toml" --out "$shm/out")
echo "3. \`build\` P = $large peak RSS: $b1 MiB at --jobs 1, $b2 MiB at the default; target ≤ 100 MiB: $(verdict "max($b1, $b2) <= 100")"
echo "4. \`invites\` P = $large peak RSS: $i2 MiB; target ≤ 64 MiB: $(verdict "$i2 <= 64")"
echo

# 5. growth: hyperfine medians of invites at both sizes.
for size in $small $large; do
  p=$shm/p$size
  hyperfine --style none --runs 5 --warmup 1 --prepare "rm -rf $shm/out $shm/out.private $p/programme.toml.lock" \
    --export-json "$shm/h$size.json" "$rt invites $p/programme.toml --out $shm/out" >/dev/null 2>&1
done
med() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.3f" % r["median"])' "$1"; }
ts=$(med "$shm/h$small.json"); tl=$(med "$shm/h$large.json")
g=$(python3 -c "print(f'{($tl / $large) / ($ts / $small):.2f}')")
echo "5. \`invites\` medians of 5: $ts s at P = $small, $tl s at P = $large: per participant ${g}× at the larger size; target ≤ 1.5×: $(verdict "$g <= 1.5")"
echo
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
