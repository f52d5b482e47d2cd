#!/usr/bin/env bash
# The purchase path on a Redis Cluster: builds release, starts a private cluster of 3 masters
# with one replica each, one seckill-logic and one seckill-proxy in cluster mode, and measures
#   single-redis        for comparison: the same tiers and products on one plain Redis
#   cluster-1-master    one product: every decision on one master
#   cluster-3-masters   three products on three masters, a generator each, at once
#   cluster-ack1        one product, redis.ack_replicas 1 (WAIT behind every decision)
#   failover            kill -9 of a product's master mid-load: how long until it sells again
# and writes bench/CLUSTER.md. Loopback only, about two minutes.
#
#   SECKILL_BENCH_SECONDS   length of each timed phase (default 10)
#   SECKILL_BENCH_CONNS     connections of each generator (default 256)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${SECKILL_BENCH_SECONDS:-10}"
conns="${SECKILL_BENCH_CONNS:-256}"
work="$(mktemp -d /tmp/seckill-bench-cluster-XXXXXX)"
bin="build/release/bin"
export SECKILL_SECRET="bench-secret"

tools/install-deps.sh
tools/build.sh release seckill-proxy seckill-logic seckill-orders seckill-admin seckill-bench

base=$(( 20000 + RANDOM % 10000 ))
http_port=$(( base + 100 ))
. tools/lib/servers.sh
cleanup() {
  stop_servers
  rm -rf "$work"
}
trap cleanup EXIT

declare -A redis_pid
nodes=()
for i in 0 1 2 3 4 5; do
  port=$(( base + i ))
  mkdir -p "$work/node$port"
  # The shipped config (AOF on, everysec here), as cluster nodes that keep serving their own
  # slots while another master fails over.
  redis-server config/redis.conf --port "$port" --dir "$work/node$port" --appendfsync everysec \
    --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 1000 \
    --cluster-port $(( base + 50 + i )) --cluster-require-full-coverage no \
    --logfile "$work/node$port/redis.log" &
  redis_pid[$port]=$!
  track $!
  nodes+=("127.0.0.1:$port")
done
for port in $(seq "$base" $(( base + 5 ))); do
  wait_for_redis "$port"
done
redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >/dev/null
for _ in $(seq 1 200); do
  ok=0
  for port in $(seq "$base" $(( base + 5 ))); do
    redis-cli -p "$port" cluster info | grep -q 'cluster_state:ok' && ok=$(( ok + 1 ))
  done
  [ "$ok" = 6 ] && break
  sleep 0.1
done
sleep 2  # the replicas finish their first sync
seeds=$(IFS=,; echo "${nodes[*]}")
json_nodes=$(printf '"%s",' "${nodes[@]}")
json_nodes="[${json_nodes%,}]"
admin() { "$bin/seckill-admin" --cluster "$seeds" "$@"; }

# The shipped configs with the cluster as their Redis.
cluster_redis="\"redis\": {\"mode\": \"cluster\", \"nodes\": $json_nodes, \"connect_timeout_ms\": 200, \"socket_timeout_ms\": 1000"
sed -e "/\"redis\": {/,/}/c\\  $cluster_redis}" -e "s#\"../proxy/web\"#\"$PWD/proxy/web\"#" \
  config/proxy.json > "$work/proxy.json"
sed -e "/\"redis\": {/,/}/c\\  $cluster_redis}" config/logic.json > "$work/logic.json"
sed -e "/\"redis\": {/,/}/c\\  $cluster_redis, \"ack_replicas\": 1, \"wait_ms\": 100}" \
  config/logic.json > "$work/logic-ack1.json"

# A group on each master: the master of group g is the owner of the slot of seckill:{gG}:req.
master_of() {  # master_of GROUP: the port of the master serving the group's slot now
  local slot
  slot=$(redis-cli -p "$base" cluster keyslot "seckill:{g$1}:req")
  redis-cli -p "$base" cluster nodes | awk -v slot="$slot" '
    $3 ~ /master/ && $3 !~ /fail/ {
      for (i = 9; i <= NF; i++) {
        n = split($i, r, "-"); lo = r[1]; hi = (n > 1 ? r[2] : r[1])
        if (slot + 0 >= lo + 0 && slot + 0 <= hi + 0) { split($2, a, "[:@]"); print a[2]; exit }
      }
    }'
}
groups=()
seen=""
for g in $(seq 0 15); do
  m=$(master_of "$g")
  case " $seen " in *" $m "*) continue ;; esac
  seen="$seen $m"
  groups+=("$g")
  [ "${#groups[@]}" = 3 ] && break
