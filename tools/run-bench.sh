#!/usr/bin/env bash
# Builds release, starts a private redis-server, one logic and one proxy, runs the benchmark
# phases with seckill-bench and writes bench/REPORT.md. Loopback only; about two minutes.
#
#   SECKILL_BENCH_SECONDS   length of each timed phase (default 10)
#   SECKILL_BENCH_CONNS     connections of the load phases (default 256)
#   SECKILL_BENCH_ORDERS    1 (default): then the order lifecycle, tools/bench-orders.sh, which
#                           writes bench/ORDERS.md; 0 skips it
#   SECKILL_BENCH_CLUSTER   1 (default): then the cluster phases, tools/bench-cluster.sh, which
#                           writes bench/CLUSTER.md; 0 skips them
#   SECKILL_BENCH_EDGE      1 (default): then seckill against an nginx + Lua edge,
#                           tools/edge/bench-edge.sh, which writes bench/EDGE.md; 0 skips it
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${SECKILL_BENCH_SECONDS:-10}"
conns="${SECKILL_BENCH_CONNS:-256}"
out="bench"
work="$(mktemp -d /tmp/seckill-bench-XXXXXX)"
bin="build/release/bin"
export SECKILL_SECRET="bench-secret"

tools/install-deps.sh
tools/build.sh release seckill-proxy seckill-logic seckill-orders seckill-admin seckill-bench

redis_port=$(( 20000 + RANDOM % 10000 ))
http_port=$(( redis_port + 1 ))
redis="127.0.0.1:$redis_port"
. tools/lib/servers.sh
cleanup() {
  stop_servers
  rm -rf "$work"
}
trap cleanup EXIT

# The shipped config/redis.conf (AOF on), with everysec for the main phases.
start_redis "$redis_port" "$work" config/redis.conf --appendfsync everysec
redis_pid=$started_pid

cat > "$work/products.json" <<JSON
{"products":[
  {"id":1,"name":"stock outlasts the run","total":10000000,"start":0,"end":4070908800000,
   "per_user_limit":1000000},
  {"id":2,"name":"realistic sale","total":20000,"start":0,"end":4070908800000,"per_user_limit":1},
  {"id":3,"name":"no payment step","total":10000000,"start":0,"end":4070908800000,
   "per_user_limit":1000000,"pay_within_s":0},
  {"id":4,"name":"challenge","total":10000000,"start":0,"end":4070908800000,
   "per_user_limit":1000000,"challenge":true},
  {"id":5,"name":"challenge with a 16-bit puzzle","total":10000000,"start":0,
   "end":4070908800000,"per_user_limit":1000000,"challenge":true,"pow_bits":16}
]}
JSON
"$bin/seckill-admin" --redis "$redis" load "$work/products.json" >/dev/null

"$bin/seckill-logic" --config config/logic.json --redis "$redis" 2> "$work/logic.log" &
logic_pid=$!
track $logic_pid
"$bin/seckill-proxy" --config config/proxy.json --redis "$redis" --port "$http_port" \
  --proxy-id bench > /dev/null 2> "$work/proxy.log" &
proxy_pid=$!
track $proxy_pid
wait_for_http "http://127.0.0.1:$http_port/healthz"

mkdir -p "$out"
table="$work/table.md"
hz=$(getconf CLK_TCK)
costs="$work/costs.txt"  # per phase: label, end and start times, CPU seconds, Redis figures
cpu_seconds() { awk -v hz="$hz" '{printf "%.3f %.3f", $14 / hz, $15 / hz}' "/proc/$1/stat" 2>/dev/null || echo "0 0"; }
# Time Redis spent runnable but waiting for a core (ns), from the scheduler's own accounting.
redis_wait_ns() { cut -d' ' -f2 "/proc/$redis_pid/schedstat" 2>/dev/null || echo 0; }
# Microseconds Redis spent in scripts (EVAL/EVALSHA, their redis.call()s included).
script_usec() {
  redis-cli -p "$redis_port" info commandstats |
    awk -F'[:,=]' '/^cmdstat_eval/ {sum += $5} END {print sum + 0}'
}
bench() {  # bench LABEL [seckill-bench flags...]
  local label=$1
  shift
  echo "== $label" >&2
  # CPU of each process over the load alone (the audit runs after the readings), to show which
  # one bounds the phase and what one request costs.
  redis-cli -p "$redis_port" config resetstat >/dev/null
  local before wait0 t0
  before="$(cpu_seconds "$redis_pid") $(cpu_seconds "$proxy_pid") $(cpu_seconds "$logic_pid")"
  wait0=$(redis_wait_ns)
  t0=$(date +%s.%N)
  # Every user from an address of its own behind the trusted front proxy (this host), as in a
  # real sale: per-address limits see users, not the generator.
  "$bin/seckill-bench" --targets "127.0.0.1:$http_port" --threads 2 --forwarded-for \
    --label "$label" --json "$work/$label.json" --markdown "$table" "$@" >&2
  echo "$label $(date +%s.%N) $t0 $before $(cpu_seconds "$redis_pid") $(cpu_seconds "$proxy_pid")" \
    "$(cpu_seconds "$logic_pid") $(( $(redis_wait_ns) - wait0 )) $(script_usec)" >> "$costs"
  local audit=passed
  "$bin/seckill-admin" --redis "$redis" audit > "$work/$label.audit" || audit=FAILED
  sed -i '$ s/| - |$/| '"$audit"' |/' "$table"
}
rps() { grep -o '"throughput_rps":[0-9.]*' "$work/$1.json" | cut -d: -f2; }
field() { grep -o "\"$2\":[0-9.a-z]*" "$work/$1.json" | head -1 | cut -d: -f2; }

