#!/usr/bin/env bash
# The order lifecycle under load: builds release, starts a private redis-server and PostgreSQL,
# one seckill-logic and one seckill-proxy, and measures
#   buy        ORDERS buyers take ORDERS units of a product with a payment step (pay_within_s)
#   record     seckill-orders, started afterwards, moves the ORDERS created orders into
#              PostgreSQL: rows/s, batch latency, its CPU and PostgreSQL's per row
#   expire     the logic stopped (SIGSTOP) until every order is past its pay-by time, then
#              resumed: how fast its reaper expires the backlog, and Redis's and the logic's
#              CPU per expiry
#   re-record  seckill-orders moves the ORDERS expiries (each a newer version of its row)
# then audits Redis against PostgreSQL and writes bench/ORDERS.md. Loopback only, about a minute.
#
#   SECKILL_BENCH_ORDERS_COUNT   orders (default 100000)
#   SECKILL_BENCH_CONNS          connections of the buyers (default 256)
set -euo pipefail
cd "$(dirname "$0")/.."

orders="${SECKILL_BENCH_ORDERS_COUNT:-100000}"
conns="${SECKILL_BENCH_CONNS:-256}"
pay_within_s=20
work="$(mktemp -d /tmp/seckill-bench-orders-XXXXXX)"
chmod 755 "$work"  # PostgreSQL's user must reach its data directory
bin="build/release/bin"
export SECKILL_SECRET="bench-secret"

tools/install-deps.sh
tools/build.sh release seckill-proxy seckill-logic seckill-orders seckill-admin seckill-bench

