#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each for a bounded time on its seed
# corpus in tests/fuzz/corpus. A crash stops the run with the reproducer saved in build/fuzz/.
#
#   tools/run-fuzz.sh [SECONDS_PER_TARGET]   (default 10; run-tests.sh uses the default)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
out="build/fuzz"
mkdir -p "$out"

flags=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
       -fsanitize-ignorelist=tests/fuzz/ubsan-ignorelist.txt -DRAPIDJSON_HAS_STDSTRING=1 -I.)
# A UBSan finding must abort, so libFuzzer saves the input that caused it.
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
# The whole request path: the proxy's parts that need no socket and no Redis.
http_sources="proxy/api/router.cpp proxy/http/request_view.cpp proxy/purchase/purchase_service.cpp
  proxy/purchase/challenge.cpp
  proxy/api/request_params.cpp proxy/site/static_site.cpp proxy/purchase/purchase_gate.cpp
  proxy/api/api_answer.cpp proxy/state/product_cache.cpp proxy/purchase/pending_requests.cpp
  proxy/metrics.cpp proxy/site/web_routes.cpp proxy/site/demo_login.cpp
  proxy/http/response_writer.cpp proxy/payments/payment_notice.cpp
  proxy/payments/payment_service.cpp common/orders/order_ids.cpp proxy/guard/guard.cpp
  proxy/guard/blocklist.cpp proxy/guard/ban_ledger.cpp proxy/guard/rate_limiter.cpp
  common/address_range.cpp common/base/ids.cpp common/base/status.cpp common/token/hmac_key.cpp
  common/token/token.cpp common/token/token_config.cpp common/product.cpp common/program/config_reader.cpp common/program/prometheus.cpp
  common/wire.cpp common/redis/redis_counters.cpp"
declare -A sources=(
  [request_params]="proxy/api/request_params.cpp proxy/site/static_site.cpp proxy/purchase/purchase_gate.cpp proxy/api/api_answer.cpp proxy/state/product_cache.cpp common/base/ids.cpp common/base/status.cpp common/token/hmac_key.cpp common/token/token.cpp common/token/token_config.cpp common/product.cpp common/program/config_reader.cpp"
  [wire]="common/wire.cpp common/base/status.cpp"
  [config]="common/product.cpp common/program/config_reader.cpp common/redis/redis_config.cpp common/cluster/node_address.cpp"
  [http_request]="$http_sources"
  [json_nesting]="common/wire.cpp common/base/status.cpp common/product.cpp common/program/config_reader.cpp"
  [payment_notice]="proxy/payments/payment_notice.cpp proxy/api/api_answer.cpp common/orders/order_ids.cpp common/base/ids.cpp common/base/status.cpp"
)
targets=(request_params wire config http_request json_nesting payment_notice)
# Each source is compiled once, both cores at a time, then linked into every target that needs
# it: compiling each target's list whole took three times as long, on one core.
mapfile -t unique_sources < <(for target in "${targets[@]}"; do
  printf '%s\n' "tests/fuzz/${target}_fuzz.cpp" ${sources[$target]}
done | sort -u)
object_of() { echo "$out/obj/${1%.cpp}.o"; }
export -f object_of
export out
printf '%s\n' "${unique_sources[@]}" | xargs -P "$(nproc)" -I{} bash -c \
  'mkdir -p "$(dirname "$(object_of {})")" && clang++ '"${flags[*]}"' -c {} -o "$(object_of {})"'
for target in "${targets[@]}"; do
  objects=()
  for source in "tests/fuzz/${target}_fuzz.cpp" ${sources[$target]}; do
    objects+=("$(object_of "$source")")
  done
  clang++ "${flags[@]}" "${objects[@]}" -lcrypto -lglog -lgflags -lpthread -o "$out/${target}_fuzz"
done
for target in "${targets[@]}"; do
  echo "== fuzz $target for ${seconds}s"
  mkdir -p "$out/corpus-$target"
  status=0
  (cd "$out" && "./${target}_fuzz" -max_total_time="$seconds" -max_len=4096 \
     -print_final_stats=1 "corpus-$target" "../../tests/fuzz/corpus/$target") \
     > "$out/$target.log" 2>&1 || status=$?
  grep -E "^(stat::number_of_executed_units|stat::new_units_added|SUMMARY)" "$out/$target.log" || true
  if [ "$status" -ne 0 ] || compgen -G "$out/crash-*" > /dev/null; then
    echo "fuzz: $target failed (exit $status); log and reproducer in $out" >&2
    tail -30 "$out/$target.log" >&2
    exit 1
  fi
done
echo "fuzz: ${#targets[@]} targets passed"
