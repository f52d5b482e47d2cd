#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: formatting, unit, integration against a
# real redis-server, end to end with the real binaries, the chaos suite; then the unit and
# integration tests again under AddressSanitizer + UndefinedBehaviorSanitizer, and each libFuzzer
# target for 10 seconds.
#
#   tools/run-tests.sh            everything
#   SECKILL_SKIP_ASAN=1 ...       skip the sanitizer pass (quicker local runs)
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh

echo "== format check"
mapfile -t sources < <(git ls-files '*.cpp' '*.hpp' '*.js' 2>/dev/null || find common proxy logic tools tests -name '*.[ch]pp' -o -name '*.js')
clang-format --dry-run -Werror "${sources[@]}"

echo "== build (dev)"
tools/build.sh dev

echo "== tests: unit, redis, e2e, chaos"
ctest --preset dev -j 2 --timeout 300

if [ "${SECKILL_SKIP_ASAN:-0}" != "1" ]; then
  echo "== build (asan: AddressSanitizer + UndefinedBehaviorSanitizer)"
  tools/build.sh asan
  echo "== tests under asan: unit, redis"
  ctest --preset asan -j 2 --timeout 300
fi
echo "== fuzzing (libFuzzer, 10 s per target)"
tools/run-fuzz.sh 10

echo "== all tests passed"
