#!/usr/bin/env bash
# Builds Parta's Debian package and a plain tarball of the same files, from a release build with
# the Swift runtime linked in (--static-swift-stdlib): the binary needs only the system's glibc,
# libsqlite3 and zlib (syncs, https too, go through AsyncHTTPClient and SwiftNIO SSL, linked in:
# no libcurl, no OpenSSL).
#
#   packaging/deb/build.sh            # prints the path of the .deb it wrote as its last line
#
# Output goes to .build-packages/ (PARTA_PACKAGE_OUT overrides): parta_<version>_<arch>.deb and
# parta_<version>_<arch>.tar.gz. The version is the one the built binary reports
# (`parta --version`, from Sources/PartaApp/PartaRelease.swift), so a package never claims another.
# Needs: swift, libsqlite3-dev, zlib1g-dev, dpkg-deb, readelf, python3. The release build takes minutes; the rest, seconds.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
scratch=${PARTA_RELEASE_SCRATCH:-.build-release}
out=${PARTA_PACKAGE_OUT:-$root/.build-packages}
mkdir -p "$out"

echo "== release build (static Swift runtime) in $scratch" >&2
swift build -c release --product parta --static-swift-stdlib --scratch-path "$scratch" >&2
bin="$scratch/release/parta"

# The libraries the binary itself names (ELF NEEDED; theirs are their packages' business) must all
# come from the system's packages, never from a toolchain.
allowed='^(libc6|libsqlite3-0|zlib1g|libgcc-s1|libstdc\+\+6)$'
depends=()
for soname in $(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
  library=$(ldd "$bin" | awk -v name="$soname" '$1 == name && $3 ~ /^\// { print $3 }')
  [ -n "$library" ] || library=$(ldd "$bin" | awk -v name="$soname" '$1 ~ "/" name "$" { print $1 }')
  package=""
  [ -n "$library" ] && package=$(dpkg -S "$(readlink -f "$library")" 2>/dev/null | head -1 | cut -d: -f1) || true
  [ -n "$package" ] || package=$(dpkg -S "/$library" 2>/dev/null | head -1 | cut -d: -f1) || true
  if [ -z "$package" ]; then
    echo "error: $bin needs $soname ($library), which no system package provides (a toolchain's library?)" >&2
    exit 1
  fi
  if ! [[ $package =~ $allowed ]]; then
    echo "error: $bin needs $soname from package $package, which a school's computer may lack" >&2
    exit 1
  fi
  [[ " ${depends[*]-} " == *" $package "* ]] || depends+=("$package")
done

version=$("$bin" --version | awk 'NR == 1 { print $2 }')   # awk reads it all: head would close the pipe on a line-by-line writer (SIGPIPE under pipefail)
arch=$(dpkg --print-architecture)
name="parta_${version}_${arch}"
echo "== $name: depends on ${depends[*]}" >&2

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
tree="$stage/$name"
install -d "$tree/usr/bin" "$tree/lib/systemd/system" "$tree/usr/share/doc/parta/examples" \
  "$tree/usr/share/bash-completion/completions" "$tree/usr/share/zsh/vendor-completions" \
  "$tree/usr/share/fish/vendor_completions.d" "$tree/usr/share/man/man1" "$tree/usr/share/man/ru/man1"
install -m 0755 "$bin" "$tree/usr/bin/parta"
strip --strip-unneeded "$tree/usr/bin/parta" 2>/dev/null || true
install -m 0644 Examples/systemd/parta-hub.service "$tree/lib/systemd/system/parta-hub.service"
install -m 0644 Examples/systemd/nginx-parta.conf "$tree/usr/share/doc/parta/examples/nginx-parta.conf"
install -m 0644 Examples/systemd/parta-hub.service "$tree/usr/share/doc/parta/examples/parta-hub.service"
install -m 0644 packaging/deb/copyright "$tree/usr/share/doc/parta/copyright"
install -d "$tree/etc/default"
install -m 0644 packaging/deb/parta-hub.default "$tree/etc/default/parta-hub"

# Completions and man pages come from the binary's own help (swift-argument-parser), so they
# cannot drift from it. Completions carry the Russian help, as the program speaks by default.
LANG=ru_RU.UTF-8 "$bin" --generate-completion-script bash > "$tree/usr/share/bash-completion/completions/parta"
LANG=ru_RU.UTF-8 "$bin" --generate-completion-script zsh > "$tree/usr/share/zsh/vendor-completions/_parta"
LANG=ru_RU.UTF-8 "$bin" --generate-completion-script fish > "$tree/usr/share/fish/vendor_completions.d/parta.fish"
date=$(git log -1 --format=%cs 2>/dev/null || date +%F)
python3 packaging/manpage.py --binary "$bin" --language en --date "$date" --version "$version" > "$stage/parta.1"
python3 packaging/manpage.py --binary "$bin" --language ru --date "$date" --version "$version" > "$stage/parta.ru.1"
gzip -9n < "$stage/parta.1" > "$tree/usr/share/man/man1/parta.1.gz"
gzip -9n < "$stage/parta.ru.1" > "$tree/usr/share/man/ru/man1/parta.1.gz"
gzip -9n < packaging/deb/changelog > "$tree/usr/share/doc/parta/changelog.gz"

# The tarball: the same files, for distributions without dpkg (ALT Linux, RED OS). Its unit runs
# /usr/local/bin/parta, where README's four commands put it.
tarred="$stage/tar/$name"
mkdir -p "$tarred/usr/local/lib/systemd/system"
cp -a "$tree/usr/bin" "$tree/usr/share" "$tarred/usr/local/"
sed 's|/usr/bin/parta|/usr/local/bin/parta|' "$tree/lib/systemd/system/parta-hub.service" \
  > "$tarred/usr/local/lib/systemd/system/parta-hub.service"
cp -a "$tree/etc" "$tarred/etc"
install -m 0644 packaging/tarball/INSTALL.txt "$tarred/INSTALL.txt"
tar -C "$stage/tar" --owner=0 --group=0 --numeric-owner -czf "$out/$name.tar.gz" "$name"

# The Debian package.
install -d "$tree/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$tree" | cut -f1)
deps=$(printf '%s, ' "${depends[@]}")
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@SIZE@|$size|" -e "s|@DEPENDS@|${deps}adduser|" \
  packaging/deb/control > "$tree/DEBIAN/control"
for script in postinst prerm postrm; do install -m 0755 "packaging/deb/$script" "$tree/DEBIAN/$script"; done
echo /etc/default/parta-hub > "$tree/DEBIAN/conffiles"
dpkg-deb --root-owner-group -Zxz --build "$tree" "$out/$name.deb" >&2
echo "== wrote $out/$name.tar.gz" >&2
echo "$out/$name.deb"
