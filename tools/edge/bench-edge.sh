#!/usr/bin/env bash
# seckill against a hand-written nginx + Lua edge doing the same job, on the same cores, driven by
# the same external client (wrk, one thread, every request a distinct user with an address of its
# own in X-Forwarded-For). The reference (tools/edge/purchase.lua, one nginx worker) checks the
# token (HMAC-SHA256), answers sold out from a shared dict, and otherwise runs one EVALSHA
# (tools/edge/decide.lua: window, per-user limit, stock, decrement, buyer record, XADD of the
# order). Redis without AOF for both. Phases, interleaved target by target for ROUNDS rounds:
#   ceiling    GET /healthz: each server's own cost of a trivial request
#   purchase   every request sells one unit (stock outlasts the run)
#   sold-out   a sold-out product hammered: answered from memory by both
# Then, at fixed offered rates (seckill-bench --rate: an open loop, the same requests), the
# server CPU per purchase by process apart from throughput: what a request costs when neither
# target is pushed to its limit.
# Writes bench/EDGE.md: medians over the rounds of req/s and of the server CPU per request, by
# process, the ratios seckill / nginx + Lua, and the fixed-rate table. Loopback only.
#
#   SECKILL_BENCH_SECONDS   length of each phase (default 10)
#   SECKILL_BENCH_CONNS     wrk connections (default 256)
#   SECKILL_EDGE_ROUNDS     interleaved rounds (default 6)
#   SECKILL_EDGE_USERS      distinct users the client cycles through (default 1000000)
#   SECKILL_EDGE_RATES      offered purchase rates, per second (default "10000 20000 40000")
#   SECKILL_EDGE_RATE_ROUNDS  rounds of the fixed rates, targets alternating (default 3)
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds="${SECKILL_BENCH_SECONDS:-10}"
conns="${SECKILL_BENCH_CONNS:-256}"
rounds="${SECKILL_EDGE_ROUNDS:-6}"
users="${SECKILL_EDGE_USERS:-1000000}"
rates="${SECKILL_EDGE_RATES:-10000 20000 40000}"
rate_rounds="${SECKILL_EDGE_RATE_ROUNDS:-3}"
edge="$(pwd)/tools/edge"
work="$(mktemp -d /tmp/seckill-bench-edge-XXXXXX)"
bin="build/release/bin"
secret="bench-secret"
export SECKILL_SECRET="$secret"

tools/install-deps.sh bench
tools/build.sh release seckill-proxy seckill-logic seckill-admin seckill-bench

redis_port=$(( 20000 + RANDOM % 10000 ))
seckill_port=$(( redis_port + 1 ))
nginx_port=$(( redis_port + 2 ))
redis="127.0.0.1:$redis_port"
. tools/lib/servers.sh
cleanup() {
  stop_servers
  rm -rf "$work"
}
trap cleanup EXIT

start_redis "$redis_port" "$work" --appendonly no --save ""
redis_pid=$started_pid

# The same two products on both sides: 1 outlasts the run, 2 has one unit (sold before the load).
cat > "$work/products.json" <<JSON
{"products":[
  {"id":1,"name":"stock outlasts the run","total":100000000,"start":0,"end":4070908800000,
   "per_user_limit":1000000,"pay_within_s":0},
  {"id":2,"name":"sold out","total":1,"start":0,"end":4070908800000,"per_user_limit":1,
   "pay_within_s":0}
]}
JSON
"$bin/seckill-admin" --redis "$redis" load "$work/products.json" >/dev/null
redis-cli -p "$redis_port" hset "edge:{1}:product" left 100000000 limit 1000000 start_ms 0 \
  end_ms 4070908800000 >/dev/null
redis-cli -p "$redis_port" hset "edge:{2}:product" left 1 limit 1 start_ms 0 \
  end_ms 4070908800000 >/dev/null

"$bin/seckill-logic" --config config/logic.json --redis "$redis" 2> "$work/logic.log" &
logic_pid=$!
track $logic_pid
"$bin/seckill-proxy" --config config/proxy.json --redis "$redis" --port "$seckill_port" \
  --proxy-id edge-bench > /dev/null 2> "$work/proxy.log" &