done
cat > "$work/products.json" <<JSON
{"products":[
  {"id":1,"name":"on master A","total":10000000,"start":0,"end":4070908800000,"per_user_limit":1000000,"group":${groups[0]}},
  {"id":2,"name":"on master B","total":10000000,"start":0,"end":4070908800000,"per_user_limit":1000000,"group":${groups[1]}},
  {"id":3,"name":"on master C","total":10000000,"start":0,"end":4070908800000,"per_user_limit":1000000,"group":${groups[2]}}
]}
JSON
admin load "$work/products.json" >/dev/null

table="$work/table.md"
bench() {  # bench LABEL PRODUCT FIRST_USER [more flags]
  local label=$1 product=$2 first=$3
  shift 3
  "$bin/seckill-bench" --targets "127.0.0.1:$http_port" --threads 1 --forwarded-for \
    --product "$product" --first-user "$first" --users 100000 --connections "$conns" \
    --duration-s "$seconds" --label "$label" --json "$work/$label.json" --markdown "$table" "$@" >&2
}
rps() { grep -o '"throughput_rps":[0-9.]*' "$work/$1.json" | cut -d: -f2; }
answers() { grep -o '"answers":[0-9]*' "$work/$1.json" | head -1 | cut -d: -f2; }
hz=$(getconf CLK_TCK)
# CPU seconds (user + system) of each Redis process given, one "port seconds" line each.
redis_cpu() {
  for port in "$@"; do
    awk -v p="$port" -v hz="$hz" '{ printf "%s %.3f\n", p, ($14 + $15) / hz }' \
      "/proc/${redis_pid[$port]}/stat" 2>/dev/null || echo "$port 0"
  done
}
cpu_rows="$work/cpu.md"
# measure LABEL ANSWERS BEFORE-FILE AFTER-FILE [MASTER PORTS]: Redis CPU per answered request, all six
# processes, and the busiest master alone.
measure() {
  paste "$3" "$4" | awk -v label="$1" -v n="$2" -v masters=" ${5:-$(masters)} " '
    { d = $4 - $2; total += d; if (index(masters, " " $1 " ") && d > top) { top = d } }
    END { if (n > 0) printf "| %s | %.1f | %.1f |\n", label, total * 1e6 / n, top * 1e6 / n }' \
    >> "$cpu_rows"
}
masters() { redis-cli -p "$base" cluster nodes | awk '$3 ~ /master/ && $3 !~ /fail/ { split($2, a, "[:@]"); print a[2] }' | tr '\n' ' '; }
ports=$(seq "$base" $(( base + 5 )))
start_logic() {  # start_logic CONFIG [flags]
  "$bin/seckill-logic" --config "$@" --logic-id bench-logic 2>> "$work/logic.log" &
  logic_pid=$!
  track $logic_pid
}
start_proxy() {  # start_proxy CONFIG [flags]
  "$bin/seckill-proxy" --config "$@" --port "$http_port" --proxy-id bench \
    > /dev/null 2>> "$work/proxy.log" &
  proxy_pid=$!
  track $proxy_pid
  wait_for_http "http://127.0.0.1:$http_port/healthz"
}

echo "== single-redis" >&2
single="127.0.0.1:$(( base + 10 ))"
mkdir -p "$work/single"
redis-server config/redis.conf --port $(( base + 10 )) --dir "$work/single" --appendfsync everysec \
  --logfile "$work/single/redis.log" &
single_pid=$!
track $single_pid
redis_pid[$(( base + 10 ))]=$single_pid
wait_for_redis $(( base + 10 ))
"$bin/seckill-admin" --redis "$single" load "$work/products.json" >/dev/null
start_logic config/logic.json --redis "$single"
start_proxy config/proxy.json --redis "$single"
redis_cpu $(( base + 10 )) > "$work/cpu0"
bench single-redis 1 1
redis_cpu $(( base + 10 )) > "$work/cpu1"
measure single-redis "$(answers single-redis)" "$work/cpu0" "$work/cpu1" $(( base + 10 ))
kill -TERM "$proxy_pid" "$logic_pid" "$single_pid"
wait "$proxy_pid" "$logic_pid" "$single_pid" 2>/dev/null || true

start_logic "$work/logic.json"
start_proxy "$work/proxy.json"
echo "== cluster-1-master" >&2
redis_cpu $ports > "$work/cpu0"
bench cluster-1-master 1 1
redis_cpu $ports > "$work/cpu1"
measure cluster-1-master "$(answers cluster-1-master)" "$work/cpu0" "$work/cpu1"
echo "== cluster-3-masters" >&2
redis_cpu $ports > "$work/cpu0"
bench cluster-3-masters-a 1 1000001 & a=$!
bench cluster-3-masters-b 2 2000001 & b=$!
bench cluster-3-masters-c 3 3000001
wait "$a" "$b"
redis_cpu $ports > "$work/cpu1"
measure cluster-3-masters $(( $(answers cluster-3-masters-a) + $(answers cluster-3-masters-b) + \
  $(answers cluster-3-masters-c) )) "$work/cpu0" "$work/cpu1"
