#!/usr/bin/env bash
# Whole-command benchmarks of roundtable on generated programmes, with peers measured in the same
# run. Prints a markdown table (median of N runs by hyperfine, peak memory by /usr/bin/time).
#
#   bash bench/run.sh            # P = 1,000, 10,000 and 100,000 (minutes)
#   bash bench/run.sh --smoke    # P = 1,000 only, 2 runs: CI prints the figures, asserts nothing
#
# Needs: hyperfine and GNU time (Debian: hyperfine, time); the peers need Python (icalendar) and
# Node (ical.js), and the check peer is a Cargo project of its own (built here): see
# bench/peers/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=(1000 10000 100000)
runs=5
if [ "${1:-}" = "--smoke" ]; then sizes=(1000); runs=2; fi
for tool in hyperfine /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench/run.sh: $tool is missing (apt-get install hyperfine time)" >&2; exit 2; }
done
cargo build --release --quiet
rt=$PWD/target/release/roundtable
# The `check` peer (Rust crates): its own Cargo project and lock file, outside the workspace.
cargo build --release --quiet --locked --manifest-path bench/peers/check_peer/Cargo.toml
check_peer=$PWD/bench/peers/check_peer/target/release/check_peer
# Calendar file names are keyed (src/address.rs); a fixed key keeps runs comparable and lets the
# benchmark run in CI, where roundtable never makes a key up.
export ROUNDTABLE_KEY=${ROUNDTABLE_KEY:-benchmark-calendar-address-key-0123456789abcdef}
work=${BENCH_DIR:-/tmp/roundtable-bench}
shm=/dev/shm/roundtable-bench
mkdir -p "$work" "$shm"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo
echo "| command | P | median (s) | min (s) | peak memory (MiB) |"
echo "| --- | ---: | ---: | ---: | ---: |"

median() { # hyperfine JSON -> "median min"
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.3f %.3f" % (r["median"], r["min"]))' "$1"
}
peak() { # command... -> peak RSS in MiB
  /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -n 1 | awk '{printf "%.1f", $1/1024}'
}
row() { # name P prepare command...
  local name=$1 p=$2 prepare=$3; shift 3
  hyperfine --style none --runs "$runs" --warmup 1 --prepare "$prepare" --export-json "$work/h.json" "$*" >/dev/null 2>&1
  read -r med min < <(median "$work/h.json")
  eval "$prepare" >/dev/null 2>&1
  echo "| $name | $p | $med | $min | $(peak "$@") |"
}

for p in "${sizes[@]}"; do
  dir=$work/p$p
  [ -f "$dir/programme.toml" ] || "$rt" generate --out "$dir" --participants "$p" --sessions 10 --busy 0 --seed 1
  clean="rm -rf $shm/out $shm/out.private $work/out $work/out.private $dir/programme.toml.lock"
  row "times --format json" "$p" "true" "$rt" times "$dir/programme.toml" --format json
  row "invites (/dev/shm)" "$p" "$clean" "$rt" invites "$dir/programme.toml" --out "$shm/out"
  row "invites --jobs 1 (/dev/shm)" "$p" "$clean" "$rt" invites "$dir/programme.toml" --out "$shm/out" --jobs 1
  row "invites (disk)" "$p" "$clean" "$rt" invites "$dir/programme.toml" --out "$work/out"
  row "split --editions 3" "$p" "true" "$rt" split "$dir/programme.toml" --editions 3 --duration 2h --date 2023-10-25 --format json
  row "build (/dev/shm)" "$p" "$clean" "$rt" build "$dir/programme.toml" --out "$shm/out"
  row "build --jobs 1 (/dev/shm)" "$p" "$clean" "$rt" build "$dir/programme.toml" --out "$shm/out" --jobs 1
  bdir=$work/p${p}b50
  if [ "$p" -le 10000 ]; then
    [ -f "$bdir/programme.toml" ] || "$rt" generate --out "$bdir" --participants "$p" --sessions 10 --busy 50 --seed 1
    row "check (50 busy events each)" "$p" "true" "$rt" check "$bdir/programme.toml" --format json --fail-on never
    row "check --jobs 1 (50 busy events each)" "$p" "true" "$rt" check "$bdir/programme.toml" --format json --fail-on never --jobs 1
    row "check peer: check_peer (Rust crates, ical; 50 busy events each)" "$p" "true" "$check_peer" "$bdir/programme.toml"
  fi
done