bench ceiling --path /healthz --connections "$conns" --duration-s "$seconds"
bench purchase --product 1 --users 100000 --connections "$conns" --duration-s "$seconds"
bench purchase-final --product 3 --users 100000 --first-user 7000001 --connections "$conns" \
  --duration-s "$seconds"
bench sale --product 2 --users 200000 --first-user 1000001 --connections "$conns" \
  --until-sold-out --duration-s 120
bench flood --product 2 --users 200000 --first-user 1000001 --connections "$conns" \
  --duration-s "$seconds"
# The same two paths with v1 tokens (no expiry, no key id): what the v2 format costs.
bench flood-v1 --product 2 --users 200000 --first-user 1000001 --connections "$conns" \
  --duration-s "$seconds" --v1-tokens
bench purchase-v1 --product 1 --users 100000 --first-user 8000001 --connections "$conns" \
  --duration-s "$seconds" --v1-tokens
# Purchases of products with a challenge: every request carries the user's nonce (and proof),
# fetched and solved before the load. Fewer users for the puzzle (each costs about 2^16 hashes
# to solve), so the phase is bounded in requests to stay under the per-user rate limit.
bench purchase-challenge --product 4 --users 20000 --first-user 9000001 --connections "$conns" \
  --duration-s "$seconds" --challenge
bench purchase-pow16 --product 5 --users 1000 --first-user 9100001 --connections "$conns" \
  --requests 10000 --duration-s "$seconds" --challenge

# Purchase path again with every write fsynced before Redis answers.
redis-cli -p "$redis_port" config set appendfsync always >/dev/null
bench purchase-fsync-always --product 1 --users 100000 --first-user 3000001 \
  --connections "$conns" --duration-s "$seconds"
redis-cli -p "$redis_port" config set appendfsync everysec >/dev/null

# Timeout pressure: logic stopped, as many purchases waiting as this machine's descriptor limit
# allows one process (each waiting request holds a connection), proxy memory sampled meanwhile.
waiting=$(( $(ulimit -n) - 1000 ))
if [ "$waiting" -gt 20000 ]; then waiting=20000; fi
kill -STOP "$logic_pid"
peak_rss=0
(
  while sleep 0.1; do
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$proxy_pid/status" 2>/dev/null || echo 0)
    echo "$rss"
  done
) > "$work/rss.txt" &
sampler=$!
idle_rss=$(awk '/VmRSS/ {print $2}' "/proc/$proxy_pid/status")
bench timeout-pressure --product 1 --users "$waiting" --first-user 5000001 \
  --connections "$waiting" --requests "$waiting" --duration-s 30
kill "$sampler" 2>/dev/null || true
kill -CONT "$logic_pid"
peak_rss=$(sort -n "$work/rss.txt" | tail -1)
sleep 3  # let the logic judge the expired requests before the final audit
"$bin/seckill-admin" --redis "$redis" audit > "$work/audit.txt" || true

ceiling=$(rps ceiling)
# One line per load phase: label req/s, then µs of CPU per request of generator proxy redis logic
# total, then redis CPU %, redis waiting-for-a-core %, script µs per request.
cost_rows() {
  local label rest
  while read -r label rest; do
    [ "$label" = timeout-pressure ] && continue
    echo "$rest" | awk -v l="$label" -v rps="$(rps "$label")" -v n="$(field "$label" answers)" \
      -v gen="$(field "$label" generator_cpu_percent)" '{
        # $1 end, $2 start, $3-$8 user/sys seconds of redis proxy logic before, $9-$14 after,
        # $15 redis wait ns, $16 script µs
        if (n == 0) exit
        wall = $1 - $2
        r = $9 + $10 - $3 - $4; p = $11 + $12 - $5 - $6; g = $13 + $14 - $7 - $8
        us_gen = gen / 100 * 1e6 / rps
        us_proxy = p * 1e6 / n; us_redis = r * 1e6 / n; us_logic = g * 1e6 / n
        printf "%s %s %f %f %f %f %f %f %f %f\n", l, rps, us_gen, us_proxy, us_redis, us_logic,
          us_gen + us_proxy + us_redis + us_logic, 100 * r / wall, $15 / 1e7 / wall, $16 / n }'
  done < "$costs"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "-" }'; }
