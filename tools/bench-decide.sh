#!/usr/bin/env bash
# Measures what one decided purchase costs inside Redis: runs logic/scripts/decide.lua (or the
# script given), behind the rules it shares (logic/scripts/decide_rules.lua), on 1,500 batches of 64 new buyers against a private redis-server, and prints
# Redis's own time per request from INFO commandstats: the whole script (EVALSHA) and the
# commands it calls. This is the bound of the purchase path (README, Benchmarks).
#
#   tools/bench-decide.sh [SCRIPT.lua] [--aof]   (--aof: appendonly yes, appendfsync everysec)
set -euo pipefail
cd "$(dirname "$0")/.."

script=logic/scripts/decide.lua
aof=(--appendonly no)
for arg in "$@"; do
  case "$arg" in
    --aof) aof=(--appendonly yes --appendfsync everysec) ;;
    *) script=$arg ;;
  esac
done
batches=1500
batch=64

tools/install-deps.sh
tools/build.sh release seckill-proxy seckill-logic seckill-orders seckill-admin seckill-bench >/dev/null
work=$(mktemp -d)
port=$(( 30000 + RANDOM % 10000 ))
. tools/lib/servers.sh
cleanup() {
  stop_servers
  rm -rf "$work"
}
trap cleanup EXIT

start_redis "$port" "$work" --bind 127.0.0.1 --save "" "${aof[@]}"
cat > "$work/products.json" <<'JSON'
{"products":[{"id":1,"name":"bench","total":10000000,"start":0,"end":4070908800000,
  "per_user_limit":1000000,"group":0}]}
JSON
build/release/bin/seckill-admin --redis "127.0.0.1:$port" load "$work/products.json" >/dev/null
sha=$(redis-cli -p "$port" script load "$(cat logic/scripts/decide_rules.lua "$script")")

# One EVALSHA per line, in the layout logic/decide/decision.cpp sends: product keys, one decision
# hash; the arguments, one reply list; per request its id, user, deadline, hash index, list
# index, units.
deadline=$(( $(date +%s) * 1000 + 600000 ))
awk -v sha="$sha" -v deadline="$deadline" -v batches="$batches" -v batch="$batch" 'BEGIN {
  second = int(deadline / 1000)
  for (b = 0; b < batches; b++) {
    line = "EVALSHA " sha " 5 seckill:{g0}:product:1 seckill:{g0}:buyers:1 seckill:{g0}:orders:1"
    line = line " seckill:{g0}:rate:1 seckill:{g0}:decided:1:" second
    line = line " 1 60000 5000 " batch " 1 610000 1 1 seckill:reply:{bench}"
    for (i = 0; i < batch; i++) line = line " bench-" b "-" i " " (b * batch + i + 1) " " deadline " 1 1 1"
    print line
  }
}' > "$work/commands.txt"

redis-cli -p "$port" config resetstat >/dev/null
redis-cli -p "$port" < "$work/commands.txt" > /dev/null
requests=$(( batches * batch ))
sold=$(redis-cli -p "$port" hget 'seckill:{g0}:product:1' sold)
echo "$script: $requests requests in batches of $batch, $sold sold$([ "${aof[1]}" = yes ] && echo ', AOF everysec')"
echo "Redis time per request (us), from INFO commandstats:"
redis-cli -p "$port" info commandstats | tr -d '\r' |
  awk -F'[:=,]' -v n="$requests" '/^cmdstat_(evalsha|xadd|hset|hmget|rpush)/ {
    sub("cmdstat_", "", $1); printf "  %-8s %6.2f\n", $1, $5 / n }'
