#!/usr/bin/env bash
# Builds the Debian package as a packager would: a Release build without the tests, installed
# under /usr (configs in /etc/seckill, units in /usr/lib/systemd/system), into build/package/.
#
#   tools/build-deb.sh        -> build/package/seckill_<version>_<arch>.deb
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh run
cmake -S . -B build/package -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
  -DSECKILL_BUILD_TESTS=OFF >/dev/null
cmake --build build/package -j "$(nproc)"
(cd build/package && cpack -G DEB)
ls build/package/*.deb