times() { awk -v a="$1" 'BEGIN { printf "%.1fx", a / 11970 }'; }

{
  echo "# seckill benchmark report"
  echo
  echo "Written by \`tools/run-bench.sh\` on $(date -u +%Y-%m-%dT%H:%MZ). Load generator, proxy,"
  echo "logic and Redis share one machine and talk over loopback."
  echo
  echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
  echo "- versions: $(redis-server --version | cut -d' ' -f1-3), $(g++ --version | head -1), seckill $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "- set-up: one seckill-proxy (config/proxy.json), one seckill-logic (config/logic.json),"
  echo "  redis-server with AOF (appendfsync everysec unless the phase says always)"
  echo "- each phase: \`seckill-bench --connections $conns\`, ${seconds} s unless it ends by itself"
  echo
  cat <<'TXT'
| phase | what |
|---|---|
| ceiling | `GET /healthz`: the proxy's bare HTTP ceiling, no Redis work |
| purchase | every request decided by logic: stock 10M, per-user limit 1M, 100k users; each order awaits payment (pay_within_s 900: pay-by index, reaper) |
| purchase-final | as "purchase" with pay_within_s 0: orders final when bought, no payment step |
| sale | stock 20,000, 200,000 users, from the first request until sold out |
| flood | the sold-out product of "sale" hammered: answered from the proxy's memory |
| flood-v1, purchase-v1 | as "flood" and "purchase", with v1 tokens instead of v2 (every other phase sends v2 tokens) |
| purchase-challenge, purchase-pow16 | as "purchase" for a product with a challenge, pow_bits 0 and 16 (1,000 users, 10,000 requests: the puzzles are solved before the load) |
| purchase-fsync-always | as "purchase", with Redis `appendfsync always` |
| timeout-pressure | logic stopped (SIGSTOP), one waiting purchase per connection, all answered 5004 |
TXT
  echo
  cat "$table"
  echo
  echo "| ratio | value |"
  echo "|---|---:|"
  echo "| purchase / ceiling | $(ratio "$(rps purchase)" "$ceiling") |"
  echo "| flood / ceiling | $(ratio "$(rps flood)" "$ceiling") |"
  echo "| purchase with fsync always / ceiling | $(ratio "$(rps purchase-fsync-always)" "$ceiling") |"
  echo "| purchase with a payment step / without | $(ratio "$(rps purchase)" "$(rps purchase-final)") |"
  echo "| purchase vs 11,970 req/s (dtm, sold-out path, two 12-core hosts) | $(times "$(rps purchase)") |"
  echo "| flood vs 11,970 req/s | $(times "$(rps flood)") |"
  echo
  echo "## What a request costs, and what bounds each target"
  echo
  echo "CPU time per answered request, in microseconds, of every process on the machine (read"
  echo "from /proc over each phase's load; the generator's from its own report). \"All $(nproc) cores\""
  echo "is how many requests per second the machine could answer at that cost if every core did"
  echo "nothing else: no ratio to the ceiling can exceed the last column, however the stages are"
  echo "scheduled."
  echo
  echo "| phase | req/s | generator | proxy | redis | logic | total | all $(nproc) cores | / ceiling |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  cost_rows | awk -v cores="$(nproc)" -v ceiling="$ceiling" '{
    printf "| %s | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %.0f | %.0f%% |\n",
      $1, $2, $3, $4, $5, $6, $7, cores * 1e6 / $7, 100 * cores * 1e6 / $7 / ceiling }'
  echo
  echo "Redis, the one serial stage of a purchase: its CPU (100% = one core), the time it was"
  echo "runnable but waiting for a core (the scheduler's own count), the decision script's time per"
  echo "request (INFO commandstats), and the most it could decide alone at its cost per request."
  echo
  echo "| phase | redis CPU | waiting for a core | script µs / request | redis alone, req/s |"
  echo "|---|---:|---:|---:|---:|"
  cost_rows | awk '$1 != "ceiling" && $1 != "flood" {
    printf "| %s | %.0f%% | %.0f%% | %.1f | %.0f |\n", $1, $8, $9, $10, 1e6 / $5 }'
  echo
  cost_rows | awk -v cores="$(nproc)" -v ceiling="$ceiling" '
    function bound(phase, target, rps, total,   most) {
      most = cores * 1e6 / total
      printf "- %s: target %d%% of the ceiling (%.0f req/s); measured %.0f%%. At %.1f µs of CPU per request, all %d cores could answer at most %.0f req/s (%.0f%% of the ceiling)", phase, target, ceiling * target / 100, 100 * rps / ceiling, total, cores, most, 100 * most / ceiling
      if (most < ceiling * target / 100) print ": the target needs a cheaper request, not better scheduling."
      else if (rps < 0.85 * most) print "; the phase left CPU unused, so it is bound by waiting (Redis rounds), not by CPU."
      else print "."
    }
    $1 == "purchase" { bound("purchase", 50, $2, $7) }
    $1 == "flood" { bound("flood", 80, $2, $7) }
    $1 == "purchase-fsync-always" { bound("purchase with fsync always", 30, $2, $7) }'
  echo
  echo "## Token formats"
  echo
  echo "A v2 token (\`v2.<user>.<expires>.<key id>.<hmac>\`) is split, its key looked up and its"
  echo "HMAC taken over the longer signed text; a v1 token is the HMAC of the user id alone. The"
  echo "proxy's CPU per request, in microseconds, on the two paths that check a token:"
  echo
  echo "| path | v2 req/s | v1 req/s | proxy µs, v2 | proxy µs, v1 | v2 - v1 |"
  echo "|---|---:|---:|---:|---:|---:|"
  cost_rows | awk '{ rps[$1] = $2; proxy[$1] = $4 } END {
    split("flood purchase", paths, " ")
    for (i = 1; i <= 2; ++i) {
      p = paths[i]; v1 = p "-v1"
      if (!(p in proxy) || !(v1 in proxy)) continue
      printf "| %s | %.0f | %.0f | %.1f | %.1f | %+.1f |\n", p, rps[p], rps[v1], proxy[p],
        proxy[v1], proxy[p] - proxy[v1] }
  }'
  echo
  echo "## Challenges"
  echo
  echo "The proxy checks a challenge after the answers it gives from memory, so the flood of a"
  echo "sold-out product never pays for it. On the purchase path it costs one HMAC (the nonce) and,"
  echo "with pow_bits, one SHA-256 (the proof), whatever pow_bits is: the buyer pays the puzzle."
  echo
  echo "| phase | req/s | proxy µs / request | vs purchase |"
  echo "|---|---:|---:|---:|"
  cost_rows | awk '{ rps[$1] = $2; proxy[$1] = $4 } END {
    split("purchase purchase-challenge purchase-pow16", phases, " ")
    for (i = 1; i <= 3; ++i) {
      p = phases[i]
      if (!(p in proxy)) continue
      printf "| %s | %.0f | %.1f | %+.1f |\n", p, rps[p], proxy[p], proxy[p] - proxy["purchase"] }
  }'
  echo
  echo "- sale: 20,000 units sold out $(field sale last_purchase_ms) ms after the first request."
  echo "- timeout pressure: $waiting purchases waiting at once; proxy RSS $(( idle_rss / 1024 )) MB idle, $(( peak_rss / 1024 )) MB at the peak."
  echo "- final audit: $(tail -1 "$work/audit.txt")"
  echo
  echo "The same tiers on a Redis Cluster (one master, three masters, ack_replicas 1, a master killed"
  echo "mid-load): [CLUSTER.md](CLUSTER.md), the cluster phases of this script. The order lifecycle"
  echo "(100,000 orders expired by the reaper, seckill-orders into PostgreSQL): [ORDERS.md](ORDERS.md)."
  echo "Against a hand-written nginx + Lua edge doing the same job, driven by wrk: [EDGE.md](EDGE.md)."
  echo
  echo "Reproduce: \`tools/run-bench.sh\` (SECKILL_BENCH_SECONDS, SECKILL_BENCH_CONNS to vary)."
} > "$out/REPORT.md"
echo "wrote $out/REPORT.md" >&2
cat "$out/REPORT.md"

# The other reports bring their own servers, after this run's are stopped: never two at once.
cleanup
trap - EXIT
if [ "${SECKILL_BENCH_ORDERS:-1}" = "1" ]; then tools/bench-orders.sh; fi
if [ "${SECKILL_BENCH_CLUSTER:-1}" = "1" ]; then tools/bench-cluster.sh; fi
if [ "${SECKILL_BENCH_EDGE:-1}" = "1" ]; then tools/edge/bench-edge.sh; fi
