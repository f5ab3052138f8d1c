#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the independent test oracles need
# (Python packages; later npm packages), then runs every Rust test with TZ unset.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -r tests/oracle/requirements.txt
if [ -f tests/ics/requirements.txt ]; then
  python3 -m pip install --quiet --disable-pip-version-check -r tests/ics/requirements.txt
fi
if [ -f tests/ics/package-lock.json ]; then
  (cd tests/ics && npm ci --silent --no-audit --no-fund)
fi
unset TZ
cargo test --all-targets
cargo test --doc
