#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the independent test oracles need
# (Python packages; later npm packages), then runs every Rust test with TZ unset.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -r tests/oracle/requirements.txt
if [ -f tests/ics/requirements.txt ]; then
  python3 -m pip install --quiet --disable-pip-version-check -r tests/ics/requirements.txt
fi
if [ -f tests/clients/requirements.txt ]; then
  python3 -m pip install --quiet --disable-pip-version-check -r tests/clients/requirements.txt
fi
if [ -f tests/mail/requirements.txt ]; then
  # aiosmtpd: the real SMTP server tests/send.rs starts.
  python3 -m pip install --quiet --disable-pip-version-check -r tests/mail/requirements.txt
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
# Calendar clients for tests/clients.rs: Evolution's data server (driven from Debian's
# /usr/bin/python3 through GObject introspection, on a private D-Bus session) and calcurse.
# khal and Radicale come from tests/clients/requirements.txt above. The libical bindings also
# serve tests/ics/expand_libical.py (tests/ics_parsers.rs, tests/sweep.rs).
client_debs=()
[ -x /usr/libexec/evolution-calendar-factory ] || client_debs+=(evolution-data-server)
/usr/bin/python3 -c "import gi; gi.require_version('ECal', '2.0'); gi.require_version('ICalGLib', '3.0')" \
  >/dev/null 2>&1 || client_debs+=(gir1.2-ecal-2.0 gir1.2-ical-3.0 python3-gi)
command -v dbus-run-session >/dev/null 2>&1 || client_debs+=(dbus dbus-bin)
command -v calcurse >/dev/null 2>&1 || client_debs+=(calcurse)
if [ ${#client_debs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${client_debs[@]}" >/dev/null
  else
    echo "tests/run.sh: install ${client_debs[*]} (sudo apt-get install ...) for tests/clients.rs" >&2
  fi
fi
unset TZ
cargo test --all-targets
cargo test --doc
