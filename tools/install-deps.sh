#!/usr/bin/env bash
# Installs what seckill needs from Debian 12 packages, and only what is missing (so it is quick
# and quiet on a machine that has everything).
#
#   tools/install-deps.sh        everything: build, run and test
#   tools/install-deps.sh run    only what building and running the programs needs (the demo)
#   tools/install-deps.sh bench  everything, and nginx with its Lua module, lua-resty-redis and wrk
#                                for the comparison of tools/edge/bench-edge.sh
#
# PostgreSQL is the system of record of seckill-orders; the tests start private servers of their
# own. GoogleTest is in both sets because configuring the build looks for it. Only the tests
# need the rest: clang for the libFuzzer targets, clang-format for the format check, chromium,
# chromium-driver and fonts (Chinese and Japanese too) for the sale page's browser test.
set -euo pipefail

packages=(
  g++ cmake make pkg-config
  libhiredis-dev rapidjson-dev libgoogle-glog-dev libgflags-dev libgtest-dev libssl-dev
  redis-server redis-sentinel curl
  libpq-dev postgresql
)
if [ "${1:-all}" != run ]; then
  packages+=(
    clang-format clang libclang-rt-14-dev
    chromium chromium-driver fonts-dejavu-core fonts-noto-cjk
  )
fi
if [ "${1:-all}" = bench ]; then
  packages+=(nginx libnginx-mod-http-lua lua-nginx-redis wrk)
fi
# Asio and Beast are header-only: Boost 1.81 headers if the archive has them, else the default.
boost=libboost1.81-dev

missing=()
for package in "${packages[@]}" "$boost"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
if ! apt-cache show "$boost" >/dev/null 2>&1; then
  missing=("${missing[@]/$boost/libboost-dev}")
fi
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
