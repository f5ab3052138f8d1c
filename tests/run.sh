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
if [ -f tests/page/package-lock.json ]; then
  (cd tests/page && npm ci --silent --no-audit --no-fund)
fi
# Debian's Chromium for the page test (no browser download: playwright-core drives this one).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "tests/run.sh: install Debian's chromium (sudo apt-get install chromium) for tests/page.rs" >&2
  fi
fi
# Debian's libical GObject bindings for tests/ics/expand_libical.py (run by /usr/bin/python3).
if ! /usr/bin/python3 -c "import gi; gi.require_version('ICalGLib', '3.0')" >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gir1.2-ical-3.0 python3-gi >/dev/null
  else
    echo "tests/run.sh: install gir1.2-ical-3.0 and python3-gi (sudo apt-get install gir1.2-ical-3.0 python3-gi) for tests/sweep.rs" >&2
  fi
fi
unset TZ
cargo test --all-targets
cargo test --doc