three=$(awk -v a="$(rps cluster-3-masters-a)" -v b="$(rps cluster-3-masters-b)" \
  -v c="$(rps cluster-3-masters-c)" 'BEGIN { printf "%.0f", a + b + c }')

echo "== cluster-ack1" >&2
kill -TERM "$logic_pid"; wait "$logic_pid" 2>/dev/null || true
start_logic "$work/logic-ack1.json"
sleep 1
redis_cpu $ports > "$work/cpu0"
bench cluster-ack1 1 4000001
redis_cpu $ports > "$work/cpu1"
measure cluster-ack1 "$(answers cluster-ack1)" "$work/cpu0" "$work/cpu1"

echo "== failover" >&2
# Product 2's master dies mid-load; the time until a purchase of it is answered 0 again (with
# ack_replicas 0: the promoted replica has no replica of its own until the old master returns).
kill -TERM "$logic_pid"; wait "$logic_pid" 2>/dev/null || true
start_logic "$work/logic.json"
sleep 1
token() { "$bin/seckill-admin" token "$1"; }
victim=$(master_of "${groups[1]}")
bench failover-load 2 5000001 --duration-s 8 > /dev/null 2>&1 &
load=$!
sleep 2
kill -KILL "${redis_pid[$victim]}"
killed=$(date +%s%N)
user=6000000
recovered=""
for _ in $(seq 1 300); do
  user=$(( user + 1 ))
  answer=$(curl -s "http://127.0.0.1:$http_port/seckill?product_id=2&user_id=$user&token=$(token $user)")
  case "$answer" in *'"code":0'*) recovered=$(( ($(date +%s%N) - killed) / 1000000 )); break ;; esac
  sleep 0.05
done
wait "$load" || true
other=$(curl -s "http://127.0.0.1:$http_port/seckill?product_id=1&user_id=7000001&token=$(token 7000001)")
audit=$(admin audit 2>&1 | tail -1 || true)

mkdir -p bench
{
  echo "# seckill on a Redis Cluster"
  echo
  echo "Written by \`tools/bench-cluster.sh\` on $(date -u +%Y-%m-%dT%H:%MZ): one machine, loopback,"
  echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(redis-server --version | cut -d' ' -f1-3), seckill $(git rev-parse --short HEAD 2>/dev/null || echo '?')."
  echo "First the same tiers on one plain Redis, then a cluster of 3 masters with one replica each (AOF everysec, cluster-node-timeout 1000,"
  echo "cluster-require-full-coverage no), one seckill-logic (config/logic.json) and one seckill-proxy"
  echo "(config/proxy.json) in cluster mode; each generator \`seckill-bench --connections $conns\`, ${seconds} s."
  echo "All six Redis processes, the tiers and the generators share the same $(nproc) cores, so this shows"
  echo "what cluster mode costs per request, not what more hosts would add."
  echo
  cat "$table"
  echo
  echo "Redis CPU per answered request, in microseconds: all Redis processes (on the cluster the"
  echo "three masters and the replicas applying their writes), and the busiest master alone (the"
  echo "serial stage of its groups; with three products on three masters each carries a third)."
  echo
  echo "| phase | all Redis processes | busiest master |"
  echo "|---|---:|---:|"
  cat "$cpu_rows"
  echo
  echo "| figure | value |"
  echo "|---|---:|"
  echo "| one product, one plain Redis (same tiers, same machine) | $(printf '%.0f' "$(rps single-redis)") req/s |"
  echo "| one product, one master | $(printf '%.0f' "$(rps cluster-1-master)") req/s |"
  echo "| three products on three masters, together | $three req/s |"
  echo "| one product, ack_replicas 1 | $(printf '%.0f' "$(rps cluster-ack1)") req/s |"
  echo "| kill -9 of a master to its product selling again | ${recovered:-not within 15 s} ms |"
  echo "| another master's product right after | $(echo "$other" | grep -o '"code":[0-9]*' | head -1) |"
  echo "| audit after the failover | $audit |"
  echo
  echo "Reproduce: \`tools/bench-cluster.sh\`, or the last phases of \`tools/run-bench.sh\` (SECKILL_BENCH_SECONDS, SECKILL_BENCH_CONNS to vary)."
} > bench/CLUSTER.md
echo "wrote bench/CLUSTER.md" >&2
cat bench/CLUSTER.md
