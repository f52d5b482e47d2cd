#!/usr/bin/env bash
# Installs what is missing, builds, and runs a whole seckill on this machine: a private
# redis-server (AOF on, data in build/demo), a private PostgreSQL (the system of record, data in
# build/demo/pg), one logic process, seckill-orders and one proxy with config/, and the demo
# products (one on sale now, one starting a minute from now). Ctrl-C stops them all.
#
#   SECKILL_DEMO_REDIS_PORT   Redis port (default 6390)
#   SECKILL_DEMO_PG_PORT      PostgreSQL port (default 6391)
#   SECKILL_DEMO_HTTP_PORT    proxy port (default 8080)
set -euo pipefail
cd "$(dirname "$0")/.."

redis_port="${SECKILL_DEMO_REDIS_PORT:-6390}"
pg_port="${SECKILL_DEMO_PG_PORT:-6391}"
http_port="${SECKILL_DEMO_HTTP_PORT:-8080}"
demo_dir="build/demo"
bin="build/bin"

tools/install-deps.sh
tools/build.sh dev
mkdir -p "$demo_dir"

# PostgreSQL's programs, and a way to run them as the data's owner: initdb refuses root, so as
# root they run as the postgres user (who must reach the data directory).
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pg_data="$PWD/$demo_dir/pg"
# (From /: the postgres user may not enter the current directory.)
as_owner() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$PWD/$demo_dir"; then
  pg_data="/var/lib/seckill-demo/pg"  # the checkout is out of the postgres user's reach
fi
if [ ! -s "$pg_data/PG_VERSION" ]; then
  mkdir -p "$pg_data"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$pg_data"
  as_owner "$pg_bin/initdb" -D "$pg_data" -A trust -U postgres -E UTF8 --no-instructions >/dev/null
fi
orders_dsn="host=127.0.0.1 port=$pg_port user=postgres dbname=postgres"

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "stopping..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  as_owner "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true
}
trap stop_all INT TERM EXIT

as_owner "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_data/postgres.log" -w \
  -o "-p $pg_port -k $pg_data -c listen_addresses=127.0.0.1" start >/dev/null
"$bin/seckill-orders" --config config/orders.json --dsn "$orders_dsn" --init-schema

redis-server config/redis.conf --port "$redis_port" --dir "$PWD/$demo_dir" \
  --logfile "$PWD/$demo_dir/redis.log" --daemonize no &
pids+=($!)
for _ in $(seq 1 100); do
  redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
  sleep 0.05
done

# The demo products: the shipped file's first product, on sale now, and its second one moved
# to start a minute from now (config/products.json keeps fixed dates, as a real file would).
start_ms=$(( $(date +%s) * 1000 + 60000 ))
end_ms=$(( start_ms + 3600000 ))
sed -e "s/\"start\": \"2099-01-01T00:00:00+08:00\"/\"start\": $start_ms/" \
    -e "s/\"end\": \"2099-01-02T00:00:00+08:00\"/\"end\": $end_ms/" \
    config/products.json > "$demo_dir/products.json"
"$bin/seckill-admin" --redis "127.0.0.1:$redis_port" load "$demo_dir/products.json"

"$bin/seckill-logic" --config config/logic.json --redis "127.0.0.1:$redis_port" \
  2> "$demo_dir/logic.log" &
pids+=($!)
"$bin/seckill-proxy" --config config/proxy.json --redis "127.0.0.1:$redis_port" \
  --port "$http_port" --proxy-id demo 2> "$demo_dir/proxy.log" &
pids+=($!)
"$bin/seckill-orders" --config config/orders.json --redis "127.0.0.1:$redis_port" \
  --dsn "$orders_dsn" 2> "$demo_dir/orders.log" &
pids+=($!)

for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1 && break
  sleep 0.05
done

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
  logs:    $demo_dir/
Ctrl-C stops everything.
INFO
wait
