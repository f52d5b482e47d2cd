#!/usr/bin/env bash
# The install and the Debian package, from a built tree: `cmake --install` into a scratch
# DESTDIR puts every program, config, unit and page file where the units and configs say they
# are; the units pass systemd's checks; `cpack` makes a .deb with those files, the configs as
# conffiles and the runtime dependencies.
#
#   tests/packaging/install_test.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

DESTDIR="$work/root" cmake --install "$build" > "$work/install.log"
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build/CMakeCache.txt")
root="$work/root"
for program in seckill-proxy seckill-logic seckill-orders seckill-admin seckill-bench; do
  [ -x "$root$prefix/bin/$program" ] || fail "$program not installed in $prefix/bin"
  "$root$prefix/bin/$program" --version | grep -q "^$program " || fail "$program --version"
done

units=$(ls "$root$prefix"/lib/systemd/system/seckill-*.service)
[ "$(echo "$units" | wc -l)" = 3 ] || fail "expected 3 units, found: $units"
for unit in $units; do
  # Every program and config a unit names is installed.
  for path in $(grep -oE '(/[A-Za-z0-9._-]+)+' "$unit" | grep -E '/bin/seckill-|\.json$' | sort -u); do
    [ -e "$root$path" ] || fail "$(basename "$unit") names $path, which is not installed"
  done
  grep -q '^Restart=on-failure' "$unit" || fail "$(basename "$unit"): no restart policy"
  grep -q '^DynamicUser=yes' "$unit" || fail "$(basename "$unit"): not sandboxed"
  # systemd's own check, on a copy whose programs point into the scratch root.
  sed "s#$prefix/bin/#$root$prefix/bin/#g" "$unit" > "$work/$(basename "$unit")"
  if ! systemd-analyze verify --man=no "$work/$(basename "$unit")" > "$work/verify.log" 2>&1; then
    cat "$work/verify.log" >&2
    fail "systemd-analyze verify $(basename "$unit")"
  fi
done

config_dir=$(dirname "$(grep -oE '(/[A-Za-z0-9._-]+)+/proxy.json' "$root$prefix/lib/systemd/system/seckill-proxy.service" | head -1)")
static_dir=$(sed -n 's/.*"static_dir": "\(.*\)".*/\1/p' "$root$config_dir/proxy.json")
[ -f "$root$static_dir/index.html" ] || fail "proxy.json's static_dir $static_dir has no index.html"
grep -q '"demo_login": false' "$root$config_dir/proxy.json" || fail "installed proxy.json is a demo"
if grep -q '"secret":' "$root$config_dir/proxy.json"; then fail "a secret in the installed config"; fi

(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" > cpack.log 2>&1) ||
  { cat "$work/cpack.log" >&2; fail "cpack"; }
deb=$(ls "$work"/*.deb)
dpkg-deb -c "$deb" > "$work/contents"  # (not piped into grep -q: it would cut the pipe)
grep -q "\.$prefix/bin/seckill-proxy$" "$work/contents" || fail "the .deb lacks seckill-proxy"
dpkg-deb -f "$deb" Depends | grep -q libhiredis || fail "the .deb does not depend on hiredis"
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles > "$work/conffiles"
grep -q "$config_dir/proxy.json" "$work/conffiles" || fail "proxy.json is not a conffile"
echo "install and package: ok"
