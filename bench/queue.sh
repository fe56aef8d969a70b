#!/usr/bin/env bash
# bench/queue.sh: the waiting-room (queue service) benchmarks of docs/performance.md, on a
# release build, each beside its reference in the same run.
#
#   1. Redis: `redis-benchmark -t set -n 500000 -c 50` (the reference), then the queue state's
#      Join and Poll scripts (bench/queue_state_bench.cc: every join a new traveller, polls by
#      travellers who joined, 50 clients, one room) on the same throwaway redis-server, one
#      after the other: the ratios of the rates are the figures.
#   2. Memory: bytes per waiting traveller, 100,000 travellers in one room before its opening
#      (the pre-queue) and 100,000 in another after it (the queue proper), on the memory state
#      (growth of the process's resident set, allocator slack included) and on Redis (growth
#      of `INFO memory` used_memory).
#   3. REST, the monolith (client limits and the cap on connections per address off): first
#      joins per second by fresh guests (60,000 minted before the clock starts; the phase ends
#      early when they run out), status polls per second by the callers who joined, and
#      GET /healthz per second by the same 32 clients in the same run
#      (bench/queue_rest_bench.cc), in a scheduled room whose pre-queue is open and whose
#      opening is 23 hours away, so everyone keeps waiting: the ratios to /healthz are the
#      figures.
#
#   bench/queue.sh           build the release targets, then measure (about 2 minutes)
#   make bench               bench/http.sh, bench/inventory.sh, then this
#
# Settings (environment): BENCH_SECONDS=10 (each timed phase), BENCH_BUILD=1 (0: use
# build-release as it is), BENCH_CLIENTS=32 (REST clients), BENCH_GUESTS=60000 (guests minted
# for the joins), BENCH_WAITING=100000 (travellers per room for the memory figures),
# BENCH_ROOM=pre_queue (or on_demand: an open room with one endless session, every join behind
# it). Everything listens on 127.0.0.1 and is stopped on exit. The load generators share the
# two cores with the servers: read ratios, not absolutes.
set -euo pipefail

cd "$(dirname "$0")/.."

seconds=${BENCH_SECONDS:-10}
build=${BENCH_BUILD:-1}
clients=${BENCH_CLIENTS:-32}
guests=${BENCH_GUESTS:-60000}
waiting=${BENCH_WAITING:-100000}
room=${BENCH_ROOM:-pre_queue}
bin=build-release/bin

fail() {
  echo "bench/queue.sh: $*" >&2
  exit 1
}
for number in "$seconds" "$clients" "$guests" "$waiting"; do
  [[ $number =~ ^[0-9]+$ && $number -gt 0 ]] || fail "BENCH_* counts must be positive integers, got \"$number\""
done
[[ $room == pre_queue || $room == on_demand ]] || fail "BENCH_ROOM must be pre_queue or on_demand"
command -v redis-server >/dev/null || fail "redis-server is not installed; run scripts/bootstrap"
command -v redis-benchmark >/dev/null || fail "redis-benchmark is not installed (redis-tools)"
command -v curl >/dev/null || fail "curl is not installed; run scripts/bootstrap"

# shellcheck source=bench/lib.sh
source bench/lib.sh
release_programs travio travio_queue_state_bench travio_queue_rest_bench

tmp=$(mktemp -d "${TMPDIR:-/tmp}/travio-bench.XXXXXX")
redis_port=
travio_pid=
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  [[ -n $redis_port ]] && redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  if [[ -n $travio_pid ]]; then
    kill -TERM "$travio_pid" 2>/dev/null || true
    wait "$travio_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM


# ratio NAME A B: "NAME A/B" in the programs' format, or n/a when B is not a positive number.
ratio() {
  awk -v name="$1" -v a="$2" -v b="$3" \
    'BEGIN { if (b > 0) printf "%-40s %12.2f\n", name, a / b; else printf "%-40s %12s\n", name, "n/a" }'
}

# --- 1. Redis ---------------------------------------------------------------------------------
start_redis
echo "== redis-benchmark -t set -n 500000 -c 50 (reference)"
set_line=$(redis-benchmark -p "$redis_port" -t set -n 500000 -c 50 -q | tr '\r' '\n' | grep 'SET:' | tail -1)
echo "$set_line"
set_rate=$(echo "$set_line" | awk '{print $2}')
echo "== the queue state's Join, then Poll, 50 clients, ${seconds}s each"
"$bin/travio_queue_state_bench" redis "$redis_port" "$seconds" 50 | tee "$tmp/redis.txt"
join_rate=$(awk '$1 == "redis.queue_join_calls_per_second" {print $2}' "$tmp/redis.txt")
poll_rate=$(awk '$1 == "redis.queue_poll_calls_per_second" {print $2}' "$tmp/redis.txt")
ratio redis.ratio_queue_join_to_set "$join_rate" "$set_rate"
ratio redis.ratio_queue_poll_to_set "$poll_rate" "$set_rate"

# --- 2. Memory per waiting traveller ----------------------------------------------------------
echo "== bytes per waiting traveller, $waiting per room: the memory state, then Redis"
"$bin/travio_queue_state_bench" memory-per-waiting memory "$waiting"
"$bin/travio_queue_state_bench" memory-per-waiting redis "$redis_port" "$waiting"
redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
redis_port=

# --- 3. REST on the monolith -----------------------------------------------------------------
start_monolith
echo "== REST: $guests first joins ($room room), status polls, GET /healthz; $clients clients, ${seconds}s each"
"$bin/travio_queue_rest_bench" "http://127.0.0.1:$travio_port" "$seconds" "$clients" "$guests" "$room"
stop_monolith
