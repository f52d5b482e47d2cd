#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: formatting, unit, integration against a
# real redis-server, end to end with the real binaries, the chaos suite, the browser and the
# package tests, all on the release preset (the flags a packager builds with, warnings as
# errors); then the unit and integration tests again under AddressSanitizer +
# UndefinedBehaviorSanitizer, and each libFuzzer target for 10 seconds.
#
#   tools/run-tests.sh            everything
#   SECKILL_SKIP_ASAN=1 ...       skip the sanitizer pass (quicker local runs)
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh

echo "== format check"
mapfile -t sources < <(git ls-files '*.cpp' '*.hpp' '*.js' 2>/dev/null || find common proxy logic tools tests -name '*.[ch]pp' -o -name '*.js')
clang-format --dry-run -Werror "${sources[@]}"

echo "== build (release, with the tests)"
tools/build.sh release

echo "== tests: unit, redis, e2e, chaos, browser, package"
ctest --preset release -j 2 --timeout 300 --no-tests=error

if [ "${SECKILL_SKIP_ASAN:-0}" != "1" ]; then
  echo "== build (asan: AddressSanitizer + UndefinedBehaviorSanitizer)"
  tools/build.sh asan
  echo "== tests under asan: unit, redis"
  ctest --preset asan -j 2 --timeout 300 --no-tests=error
fi
echo "== fuzzing (libFuzzer, 10 s per target)"
tools/run-fuzz.sh 10

echo "== all tests passed"
