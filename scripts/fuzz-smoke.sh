#!/usr/bin/env bash
# A short run of every fuzz target (docs/fuzzing.md), for CI: exits non-zero when a target
# crashes, hangs past the per-input timeout, or does not build.
#
#   bash scripts/fuzz-smoke.sh            # every target, FUZZ_SECONDS (default 15) each
#   FUZZ_SECONDS=60 bash scripts/fuzz-smoke.sh programme busy_ics
#
# cargo-fuzz needs nightly-only rustc flags; the machine has only stable Rust, so
# RUSTC_BOOTSTRAP=1 lets stable accept them. libFuzzer itself is built from C++ by
# libfuzzer-sys (needs a C++ compiler; gcc's g++ does). Sanitizer: none (roundtable's fuzzed
# code is safe Rust; without ASan a target runs several times faster, and panics, timeouts and
# out-of-memory are caught all the same). Debug assertions on (-a), so that integer overflow
# panics as it does under `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-15}"
all_targets=(programme small_parsers participants_csv busy_ics ics_text)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=("${all_targets[@]}")
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz-smoke: installing cargo-fuzz" >&2
  cargo install cargo-fuzz --locked --version 0.13.2
fi

export RUSTC_BOOTSTRAP=1
fuzz=(cargo fuzz run --sanitizer none --debug-assertions)

# Seed each corpus (git-ignored, under fuzz/corpus) with the repository's own files.
seed() {
  local target="$1"
  shift
  mkdir -p "fuzz/corpus/$target"
  for f in "$@"; do
    [ -f "$f" ] && cp -n "$f" "fuzz/corpus/$target/" || true
  done
}
seed programme sessions/*.toml tests/data/programmes/*.toml tests/data/plan/*.toml
seed participants_csv sessions/*.csv tests/data/plan/*.csv
seed busy_ics tests/data/busy/*.ics
seed small_parsers fuzz/seeds/small_parsers/*
seed ics_text fuzz/seeds/ics_text/*

start=$(date +%s)
cargo fuzz build --sanitizer none --debug-assertions
echo "fuzz-smoke: built in $(($(date +%s) - start)) s"

failed=()
for target in "${targets[@]}"; do
  echo "fuzz-smoke: $target for ${seconds} s"
  log="fuzz/target/fuzz-smoke-$target.log"
  # -timeout: one input running longer is a hang, reported as a failure (exit 70).
  # -rss_limit_mb: an input that makes a target use more memory is a failure too.
  # The corpus is fuzz/corpus/$target, a crash is written to fuzz/artifacts/$target/.
  if "${fuzz[@]}" "$target" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      >"$log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^stat::average_exec_per_sec' "$log" | tr '\n' ' '
    echo
  else
    failed+=("$target")
    # The panic (or libFuzzer's verdict: timeout, out-of-memory) and where the input was saved.
    grep -E -A1 "panicked at|ERROR: libFuzzer|^SUMMARY|Test unit written" "$log" | head -n 20 || tail -n 40 "$log"
    echo "fuzz-smoke: $target FAILED; the input is under fuzz/artifacts/$target/ (see docs/fuzzing.md to replay it)" >&2
  fi
done

echo "fuzz-smoke: done in $(($(date +%s) - start)) s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz-smoke: failed: ${failed[*]}" >&2
  exit 1
fi
