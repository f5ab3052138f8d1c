#!/usr/bin/env bash
# Runs `bash tests/run.sh` in a fresh Debian 12 (bookworm) made by debootstrap: Debian's own
# /usr/bin/python3 (marked externally managed, PEP 668, no pip) is the only Python, and there is
# no node, npm or chromium — tests/run.sh must install what it needs. Proves that the README's
# test command works on a fresh machine, not only on a warm one. Needs root, debootstrap and about
# 30 minutes on 2 cores; the machine's Rust toolchain (rustup) is bound in read-only, as a fresh
# machine with rustup has one.
#
#   sudo bash scripts/fresh-debian.sh [ROOTFS]     # ROOTFS defaults to /var/tmp/roundtable-deb12
#
# Where the network goes through a TLS-inspecting proxy, that proxy's CA bundle and the pip/npm
# settings naming it (/etc/pip.conf, /etc/npmrc) are copied in: they belong to the workplace, not
# to the project.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
rootfs=${1:-/var/tmp/roundtable-deb12}
[ "$(id -u)" = 0 ] || { echo "fresh-debian.sh: run as root (chroot, mount)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "fresh-debian.sh: apt-get install debootstrap" >&2; exit 2; }
rustup_home=${RUSTUP_HOME:-$HOME/.rustup}
cargo_bin=$(dirname "$(command -v cargo)")

if [ ! -x "$rootfs/usr/bin/python3" ]; then
  echo "fresh-debian.sh: debootstrap bookworm into $rootfs"
  debootstrap --variant=minbase --include=ca-certificates,gcc,libc6-dev,git,python3 \
    bookworm "$rootfs" http://deb.debian.org/debian >/dev/null
fi
cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
for f in /etc/pip.conf /etc/npmrc; do [ -f "$f" ] && cp "$f" "$rootfs$f"; done

cleanup() {
  for m in root/.rustup opt/cargo-bin dev/pts dev/shm dev sys proc; do
    umount -l "$rootfs/$m" 2>/dev/null || true
  done
}
trap cleanup EXIT
mkdir -p "$rootfs/root/.rustup" "$rootfs/opt/cargo-bin"
mount -t proc proc "$rootfs/proc"
mount --rbind /sys "$rootfs/sys"
mount --rbind /dev "$rootfs/dev"
mount --bind "$rustup_home" "$rootfs/root/.rustup"
mount --bind "$cargo_bin" "$rootfs/opt/cargo-bin"

rm -rf "$rootfs/root/roundtable"
git clone -q "$repo" "$rootfs/root/roundtable"
chroot "$rootfs" /usr/bin/env -i HOME=/root CI=true \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/opt/cargo-bin \
  RUSTUP_HOME=/root/.rustup CARGO_HOME=/root/.cargo-chroot \
  ${NODE_EXTRA_CA_CERTS:+NODE_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS} \
  ${PIP_CERT:+PIP_CERT=$PIP_CERT} \
  /bin/bash -c '
    set -e
    cd /root/roundtable
    echo "python3: $(command -v python3) ($(python3 --version 2>&1)); pip: $(python3 -m pip --version 2>&1 | head -1)"
    echo "node: $(command -v node || echo none); npm: $(command -v npm || echo none); chromium: $(command -v chromium || echo none)"
    echo "commit: $(git log --oneline -1)"
    bash tests/run.sh
    echo "fresh-debian.sh: tests/run.sh passed; node $(node --version), npm $(npm --version)"
  '