redis_port=$(( 20000 + RANDOM % 10000 ))
http_port=$(( redis_port + 1 ))
pg_port=$(( redis_port + 2 ))
redis="127.0.0.1:$redis_port"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pg_data="$work/pg"
dsn="host=127.0.0.1 port=$pg_port user=postgres dbname=postgres"
# (From /: the postgres user may not enter the current directory.)
as_owner() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
. tools/lib/servers.sh
cleanup() {
  stop_servers
  as_owner "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

start_redis "$redis_port" "$work" config/redis.conf --appendfsync everysec
redis_pid=$started_pid

# PostgreSQL as shipped by Debian (fsync and synchronous_commit on): what a real system of
# record pays for each commit.
mkdir -p "$pg_data"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$pg_data"
as_owner "$pg_bin/initdb" -D "$pg_data" -A trust -U postgres -E UTF8 --no-instructions >/dev/null
as_owner "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_data/postgres.log" -w \
  -o "-p $pg_port -k $pg_data -c listen_addresses=127.0.0.1" start >/dev/null
postmaster=$(head -1 "$pg_data/postmaster.pid")

cat > "$work/products.json" <<JSON
{"products":[
  {"id":1,"name":"pay or lose it","total":$orders,"start":0,"end":4070908800000,
   "per_user_limit":1,"price":1999,"currency":"EUR","pay_within_s":$pay_within_s}
]}
JSON
"$bin/seckill-admin" --redis "$redis" load "$work/products.json" >/dev/null
group="seckill:{g$(redis-cli -p "$redis_port" hget 'seckill:{global}:products' 1)}"
stream="$group:orders:1"
pending="$group:pending"

"$bin/seckill-logic" --config config/logic.json --redis "$redis" 2> "$work/logic.log" &
logic_pid=$!
track $logic_pid
"$bin/seckill-proxy" --config config/proxy.json --redis "$redis" --port "$http_port" \
  --proxy-id bench-orders > /dev/null 2> "$work/proxy.log" &
track $!
wait_for_http "http://127.0.0.1:$http_port/healthz"

hz=$(getconf CLK_TCK)
cpu() { awk -v hz="$hz" '{printf "%.3f", ($14 + $15) / hz}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_cpu() {  # the postmaster and every backend and helper under it
  local sum=0 pid
  for pid in "$postmaster" $(pgrep -P "$postmaster"); do sum=$(awk -v a="$sum" -v b="$(cpu "$pid")" 'BEGIN {print a + b}'); done
  echo "$sum"
}
now() { date +%s.%N; }
per() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f", a / b; else print "-" }'; }
us_each() { awk -v cpu="$1" -v n="$2" 'BEGIN { if (n > 0) printf "%.1f", cpu * 1e6 / n; else print "-" }'; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a - b }'; }
# Waits until `redis-cli COMMAND...` prints 0; prints nothing (the caller times it).
until_zero() { while [ "$(redis-cli -p "$redis_port" "$@")" != 0 ]; do sleep 0.05; done; }

# The machine's reference: the proxy's bare HTTP ceiling, as REPORT.md's first phase measures it,
# so figures from days the machine runs slower compare by ratio.
echo "== ceiling" >&2
"$bin/seckill-bench" --targets "127.0.0.1:$http_port" --threads 2 --path /healthz \
  --connections "$conns" --duration-s 5 --label ceiling --json "$work/ceiling.json" >&2
ceiling_rps=$(grep -o '"throughput_rps":[0-9.]*' "$work/ceiling.json" | cut -d: -f2)

echo "== buy" >&2
"$bin/seckill-bench" --targets "127.0.0.1:$http_port" --threads 2 --forwarded-for \
  --product 1 --users "$orders" --connections "$conns" --until-sold-out --duration-s 120 \
  --label buy --json "$work/buy.json" >&2
buy_rps=$(grep -o '"throughput_rps":[0-9.]*' "$work/buy.json" | cut -d: -f2)
sold=$(redis-cli -p "$redis_port" hget "$group:product:1" sold)

"$bin/seckill-orders" --config config/orders.json --dsn "$dsn" --init-schema >/dev/null
metrics_port=$(( redis_port + 3 ))
echo "== record" >&2
t0=$(now); pg0=$(pg_cpu)
"$bin/seckill-orders" --config config/orders.json --dsn "$dsn" --redis "$redis" \
  --metrics-port "$metrics_port" 2> "$work/orders.log" &
orders_pid=$!
track $orders_pid
until_zero xlen "$stream"
t1=$(now); pg1=$(pg_cpu); orders_cpu1=$(cpu "$orders_pid")
record_s=$(minus "$t1" "$t0")
batches=$(curl -fs "http://127.0.0.1:$metrics_port/metrics" | awk '/^seckill_orders_batch_seconds_count/ {print $2}')
batch_sum=$(curl -fs "http://127.0.0.1:$metrics_port/metrics" | awk '/^seckill_orders_batch_seconds_sum/ {print $2}')

echo "== expire" >&2
kill -STOP "$logic_pid"
# Every order past its pay-by time: the last was bought when the buy phase ended (t0).
sleep_s=$(awk -v due="$t0" -v within="$pay_within_s" -v t="$(now)" \
  'BEGIN { s = due + within + 1 - t; print (s > 0 ? s : 0) }')
sleep "$sleep_s"
redis-cli -p "$redis_port" config resetstat >/dev/null
r0=$(cpu "$redis_pid"); l0=$(cpu "$logic_pid"); t2=$(now)
kill -CONT "$logic_pid"
until_zero zcard "$pending"
t3=$(now); r1=$(cpu "$redis_pid"); l1=$(cpu "$logic_pid")
expire_s=$(minus "$t3" "$t2")
expired=$(redis-cli -p "$redis_port" hget "$group:product:1" left)
script_us=$(redis-cli -p "$redis_port" info commandstats |
  awk -F'[:,=]' '/^cmdstat_eval/ {sum += $5} END {print sum + 0}')

echo "== re-record" >&2
t4=$(now); pg4=$(pg_cpu); orders_cpu4=$(cpu "$orders_pid")
until_zero xlen "$stream"
t5=$(now); pg5=$(pg_cpu); orders_cpu5=$(cpu "$orders_pid")
rerecord_s=$(minus "$t5" "$t4")
audit=passed
"$bin/seckill-admin" --redis "$redis" audit --orders-db "$dsn" > "$work/audit.txt" || audit=FAILED
rows=$(as_owner "$pg_bin/psql" -X -A -t -h 127.0.0.1 -p "$pg_port" -U postgres -c \
  "SELECT count(*) FILTER (WHERE state = 'expired') || ' expired of ' || count(*) FROM orders")

mkdir -p bench
{
  echo "# seckill order lifecycle benchmark"
  echo
  echo "Written by \`tools/bench-orders.sh\` on $(date -u +%Y-%m-%dT%H:%MZ), seckill $(git rev-parse --short HEAD 2>/dev/null || echo '?')."
  echo "One machine ($(nproc) cores), loopback; redis-server with AOF everysec; $("$pg_bin/postgres" --version)"
  echo "as Debian ships it (fsync on, synchronous_commit on); seckill-orders with config/orders.json"
  echo "(batch_size 500, trim on). $orders buyers, a product of $orders units, price 1999 EUR,"
  echo "pay_within_s $pay_within_s. The machine's HTTP ceiling (\`GET /healthz\`, as in REPORT.md) measured"
  echo "$(printf '%.0f' "$ceiling_rps") req/s in this run."
  echo
  echo "| phase | what | figure |"
  echo "|---|---|---:|"
  echo "| buy | $sold orders created awaiting payment (pay-by index), \`seckill-bench --connections $conns\` | $(printf '%.0f' "$buy_rps") req/s |"
  echo "| record | seckill-orders moves the $sold created orders into PostgreSQL (rows and events, one statement per round) | $(per "$sold" "$record_s") rows/s |"
  echo "| | mean batch (one statement, one commit) | $(awk -v s="$batch_sum" -v n="$batches" 'BEGIN { if (n > 0) printf "%.1f ms over %d", 1000 * s / n, n; else print "-" }') |"
  echo "| | seckill-orders CPU per row | $(us_each "$orders_cpu1" "$sold") µs |"
  echo "| | PostgreSQL CPU per row (every process) | $(us_each "$(minus "$pg1" "$pg0")" "$sold") µs |"
  echo "| expire | the reaper expires a backlog of $sold due orders, units back on sale | $(per "$sold" "$expire_s") expiries/s |"
  echo "| | Redis CPU per expiry (script µs per expiry) | $(us_each "$(minus "$r1" "$r0")" "$sold") µs ($(awk -v s="$script_us" -v n="$sold" 'BEGIN { printf "%.1f", s / n }')) |"
  echo "| | logic CPU per expiry | $(us_each "$(minus "$l1" "$l0")" "$sold") µs |"
  echo "| re-record | seckill-orders moves the $sold expiries (each row to its newer version) | $(per "$sold" "$rerecord_s") rows/s |"
  echo "| | seckill-orders CPU per row | $(us_each "$(minus "$orders_cpu5" "$orders_cpu4")" "$sold") µs |"
  echo "| | PostgreSQL CPU per row | $(us_each "$(minus "$pg5" "$pg4")" "$sold") µs |"
  echo
  echo "- units back on sale after the expiries: $expired of $sold; PostgreSQL holds $rows orders."
  echo "- audit of Redis against PostgreSQL (\`seckill-admin audit --orders-db\`): $audit ($(tail -1 "$work/audit.txt"))."
  echo
  echo "What moved the figures (before -> after, same machine, same day):"
  echo
  echo "- seckill-orders' clash check (is an arriving order id stored with another buyer?) as one"
  echo "  primary-key probe per batch row instead of a join: record 10,800 -> 22,600 rows/s. As a join,"
  echo "  PostgreSQL hashed the whole orders table for every batch once that looked cheaper than 500"
  echo "  probes; 500-row batches had grown from 5 to 40 ms by 70,000 orders."
  echo
  echo "Reproduce: \`tools/bench-orders.sh\` (SECKILL_BENCH_ORDERS_COUNT, SECKILL_BENCH_CONNS to vary);"
  echo "\`tools/run-bench.sh\` runs it after its own phases."
} > bench/ORDERS.md
echo "wrote bench/ORDERS.md" >&2
cat bench/ORDERS.md
