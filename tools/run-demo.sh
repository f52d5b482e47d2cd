#!/usr/bin/env bash
# Installs what is missing, builds the programs, and runs a whole seckill on this machine: a
# private redis-server (AOF on, data in build/demo), a private PostgreSQL (the system of record,
# data in build/demo/pg), one logic process, seckill-orders and one proxy with config/, and the
# demo products (one on sale now, one starting a minute from now). Ctrl-C stops them all:
# the proxy first, then the logic, so purchases in flight are decided, then the rest.
#
#   tools/run-demo.sh           start, keeping what the last run sold
#   tools/run-demo.sh --fresh   start from nothing: the demo's Redis and PostgreSQL data deleted
#
#   SECKILL_DEMO_REDIS_PORT   Redis port (default 6390, the one config/*.json name)
#   SECKILL_DEMO_PG_PORT      PostgreSQL port (default 6391)
#   SECKILL_DEMO_HTTP_PORT    proxy port (default 8080)
#   SECKILL_DEMO_LOGIC_METRICS_PORT, SECKILL_DEMO_ORDERS_METRICS_PORT   (defaults 6392, 6393)
#
# Every process must be up and healthy before the URL is printed; otherwise the demo names the
# one that is not, stops the others and exits 1. Logs are appended to build/demo/*.log.
set -euo pipefail
cd "$(dirname "$0")/.."

fresh=0
case "${1:-}" in
  "") ;;
  --fresh) fresh=1 ;;
  *) echo "usage: tools/run-demo.sh [--fresh]" >&2; exit 2 ;;
esac

redis_port="${SECKILL_DEMO_REDIS_PORT:-6390}"
pg_port="${SECKILL_DEMO_PG_PORT:-6391}"
http_port="${SECKILL_DEMO_HTTP_PORT:-8080}"
logic_metrics_port="${SECKILL_DEMO_LOGIC_METRICS_PORT:-6392}"
orders_metrics_port="${SECKILL_DEMO_ORDERS_METRICS_PORT:-6393}"
demo_dir="build/demo"
bin="build/bin"

fail() { echo "run-demo: $*" >&2; exit 1; }

tools/install-deps.sh run
tools/build.sh dev seckill-proxy seckill-logic seckill-orders seckill-admin
mkdir -p "$demo_dir"

# One demo per data folder: a second one would share its Redis and PostgreSQL data.
exec 9> "$demo_dir/demo.lock"
flock -n 9 || fail "another demo is running on $demo_dir (stop it first, Ctrl-C)"

# A port that answers is taken: the process meant for it would die at start.
for port in "$redis_port" "$pg_port" "$http_port" "$logic_metrics_port" "$orders_metrics_port"; do
  if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail "port $port is taken by another program (see the SECKILL_DEMO_*_PORT variables)"
  fi
done

# PostgreSQL's programs, and a way to run them as the data's owner: initdb refuses root, so as
# root they run as the postgres user (who must reach the data directory).
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pg_data="$PWD/$demo_dir/pg"
# (From /: the postgres user may not enter the current directory.)
as_owner() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$PWD/$demo_dir"; then
  pg_data="/var/lib/seckill-demo/pg"  # the checkout is out of the postgres user's reach
fi
if [ "$fresh" = 1 ]; then
  rm -rf "$pg_data" "$demo_dir/appendonlydir" "$demo_dir/dump.rdb"
  echo "run-demo: starting fresh (the demo's Redis and PostgreSQL data deleted)"
fi
if [ ! -s "$pg_data/PG_VERSION" ]; then
  mkdir -p "$pg_data"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$pg_data"
  as_owner "$pg_bin/initdb" -D "$pg_data" -A trust -U postgres -E UTF8 --no-instructions >/dev/null
fi
orders_dsn="host=127.0.0.1 port=$pg_port user=postgres dbname=postgres"

# Stopped in this order on the way out: the proxy stops taking purchases and answers those it
# holds, the logic decides what is queued, seckill-orders moves the last orders, then the stores.
proxy_pid="" logic_pid="" orders_pid="" redis_pid="" pg_started=0
stop_process() {
  [ -n "$1" ] || return 0
  kill -TERM "$1" 2>/dev/null || return 0
  wait "$1" 2>/dev/null || true
}
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "stopping: proxy, logic, orders, Redis, PostgreSQL..."
  stop_process "$proxy_pid"
  stop_process "$logic_pid"
  stop_process "$orders_pid"
  stop_process "$redis_pid"
  if [ "$pg_started" = 1 ]; then
    as_owner "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true
  fi
}
trap stop_all EXIT
trap "stop_all; exit 0" INT TERM