proxy_pid=$!
track $proxy_pid

sed -e "s|@WORK@|$work|g" -e "s|@EDGE@|$edge|g" -e "s|@PORT@|$nginx_port|g" \
  -e "s|@REDIS_PORT@|$redis_port|g" -e "s|@SECRET@|$secret|g" "$edge/nginx.conf.in" \
  > "$work/nginx.conf"
nginx -c "$work/nginx.conf" -e "$work/nginx-error.log" 2> "$work/nginx.log" &
nginx_pid=$!
track $nginx_pid
wait_for_http "http://127.0.0.1:$seckill_port/healthz"
wait_for_http "http://127.0.0.1:$nginx_port/healthz"

# Sell product 2's unit on each side (both then answer it from memory) and check that a purchase
# of product 1 succeeds on both, so the load measures the paths it claims to.
buy() {  # buy PORT PRODUCT USER -> the answer's code
  local v1
  v1=$(printf '%s' "$3" | openssl dgst -sha256 -hmac "$secret" -hex | awk '{print $NF}')
  curl -s "http://127.0.0.1:$1/seckill?product_id=$2&user_id=$3&token=$v1" |
    grep -o '"code":[0-9]*' | head -1 | cut -d: -f2
}
for port in "$seckill_port" "$nginx_port"; do
  for _ in 1 2 3; do
    [ "$(buy "$port" 2 1)" = 0 ] && break
    sleep 0.5
  done
  [ "$(buy "$port" 2 2)" = 1001 ] || { echo "bench-edge: $port did not sell out" >&2; exit 1; }
  [ "$(buy "$port" 1 3)" = 0 ] || { echo "bench-edge: $port did not sell" >&2; exit 1; }
done

hz=$(getconf CLK_TCK)
cpu_ticks() {  # user + system ticks of a process and its threads
  awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0
}
nginx_ticks() {  # the master and its workers
  local sum=0 pid
  for pid in $nginx_pid $(pgrep -P "$nginx_pid"); do sum=$(( sum + $(cpu_ticks "$pid") )); done
  echo "$sum"
}
seckill_sold() {
  "$bin/seckill-admin" --redis "$redis" status 2>/dev/null |
    awk '/^product 1 / { for (i = 1; i <= NF; ++i) if ($i == "sold") { gsub(",", "", $(i+1)); print $(i+1) } }'
}
nginx_sold() {
  local left
  left=$(redis-cli -p "$redis_port" hget "edge:{1}:product" left)
  echo $(( 100000000 - left ))
}

results="$work/results.txt"  # round target phase req/s requests errors sold wrk redis server logic
run() {  # run ROUND TARGET PHASE
  local round=$1 target=$2 phase=$3 port path args=()
  port=$seckill_port
  [ "$target" = nginx ] && port=$nginx_port
  # The ceiling asks /healthz; both purchase phases run buyers.lua, on product 1 or sold-out 2.
  path=/seckill
  args=(-s "$edge/buyers.lua")
  [ "$phase" = ceiling ] && { path=/healthz; args=(); }
  local product=1
  [ "$phase" = sold-out ] && product=2
  # Each purchase round buys with users no earlier round used, so every request sells.
  local first=$(( 10000000 + round * users ))
  local sold0 redis0 server0 logic0
  sold0=$("${target}_sold")
  redis0=$(cpu_ticks "$redis_pid")
  if [ "$target" = nginx ]; then server0=$(nginx_ticks); else server0=$(cpu_ticks "$proxy_pid"); fi
  logic0=$(cpu_ticks "$logic_pid")
  wrk -t1 -c"$conns" -d"${seconds}s" "${args[@]}" "http://127.0.0.1:$port$path" \
    -- "$edge" "$product" "$first" "$users" "$secret" > "$work/wrk.out" 2>&1 &
  local wrk_pid=$!
  local wrk_ticks=0
  while kill -0 "$wrk_pid" 2>/dev/null; do
    wrk_ticks=$(cpu_ticks "$wrk_pid")
    sleep 0.5
  done
  wait "$wrk_pid"
  local server1
  if [ "$target" = nginx ]; then server1=$(nginx_ticks); else server1=$(cpu_ticks "$proxy_pid"); fi
  local requests errors rps
  requests=$(awk '/requests in/ {print $1}' "$work/wrk.out")
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.out")
  errors=$(awk '/Non-2xx|Socket errors/ {s += $NF} END {print s + 0}' "$work/wrk.out")
  echo "$round $target $phase $rps $requests $errors $(( $("${target}_sold") - sold0 )) $wrk_ticks" \
    "$(( $(cpu_ticks "$redis_pid") - redis0 )) $(( server1 - server0 ))" \
    "$(( $(cpu_ticks "$logic_pid") - logic0 ))" >> "$results"
  echo "round $round $target $phase: $rps req/s" >&2
  sleep 1  # let the logic drain and Redis settle before the next phase
}

