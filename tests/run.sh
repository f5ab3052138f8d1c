#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the independent test oracles need
# (Python packages in a virtual environment, npm packages, Debian packages when run as root),
# then runs every Rust test with TZ unset.
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian packages, when this machine lacks them and we may install (root): python3-venv (Debian's
# python3 has no ensurepip without it), nodejs and npm for the JavaScript oracles.
debs=()
python3 -c "import ensurepip, venv" >/dev/null 2>&1 || debs+=(python3-venv)
command -v npm >/dev/null 2>&1 || debs+=(nodejs npm)
if [ ${#debs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${debs[@]}" >/dev/null
  else
    echo "tests/run.sh: install ${debs[*]} (sudo apt-get install ...)" >&2
  fi
fi
# Python packages go into a virtual environment, first on PATH for the tests (`python3`, `khal`):
# Debian's and Ubuntu's own python3 refuse `pip install` outside one (PEP 668). Tests that need
# Debian's GObject bindings call /usr/bin/python3 by name.
venv="$PWD/target/test-venv"
if [ ! -x "$venv/bin/python3" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
fi
export VIRTUAL_ENV="$venv"
export PATH="$venv/bin:$PATH"
# tests/mail: aiosmtpd, the real SMTP server tests/it/send.rs starts.
for requirements in tests/oracle/requirements.txt tests/ics/requirements.txt \
  tests/clients/requirements.txt tests/mail/requirements.txt; do
  if [ -f "$requirements" ]; then
    python3 -m pip install --quiet --disable-pip-version-check -r "$requirements"
  fi
done
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
    echo "tests/run.sh: install Debian's chromium (sudo apt-get install chromium) for tests/it/page.rs" >&2
  fi
fi
# Calendar clients for tests/it/clients.rs: Evolution's data server (driven from Debian's
# /usr/bin/python3 through GObject introspection, on a private D-Bus session) and calcurse.
# khal and Radicale come from tests/clients/requirements.txt above. The libical bindings also
# serve tests/ics/expand_libical.py (tests/it/ics_parsers.rs, tests/it/sweep.rs).
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
    echo "tests/run.sh: install ${client_debs[*]} (sudo apt-get install ...) for tests/it/clients.rs" >&2
  fi
fi
unset TZ
cargo test --all-targets
cargo test --doc