# Waits until `$2` (a command) succeeds, for up to 10 s; fails naming `$1` when the process with
# pid `$3` (if any) died or it never does.
wait_healthy() {
  local name="$1" check="$2" pid="${3:-}" log="$4"
  for _ in $(seq 1 200); do
    if eval "$check" >/dev/null 2>&1; then return 0; fi
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.05
  done
  echo "run-demo: $name is not up and healthy; the end of $log:" >&2
  tail -n 15 "$log" >&2 || true
  exit 1
}

as_owner "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_data/postgres.log" -w \
  -o "-p $pg_port -k $pg_data -c listen_addresses=127.0.0.1" start >/dev/null ||
  fail "PostgreSQL did not start on port $pg_port (see $pg_data/postgres.log)"
pg_started=1
"$bin/seckill-orders" --config config/orders.json --dsn "$orders_dsn" --init-schema

redis-server config/redis.conf --port "$redis_port" --dir "$PWD/$demo_dir" \
  --logfile "$PWD/$demo_dir/redis.log" --daemonize no &
redis_pid=$!
wait_healthy "redis-server on port $redis_port" "redis-cli -p $redis_port ping | grep -q PONG" \
  "$redis_pid" "$demo_dir/redis.log"

admin="$bin/seckill-admin --redis 127.0.0.1:$redis_port"
if [ "$(redis-cli -p "$redis_port" exists 'seckill:{global}:products')" = 0 ]; then
  # The demo products: the shipped file's first product, on sale now, and its second one moved
  # to start a minute from now (config/products.json keeps fixed dates, as a real file would).
  start_ms=$(( $(date +%s) * 1000 + 60000 ))
  end_ms=$(( start_ms + 3600000 ))
  sed -e "s/\"start\": \"2099-01-01T00:00:00+08:00\"/\"start\": $start_ms/" \
      -e "s/\"end\": \"2099-01-02T00:00:00+08:00\"/\"end\": $end_ms/" \
      config/products.json > "$demo_dir/products.json"
  $admin load "$demo_dir/products.json"
else
  # A restart keeps the sale as it was: reloading would move the second product's window again.
  echo "run-demo: the products of the last run are kept (tools/run-demo.sh --fresh starts over)"
  $admin status
fi

"$bin/seckill-logic" --config config/logic.json --redis "127.0.0.1:$redis_port" \
  --metrics-port "$logic_metrics_port" 2>> "$demo_dir/logic.log" &
logic_pid=$!
"$bin/seckill-orders" --config config/orders.json --redis "127.0.0.1:$redis_port" \
  --dsn "$orders_dsn" --metrics-port "$orders_metrics_port" 2>> "$demo_dir/orders.log" &
orders_pid=$!
"$bin/seckill-proxy" --config config/proxy.json --redis "127.0.0.1:$redis_port" \
  --port "$http_port" --proxy-id demo 2>> "$demo_dir/proxy.log" &
proxy_pid=$!
wait_healthy "seckill-logic (metrics on port $logic_metrics_port)" \
  "curl -fs http://127.0.0.1:$logic_metrics_port/metrics" "$logic_pid" "$demo_dir/logic.log"
wait_healthy "seckill-orders (metrics on port $orders_metrics_port)" \
  "curl -fs http://127.0.0.1:$orders_metrics_port/healthz" "$orders_pid" "$demo_dir/orders.log"
wait_healthy "seckill-proxy on port $http_port" "curl -fs http://127.0.0.1:$http_port/secinfo" \
  "$proxy_pid" "$demo_dir/proxy.log"

token=$("$bin/seckill-admin" token 1001)
# seckill-admin finds Redis through config/proxy.json, which names the demo's default port.
admin="$bin/seckill-admin"
[ "$redis_port" = 6390 ] || admin="$admin --redis 127.0.0.1:$redis_port"
cat <<INFO

seckill is running:  http://127.0.0.1:$http_port/   (the sale page: sign in with any user id)
  products: curl http://127.0.0.1:$http_port/secinfo
  buy:     curl 'http://127.0.0.1:$http_port/seckill?product_id=1&user_id=1001&token=$token'
  result:  curl 'http://127.0.0.1:$http_port/result?product_id=1&user_id=1001&token=$token'
  token:   $bin/seckill-admin token USER_ID
  status:  $admin status
  orders in PostgreSQL (seckill-orders moves them there):
           $pg_bin/psql -h 127.0.0.1 -p $pg_port -U postgres -c 'SELECT order_id, state, user_id FROM orders'
  audit:   $admin audit --orders-db '$orders_dsn'
  logs:    $demo_dir/*.log (appended)
Ctrl-C stops everything; the next start keeps what was sold (--fresh starts over).
INFO
# Until Ctrl-C, or until one of the programs dies (then the others are stopped too).
while kill -0 "$proxy_pid" && kill -0 "$logic_pid" && kill -0 "$orders_pid" && kill -0 "$redis_pid"; do
  sleep 1
done 2>/dev/null
fail "a process stopped by itself (see $demo_dir/*.log)"