for round in $(seq 1 "$rounds"); do
  for phase in ceiling purchase sold-out; do
    # Alternate which target goes first, so neither always runs on a warmer machine.
    if [ $(( round % 2 )) -eq 1 ]; then order="seckill nginx"; else order="nginx seckill"; fi
    for target in $order; do run "$round" "$target" "$phase"; done
  done
done

# Fixed offered rates: purchases by users no earlier phase used, one request each, sent on
# schedule whatever the answers; CPU per answered request. Rounds alternate which target goes
# first, as above.
rate_results="$work/rates.txt"  # rate target answers req/s p99-ms late redis server logic
first_rate_user=$(( 10000000 + (rounds + 1) * users ))
for rate_round in $(seq 1 "$rate_rounds"); do
  if [ $(( rate_round % 2 )) -eq 1 ]; then order="seckill nginx"; else order="nginx seckill"; fi
  for rate in $rates; do
    for target in $order; do
      port=$seckill_port
      [ "$target" = nginx ] && port=$nginx_port
      count=$(( rate * seconds ))
      redis0=$(cpu_ticks "$redis_pid")
      if [ "$target" = nginx ]; then server0=$(nginx_ticks); else server0=$(cpu_ticks "$proxy_pid"); fi
      logic0=$(cpu_ticks "$logic_pid")
      "$bin/seckill-bench" --targets "127.0.0.1:$port" --connections "$conns" --rate "$rate" \
        --duration-s "$seconds" --users "$count" --first-user "$first_rate_user" --v1-tokens \
        --forwarded-for --proxy-config "$work/no-proxy-config.json" --label "$target-$rate" --json "$work/rate.json" \
        > "$work/rate.out" 2>&1
      if [ "$target" = nginx ]; then server1=$(nginx_ticks); else server1=$(cpu_ticks "$proxy_pid"); fi
      field() { grep -o "\"$1\":[0-9.]*" "$work/rate.json" | head -1 | cut -d: -f2; }
      echo "$rate $target $(field answers) $(field throughput_rps) $(field p99) $(field late_sends)" \
        "$(( $(cpu_ticks "$redis_pid") - redis0 )) $(( server1 - server0 ))" \
        "$(( $(cpu_ticks "$logic_pid") - logic0 ))" >> "$rate_results"
      echo "rate round $rate_round, $rate $target: $(field throughput_rps) req/s, p99 $(field p99) ms" >&2
      first_rate_user=$(( first_rate_user + count ))
      sleep 1
    done
  done
done

"$bin/seckill-admin" --redis "$redis" audit > "$work/audit.txt" 2>&1 || true

