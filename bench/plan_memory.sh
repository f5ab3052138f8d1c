#!/usr/bin/env bash
# Peak memory and wall time of `suggest` and `split` on generated programmes, to show that
# planning memory does not grow with the window (issue 17): 100,000 participants, 1-minute
# steps, windows of 1 and 31 days; and `split` on one day at 1-minute steps.
#
#   bash bench/plan_memory.sh          # P = 100,000 (a few minutes)
#   P=20000 bash bench/plan_memory.sh  # another size
#
# Needs GNU time (Debian: time).
set -euo pipefail
cd "$(dirname "$0")/.."
p=${P:-100000}
[ -x /usr/bin/time ] || { echo "bench/plan_memory.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
cargo build --release --quiet
rt=$PWD/target/release/roundtable
work=${BENCH_DIR:-/tmp/roundtable-bench}
dir=$work/p$p
[ -f "$dir/programme.toml" ] || "$rt" generate --out "$dir" --participants "$p" --sessions 10 --busy 0 --seed 1
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); P = $p"
echo
echo "| command | wall (s) | peak memory (MiB) |"
echo "| --- | ---: | ---: |"
measure() { # name command...
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null
  read -r wall kib < "$work/time.txt"
  echo "| $name | $wall | $(awk -v k="$kib" 'BEGIN {printf "%.1f", k/1024}') |"
}
measure "suggest 2h, 1 day, 1-minute step (1,440 starts)" \
  "$rt" suggest "$dir/programme.toml" --duration 2h --from 2023-10-25 --to 2023-10-25 --step 1m --format json
measure "suggest 2h, 31 days, 1-minute step (44,640 starts)" \
  "$rt" suggest "$dir/programme.toml" --duration 2h --from 2023-10-23 --to 2023-11-22 --step 1m --format json
measure "suggest 2h, 31 days, 15-minute step" \
  "$rt" suggest "$dir/programme.toml" --duration 2h --from 2023-10-23 --to 2023-11-22 --format json
measure "split --editions 3, 1 day, 15-minute step" \
  "$rt" split "$dir/programme.toml" --editions 3 --duration 2h --date 2023-10-25 --format json
measure "split --editions 2, 1 day, 1-minute step --allow-overlap" \
  "$rt" split "$dir/programme.toml" --editions 2 --duration 2h --date 2023-10-25 --step 1m --allow-overlap --format json
