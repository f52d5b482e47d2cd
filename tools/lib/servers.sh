# Sourced by the benchmark scripts: the servers they start for a run, and stopping them all.
#
#   start_redis PORT DIR ARGS...   redis-server on PORT (log in DIR/redis.log) with ARGS after
#                                  the port; returns once it answers, its pid in $started_pid
#   track PID                      stop PID with the others (a process started by hand)
#   wait_for_redis PORT            until redis-server on PORT answers PING (fails after 5 s)
#   wait_for_http URL              until URL answers 2xx (fails after 5 s)
#   stop_servers                   every tracked process: resumed (a phase may have stopped
#                                  one), asked to end, waited for

server_pids=()

track() {
  server_pids+=("$1")
}

wait_for_redis() {
  for _ in $(seq 1 100); do redis-cli -p "$1" ping >/dev/null 2>&1 && return 0; sleep 0.05; done
  echo "$(basename "$0"): redis-server on port $1 did not answer" >&2
  return 1
}

wait_for_http() {
  for _ in $(seq 1 100); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.05; done
  echo "$(basename "$0"): $1 did not answer" >&2
  return 1
}

start_redis() {
  local port=$1 dir=$2
  shift 2
  redis-server "$@" --port "$port" --dir "$dir" --logfile "$dir/redis.log" &
  started_pid=$!
  track "$started_pid"
  wait_for_redis "$port"
}

stop_servers() {
  local pid
  for pid in "${server_pids[@]}"; do
    kill -CONT "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
