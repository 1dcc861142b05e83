#!/usr/bin/env bash
# CI's package check (run as root on a throwaway machine; it installs and purges the package):
# builds the .deb with packaging/deb/build.sh, installs it with dpkg -i, and as an unprivileged
# user with a clean environment, and the toolchain's folder hidden where the kernel allows it:
#   parta --version; parta demo --no-serve;
# then checks the hub's unit with systemd-analyze verify, that an upgrade and a removal keep the
# hub's data and a purge deletes it, and that the tarball holds the same files.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== %s\n' "$*"; }
fail() { echo "package check FAILED: $*" >&2; exit 1; }

step "build"
deb=$(packaging/deb/build.sh | tail -1)
[ -f "$deb" ] || fail "build.sh did not print the path of a package (got: $deb)"
tarball="${deb%.deb}.tar.gz"
echo "$deb"
dpkg-deb --info "$deb"
dpkg-deb --contents "$deb"

step "install"
dpkg -i "$deb"
for file in /usr/bin/parta /lib/systemd/system/parta-hub.service /etc/default/parta-hub /usr/share/doc/parta/examples/nginx-parta.conf \
            /usr/share/bash-completion/completions/parta /usr/share/zsh/vendor-completions/_parta \
            /usr/share/fish/vendor_completions.d/parta.fish /usr/share/man/man1/parta.1.gz /usr/share/man/ru/man1/parta.1.gz; do
  [ -f "$file" ] || fail "$file is not installed"
done
getent passwd parta >/dev/null || fail "the package did not create the parta user"
[ "$(stat -c '%U %a' /var/lib/parta)" = "parta 700" ] || fail "/var/lib/parta is not the parta user's, mode 700"
if ldd /usr/bin/parta | grep -Ei 'swift|/opt/|not found'; then fail "parta loads a library from a toolchain, or one is missing"; fi

step "run as an unprivileged user, clean environment"
id partacheck >/dev/null 2>&1 || useradd --create-home --shell /bin/sh partacheck
home=$(getent passwd partacheck | cut -d: -f6)
out=$(mktemp)
toolchain=$(dirname "$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")" 2>/dev/null || true)
as_user() {
  runuser -u partacheck -- env -i HOME="$home" PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"
}
hidden=""
if [ -n "$toolchain" ] && [ -d "$toolchain" ] && unshare -m true 2>/dev/null; then
  hidden="$toolchain"
  as_user() {
    unshare -m sh -c 'mount -t tmpfs none "$0" && home=$1 && shift && exec runuser -u partacheck -- env -i HOME="$home" PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"' "$hidden" "$home" "$@"
  }
  echo "the toolchain's folder $hidden is hidden (an empty tmpfs over it) for these runs"
else
  echo "note: cannot hide the toolchain's folder here (no mount namespace); ldd above shows none of it is loaded"
fi
# Read whole, then looked at: `| head -1` would close the pipe under parta's line-buffered output.
version=$(as_user parta --version)
echo "$version"
[ "$(echo "$version" | sed -n 1p)" = "parta $(dpkg-deb -f "$deb" Version)" ] || fail "parta --version does not print the package's version"
cd "$home"
as_user parta demo --no-serve > "$out" 2>&1 || { cat "$out"; fail "parta demo --no-serve failed"; }
tail -5 "$out"
cd - >/dev/null
as_user man -w parta >/dev/null 2>&1 || echo "note: man-db is not installed; the pages are in place"

step "the hub's unit"
systemd-analyze verify /lib/systemd/system/parta-hub.service || fail "systemd-analyze verify refused the hub's unit"

step "upgrade, removal and purge keep or delete the hub's data"
runuser -u parta -- env -i PATH=/usr/bin:/bin LANG=C.UTF-8 /usr/bin/parta hub init --data /var/lib/parta --name "Проверка пакета" >/dev/null
[ -f /var/lib/parta/replica.sqlite ] || fail "hub init wrote no replica in /var/lib/parta"
before=$(find /var/lib/parta -type f | sort | xargs sha256sum)
dpkg -i "$deb" >/dev/null
[ "$(find /var/lib/parta -type f | sort | xargs sha256sum)" = "$before" ] || fail "reinstalling changed the hub's data"
dpkg -r parta >/dev/null
[ ! -e /usr/bin/parta ] || fail "removal left /usr/bin/parta"
[ "$(find /var/lib/parta -type f | sort | xargs sha256sum)" = "$before" ] || fail "removal changed the hub's data"
dpkg -i "$deb" >/dev/null
runuser -u parta -- env -i PATH=/usr/bin:/bin LANG=C.UTF-8 /usr/bin/parta status --data /var/lib/parta >/dev/null \
  || fail "the hub's data does not open after a reinstall"
dpkg -P parta >/dev/null
[ ! -e /var/lib/parta ] || fail "purge left /var/lib/parta"
[ ! -e /etc/default/parta-hub ] || fail "purge left /etc/default/parta-hub"
! getent passwd parta >/dev/null || fail "purge left the parta user"

step "the tarball holds the same files"
list() { sed -e 's|^\./||' -e 's|^usr/local/|usr/|' -e 's|^usr/lib/systemd|lib/systemd|' | grep -v '/$' | sort; }
from_deb=$(dpkg-deb --fsys-tarfile "$deb" | tar -t | list)
from_tar=$(tar -tzf "$tarball" | sed "s|^$(basename "${tarball%.tar.gz}")/||" | grep -v '^INSTALL.txt$' | list)
[ "$from_deb" = "$from_tar" ] || { diff <(echo "$from_deb") <(echo "$from_tar") || true; fail "the tarball and the package hold different files"; }

step "package check passed: $(basename "$deb") ($(du -h "$deb" | cut -f1)), $(basename "$tarball")"
