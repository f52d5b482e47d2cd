#!/usr/bin/env bash
# Builds release, starts a private redis-server, one logic and one proxy, runs the benchmark
# phases with seckill-bench and writes bench/REPORT.md. Loopback only; about two minutes.
#
#   SECKILL_BENCH_SECONDS   length of each timed phase (default 10)
#   SECKILL_BENCH_CONNS     connections of the load phases (default 256)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${SECKILL_BENCH_SECONDS:-10}"
conns="${SECKILL_BENCH_CONNS:-256}"
out="bench"
work="$(mktemp -d /tmp/seckill-bench-XXXXXX)"
bin="build/release/bin"
export SECKILL_SECRET="bench-secret"

tools/install-deps.sh
tools/build.sh release

redis_port=$(( 20000 + RANDOM % 10000 ))
http_port=$(( redis_port + 1 ))
redis="127.0.0.1:$redis_port"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -CONT "$pid" 2>/dev/null || true; kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The shipped config/redis.conf (AOF on), with everysec for the main phases.
redis-server config/redis.conf --port "$redis_port" --dir "$work" --appendfsync everysec \
  --logfile "$work/redis.log" &
redis_pid=$!
pids+=($redis_pid)
for _ in $(seq 1 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.05; done

cat > "$work/products.json" <<JSON
{"products":[
  {"id":1,"name":"stock outlasts the run","total":10000000,"start":0,"end":4070908800000,
   "per_user_limit":1000000},
  {"id":2,"name":"realistic sale","total":20000,"start":0,"end":4070908800000,"per_user_limit":1}
]}
JSON
"$bin/seckill-admin" --redis "$redis" load "$work/products.json" >/dev/null

"$bin/seckill-logic" --config config/logic.json --redis "$redis" 2> "$work/logic.log" &
logic_pid=$!
pids+=($logic_pid)
"$bin/seckill-proxy" --config config/proxy.json --redis "$redis" --port "$http_port" \
  --proxy-id bench > /dev/null 2> "$work/proxy.log" &
proxy_pid=$!
pids+=($proxy_pid)
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1 && break; sleep 0.05; done

mkdir -p "$out"
table="$work/table.md"
hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
cpu_table="$work/cpu.md"
bench() {  # bench LABEL [seckill-bench flags...]
  local label=$1
  shift
  echo "== $label" >&2
  # CPU of each server process over the phase, to show which one bounds it.
  local r0 p0 l0 t0
  r0=$(cpu_ticks "$redis_pid"); p0=$(cpu_ticks "$proxy_pid"); l0=$(cpu_ticks "$logic_pid")
  t0=$(date +%s.%N)
  # Every user from an address of its own behind the trusted front proxy (this host), as in a
  # real sale: per-address limits see users, not the generator.
  "$bin/seckill-bench" --targets "127.0.0.1:$http_port" --threads 2 --forwarded-for \
    --label "$label" --redis "$redis" \
    --json "$work/$label.json" --markdown "$table" "$@" >&2
  awk -v l="$label" -v hz="$hz" -v t0="$t0" -v t1="$(date +%s.%N)" \
    -v r="$(( $(cpu_ticks "$redis_pid") - r0 ))" -v p="$(( $(cpu_ticks "$proxy_pid") - p0 ))" \
    -v g="$(( $(cpu_ticks "$logic_pid") - l0 ))" \
    'BEGIN { w = (t1 - t0) * hz / 100; printf "| %s | %.0f%% | %.0f%% | %.0f%% |\n", l, r / w, p / w, g / w }' \
    >> "$cpu_table"
}
rps() { grep -o '"throughput_rps":[0-9.]*' "$work/$1.json" | cut -d: -f2; }
field() { grep -o "\"$2\":[0-9.a-z]*" "$work/$1.json" | head -1 | cut -d: -f2; }

bench ceiling --path /healthz --connections "$conns" --duration-s "$seconds"
bench purchase --product 1 --users 100000 --connections "$conns" --duration-s "$seconds"
bench sale --product 2 --users 200000 --first-user 1000001 --connections "$conns" \
  --until-sold-out --duration-s 120
bench flood --product 2 --users 200000 --first-user 1000001 --connections "$conns" \
  --duration-s "$seconds"

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
| purchase | every request decided by logic: stock 10M, per-user limit 1M, 100k users |
| sale | stock 20,000, 200,000 users, from the first request until sold out |
| flood | the sold-out product of "sale" hammered: answered from the proxy's memory |
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
  echo "| purchase vs 11,970 req/s (dtm, sold-out path, two 12-core hosts) | $(times "$(rps purchase)") |"
  echo "| flood vs 11,970 req/s | $(times "$(rps flood)") |"
  echo
  echo "CPU of each server process during each phase (100% = one core; 2 cores in all, shared"
  echo "with the generator, whose own share is in the table above):"
  echo
  echo "| phase | redis-server | seckill-proxy | seckill-logic |"
  echo "|---|---:|---:|---:|"
  cat "$cpu_table"
  echo
  echo "- sale: 20,000 units sold out $(field sale last_purchase_ms) ms after the first request."
  echo "- timeout pressure: $waiting purchases waiting at once; proxy RSS $(( idle_rss / 1024 )) MB idle, $(( peak_rss / 1024 )) MB at the peak."
  echo "- final audit: $(tail -1 "$work/audit.txt")"
  echo
  echo "Reproduce: \`tools/run-bench.sh\` (SECKILL_BENCH_SECONDS, SECKILL_BENCH_CONNS to vary)."
} > "$out/REPORT.md"
echo "wrote $out/REPORT.md" >&2
cat "$out/REPORT.md"
