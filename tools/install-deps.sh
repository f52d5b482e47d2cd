#!/usr/bin/env bash
# Installs what seckill needs to build, test and run, from Debian 12 packages, and only what is
# missing (so it is quick and quiet on a machine that has everything). PostgreSQL is the
# system of record of seckill-orders; the tests start private servers of their own. clang is only for the
# libFuzzer targets; chromium, chromium-driver and a font only for the sale page's browser test.
set -euo pipefail

packages=(
  g++ cmake make pkg-config
  libhiredis-dev rapidjson-dev libgoogle-glog-dev libgflags-dev libgtest-dev libssl-dev
  redis-server redis-sentinel clang-format curl
  libpq-dev postgresql
  clang libclang-rt-14-dev
  chromium chromium-driver fonts-dejavu-core
)
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