# Medians per target and phase: req/s, sold/s, then µs of CPU per request of wrk, redis, server
# (proxy or nginx), logic, and the servers' total (all but wrk).
medians() {
  awk -v hz="$hz" -v seconds="$seconds" '{
      key = $2 " " $3; n[key]++; i = n[key]
      rps[key, i] = $4; sold[key, i] = $7 / seconds
      us = 1e6 / hz / ($5 > 0 ? $5 : 1)
      wrk[key, i] = $8 * us; redis[key, i] = $9 * us; server[key, i] = $10 * us
      logic[key, i] = $11 * us; total[key, i] = ($9 + $10 + $11) * us
    }
    function median(array, key, count,   values, j, k, t) {
      for (j = 1; j <= count; ++j) values[j] = array[key, j]
      for (j = 2; j <= count; ++j) for (k = j; k > 1 && values[k - 1] > values[k]; --k) {
        t = values[k]; values[k] = values[k - 1]; values[k - 1] = t }
      return count % 2 ? values[(count + 1) / 2] : (values[count / 2] + values[count / 2 + 1]) / 2
    }
    END {
      for (key in n) printf "%s %.0f %.0f %.1f %.1f %.1f %.1f %.1f\n", key, median(rps, key, n[key]),
        median(sold, key, n[key]), median(wrk, key, n[key]), median(redis, key, n[key]),
        median(server, key, n[key]), median(logic, key, n[key]), median(total, key, n[key])
    }' "$results"
}
medians > "$work/medians.txt"
value() {  # value TARGET PHASE COLUMN (3 req/s, 4 sold/s, 5 wrk, 6 redis, 7 server, 8 logic, 9 total)
  awk -v t="$1" -v p="$2" -v c="$3" '$1 == t && $2 == p { print $c }' "$work/medians.txt"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }
errors_total=$(awk '{s += $6} END {print s + 0}' "$results")