# Peers, in the same run, on the same programme: the invite job at 10,000 participants (1,000 in
# a smoke run) on /dev/shm, with roundtable's VTIMEZONE blocks given to the peers.
p=${sizes[-1]}; [ "$p" -gt 10000 ] && p=10000
dir=$work/p$p
if [ -f bench/peers/floor.rs ]; then
  echo
  echo "Invite job at P = $p on /dev/shm, same run:"
  echo
  rm -rf "$shm/rt" "$shm/rt.private" "$shm/rt-all" "$dir/programme.toml.lock"
  "$rt" invites "$dir/programme.toml" --out "$shm/rt" >/dev/null 2>&1
  # The peers write one folder; roundtable a public and a private one: compare their union.
  mkdir -p "$shm/rt-all" && cp -r "$shm/rt/." "$shm/rt.private/." "$shm/rt-all/"
  rustc -O --edition 2021 -o "$work/floor" bench/peers/floor.rs
  # The floor: the same bytes into the same layout (both folders), loaded from one blob before
  # its clock starts, timed in-process, interleaved with whole roundtable runs (floor.rs race).
  "$work/floor" pack "$work/blob" "$shm/rt" "$shm/rt.private" >/dev/null
  declare -A med
  "$work/floor" race --runs "$runs" "$work/blob" "$shm/floor" "$shm/floor.private" \
    -- "rm -rf $shm/out $shm/out.private $dir/programme.toml.lock" \
    -- "$rt" invites "$dir/programme.toml" --out "$shm/out" >"$work/race.txt" 2>/dev/null
  val() { sed -n "s/^$1=//p" "$work/race.txt"; }
  echo "Floor race (interleaved, $runs runs each after a warm-up): roundtable median $(val command_median) s" \
    "(range $(val command_min)–$(val command_max)), floor median $(val floor_median) s" \
    "(range $(val floor_min)–$(val floor_max)), ratio $(val ratio), $(val files) files"
  echo
  echo "| program | median (s) | ratio to roundtable |"
  echo "| --- | ---: | ---: |"
  measure() { # key prepare command...
    local key=$1 prepare=$2; shift 2
    hyperfine --style none --runs "$runs" --warmup 1 --prepare "$prepare" --export-json "$work/h.json" "$*" >/dev/null 2>&1
    read -r m _ < <(median "$work/h.json")
    med[$key]=$m
  }
  measure roundtable "rm -rf $shm/out $shm/out.private $dir/programme.toml.lock" "$rt" invites "$dir/programme.toml" --out "$shm/out"
  med[floor]=$(val floor_median)
  have_py=0; have_js=0
  python3 -c "import icalendar, dateutil" 2>/dev/null && have_py=1
  [ -d bench/peers/node_modules ] && have_js=1
  if [ $have_py = 1 ]; then measure python "rm -rf $shm/py" python3 bench/peers/invites_icalendar.py "$dir/programme.toml" "$shm/py" --vtimezones "$shm/rt-all/generated-$p.ics"; fi
  if [ $have_js = 1 ]; then measure icaljs "rm -rf $shm/js" node bench/peers/invites_icaljs.mjs "$dir/programme.toml" "$shm/js" --vtimezones "$shm/rt-all/generated-$p.ics"; fi
  r=${med[roundtable]}
  for key in roundtable floor python icaljs; do
    [ -n "${med[$key]:-}" ] || continue
    echo "| $key | ${med[$key]} | $(python3 -c "print(f'{${med[$key]}/$r:.2f}x')") |"
  done
  if [ $have_py = 1 ]; then
    outs=("$shm/py"); [ $have_js = 1 ] && outs+=("$shm/js")
    python3 bench/peers/agree.py "$shm/rt-all" "${outs[@]}" --sample 500 && echo && echo "Peers agree with roundtable on (participant, UID, start UTC)."
  fi
fi

# The check job against its peer (bench/peers/check_peer, Rust crates), in the same run: 20
# sessions and 50 busy events per participant (issue 19's programme) at 10,000 participants
# (1,000 in a smoke run), on /dev/shm, the two commands alternated (bench/peers/race.py).
p=${sizes[-1]}; [ "$p" -gt 10000 ] && p=10000
cdir=$shm/p${p}s20b50
[ -f "$cdir/programme.toml" ] || "$rt" generate --out "$cdir" --participants "$p" --sessions 20 --busy 50 --seed 1 >/dev/null
echo
echo "Check job at P = $p, 20 sessions, 50 busy events each, on /dev/shm, same run:"
echo
python3 bench/peers/race.py --runs "$runs" --warmup 1 \
  -- "$rt" check "$cdir/programme.toml" --format json --fail-on never \
  -- "$check_peer" "$cdir/programme.toml" >"$work/check-race.txt"
cval() { sed -n "s/^$1=//p" "$work/check-race.txt"; }
echo "| program | median (s) | range (s) | CPU median (s) | ratio to the peer |"
echo "| --- | ---: | ---: | ---: | ---: |"
echo "| roundtable check --format json | $(cval a_median) | $(cval a_min)–$(cval a_max) | $(cval a_cpu_median) | $(cval ratio)x |"
echo "| check_peer (Rust crates, ical parser) | $(cval b_median) | $(cval b_min)–$(cval b_max) | $(cval b_cpu_median) | 1.00x |"
"$rt" check "$cdir/programme.toml" --format json --fail-on never >"$shm/check-rt.json" 2>/dev/null
"$check_peer" "$cdir/programme.toml" >"$shm/check-peer.json"
echo
python3 bench/peers/agree_check.py "$shm/check-rt.json" "$shm/check-peer.json" | sed 's/^/    /' \
  || echo "    (the check peer's findings differ from roundtable's: see above)"