mkdir -p bench
{
  echo "# seckill against an nginx + Lua edge"
  echo
  echo "Written by \`tools/edge/bench-edge.sh\` on $(date -u +%Y-%m-%dT%H:%MZ): both targets on this"
  echo "machine, one after the other, driven by the same client, with the same Redis (AOF off)."
  echo
  echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(uname -sr)"
  echo "- versions: $(nginx -v 2>&1 | cut -d' ' -f3), lua-nginx-module $(dpkg-query -W -f='${Version}' libnginx-mod-http-lua 2>/dev/null), redis $(redis-server --version | cut -d' ' -f3 | cut -d= -f2), seckill $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "- client: \`wrk -t1 -c$conns -d${seconds}s\`, tools/edge/buyers.lua: $users distinct users in turn, each"
  echo "  with its own X-Forwarded-For and v1 token; $rounds rounds, targets interleaved, medians shown"
  echo "- seckill: one seckill-proxy (config/proxy.json), one seckill-logic (config/logic.json)"
  echo "- nginx + Lua: one worker, tools/edge/purchase.lua and decide.lua: token check (HMAC-SHA256),"
  echo "  sold-out shared dict, one EVALSHA per purchase (window, per-user limit, stock, decrement,"
  echo "  buyer record, XADD of the order), lua-resty-redis with keep-alive"
  echo "- errors (non-2xx answers and socket errors) over all phases: $errors_total"
  echo
  echo "Server CPU per request is every server process's user + system time over the phase (Redis,"
  echo "and seckill-proxy + seckill-logic or the nginx master + worker) divided by the requests wrk"
  echo "counted; wrk's own is shown apart. Lower is better; the ratio column is seckill / nginx."
  echo
  echo "| phase | figure | seckill | nginx + Lua | seckill / nginx |"
  echo "|---|---|---:|---:|---:|"
  for phase in ceiling purchase sold-out; do
    echo "| $phase | requests/s | $(value seckill "$phase" 3) | $(value nginx "$phase" 3) | $(ratio "$(value seckill "$phase" 3)" "$(value nginx "$phase" 3)") |"
    if [ "$phase" = purchase ]; then
      echo "| $phase | units sold/s | $(value seckill "$phase" 4) | $(value nginx "$phase" 4) | $(ratio "$(value seckill "$phase" 4)" "$(value nginx "$phase" 4)") |"
    fi
    echo "| $phase | server CPU µs / request | $(value seckill "$phase" 9) | $(value nginx "$phase" 9) | $(ratio "$(value seckill "$phase" 9)" "$(value nginx "$phase" 9)") |"
    echo "| $phase | of which Redis | $(value seckill "$phase" 6) | $(value nginx "$phase" 6) | |"
    echo "| $phase | of which proxy / nginx | $(value seckill "$phase" 7) | $(value nginx "$phase" 7) | |"
    echo "| $phase | of which logic | $(value seckill "$phase" 8) | - | |"
    echo "| $phase | client (wrk) CPU µs / request | $(value seckill "$phase" 5) | $(value nginx "$phase" 5) | |"
  done
  echo
  echo "At fixed offered rates (\`seckill-bench --rate R --connections $conns --v1-tokens"
  echo "--forwarded-for\`, open loop, ${seconds} s each, every request a purchase by a new user; CPU"
  echo "per answered request; p99 counted from each request's due time; medians of $rate_rounds rounds,"
  echo "targets alternating):"
  echo
  echo "| offered/s | target | answered/s | p99 ms | sent late | server CPU µs / purchase | Redis | proxy / nginx | logic | seckill / nginx |"
  echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  awk -v hz="$hz" '
    function median(array, key, count,   values, j, k, t) {
      for (j = 1; j <= count; ++j) values[j] = array[key, j]
      for (j = 2; j <= count; ++j) for (k = j; k > 1 && values[k - 1] > values[k]; --k) {
        t = values[k]; values[k] = values[k - 1]; values[k - 1] = t }
      return count % 2 ? values[(count + 1) / 2] : (values[count / 2] + values[count / 2 + 1]) / 2
    }
    {
      key = $1 " " $2; i = ++n[key]
      if (i == 1) order[++keys] = key
      us = 1e6 / hz / ($3 > 0 ? $3 : 1)
      rps[key, i] = $4; p99[key, i] = $5; late[key, i] = $6
      total[key, i] = ($7 + $8 + $9) * us; redis[key, i] = $7 * us; server[key, i] = $8 * us
      logic[key, i] = $9 * us
    }
    END {
      for (r = 1; r <= keys; ++r) {
        key = order[r]; split(key, part, " "); rate = part[1]; target = part[2]
        cost[key] = median(total, key, n[key])
      }
      # seckill first, then nginx + Lua with the ratio of the two medians, rate by rate.
      for (r = 1; r <= keys; ++r) {
        key = order[r]; split(key, part, " "); rate = part[1]; target = part[2]
        if (target != "seckill") continue
        for (pass = 1; pass <= 2; ++pass) {
          k = rate " " (pass == 1 ? "seckill" : "nginx")
          if (!(k in n)) continue
          ratio = ""
          if (pass == 2) ratio = cost[k] > 0 ? sprintf("%.2fx", cost[rate " seckill"] / cost[k]) : "-"
          printf "| %s | %s | %.0f | %.2f | %.0f | %.1f | %.1f | %.1f | %s | %s |\n", rate,
            (pass == 2 ? "nginx + Lua" : "seckill"), median(rps, k, n[k]), median(p99, k, n[k]),
            median(late, k, n[k]), cost[k], median(redis, k, n[k]), median(server, k, n[k]),
            (pass == 2 ? "-" : sprintf("%.1f", median(logic, k, n[k]))), ratio
        }
      }
    }' "$rate_results"
  echo
  echo "- seckill's audit after the run: $(tail -1 "$work/audit.txt")"
  echo
  echo "Every round, phase and target (CPU in clock ticks of $(( 1000 / hz )) ms):"
  echo
  echo "| round | target | phase | req/s | requests | errors | sold | wrk | redis | proxy / nginx | logic |"
  echo "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  awk '{ printf "| %s |\n", $1 " | " $2 " | " $3 " | " $4 " | " $5 " | " $6 " | " $7 " | " $8 " | " $9 " | " $10 " | " $11 }' "$results"
  echo
  echo "Reproduce: \`tools/edge/bench-edge.sh\` (SECKILL_EDGE_ROUNDS, SECKILL_BENCH_SECONDS,"
  echo "SECKILL_BENCH_CONNS, SECKILL_EDGE_USERS, SECKILL_EDGE_RATES, SECKILL_EDGE_RATE_ROUNDS to vary)."
} > bench/EDGE.md
echo "wrote bench/EDGE.md" >&2
cat bench/EDGE.md
