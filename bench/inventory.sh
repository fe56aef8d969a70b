#!/usr/bin/env bash
# bench/inventory.sh: the seat inventory and search benchmarks of docs/performance.md, on a
# release build, each beside its reference where one exists.
#
#   1. Redis: `redis-benchmark -t set` and the inventory hold script (bench/redis_hold_bench.cc)
#      on the same throwaway redis-server, one after the other, 50 clients each: the ratio of
#      the two rates is the figure. Then the script again, run by redis-benchmark itself
#      (EVALSHA), so both rates come from the same load generator. Then the store's sweeper on
#      20,000 expired holds.
#   2. REST, the monolith: holds per second (hold then release, 20 trips, 32 clients), then
#      10,000 clients racing for the 40 seats of one trip (bench/inventory_rest_bench.cc); then
#      complete bookings per second (hold, order, card payment through the booking saga, 16
#      clients, 250 trips; bench/booking_rest_bench.cc) and their ratio to holds per second;
#      then the same bookings on a monolith that does not screen orders for fraud
#      (order.fraud_screening=off): the ratio of the two is the fraud step's cost; and the
#      audit entries appended per second meanwhile, and per booking made.
#      Then the same holds and race again on a fresh monolith, driven by wrk
#      (bench/holds.lua, bench/race.lua), the event-loop load generator /healthz and nginx are
#      measured with: the program above runs a thread per client (libcurl), which takes much
#      of the two cores from the server and adds its own scheduling delays to the latencies.
#   3. Search: the read model over 100,000 generated trips and 500 stations
#      (bench/search_bench.cc): p50/p99 of single queries, then queries per second.
#
#   bench/inventory.sh       build the release targets, then measure (about 2 minutes)
#   make bench               bench/http.sh, then this
#
# Settings (environment): BENCH_SECONDS=10, BENCH_BUILD=1 (0: use build-release as it is),
# BENCH_RACE_CLIENTS=10000. Everything listens on 127.0.0.1 and is stopped on exit. The load
# generators share the two cores with the servers: read ratios, not absolutes.
set -euo pipefail

cd "$(dirname "$0")/.."

seconds=${BENCH_SECONDS:-10}
build=${BENCH_BUILD:-1}
race_clients=${BENCH_RACE_CLIENTS:-10000}
bin=build-release/bin

fail() {
  echo "bench/inventory.sh: $*" >&2
  exit 1
}
command -v redis-server >/dev/null || fail "redis-server is not installed; run scripts/bootstrap"
command -v redis-benchmark >/dev/null || fail "redis-benchmark is not installed (redis-tools)"
command -v wrk >/dev/null || fail "wrk is not installed; run scripts/bootstrap --bench"

# shellcheck source=bench/lib.sh
source bench/lib.sh
release_programs travio travio_inventory_rest_bench travio_booking_rest_bench travio_redis_hold_bench travio_search_bench

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


# --- 1. Redis ---------------------------------------------------------------------------------
start_redis
echo "== redis-benchmark -t set -n 500000 -c 50 (reference)"
set_line=$(redis-benchmark -p "$redis_port" -t set -n 500000 -c 50 -q | tr '\r' '\n' | grep 'SET:' | tail -1)
echo "$set_line"
set_rate=$(echo "$set_line" | awk '{print $2}')
echo "redis.set_per_second $set_rate" >"$tmp/set.txt"
keep_figures "$tmp/set.txt"
echo "== the hold script, 50 clients, ${seconds}s"
"$bin/travio_redis_hold_bench" "$redis_port" "$seconds" 50 | tee "$tmp/redis.txt"
hold_rate=$(awk '$1 == "redis.hold_script_calls_per_second" {print $2}' "$tmp/redis.txt")
keep_figures "$tmp/redis.txt"
awk -v hold="$hold_rate" -v set="$set_rate" \
  'BEGIN { printf "%-40s %12.2f\n", "redis.ratio_hold_script_to_set", hold / set }'
# The same script run by redis-benchmark itself, the load generator of the reference: 50
# connections on one event loop instead of 50 threads (each a hiredis connection) sharing the
# two cores with the server.
mkdir -p "$tmp/rb"
"$bin/travio_redis_hold_bench" "$redis_port" --redis-benchmark "$tmp/rb"
sha=$(redis-cli -p "$redis_port" SCRIPT LOAD "$(cat "$tmp/rb/hold.lua")")
mapfile -t rb_args <"$tmp/rb/args"
echo "== the hold script run by redis-benchmark (EVALSHA, -n 500000 -c 50 -r 1000: 1,000 trips)"
redis-benchmark -p "$redis_port" -n 500000 -c 50 -r 1000 -q EVALSHA "$sha" "${rb_args[@]}" |
  tr '\r' '\n' >"$tmp/rb/out"
rb_line=$(grep 'requests per second' "$tmp/rb/out" | tail -1)
echo "$rb_line"
# An error reply counts as a request to redis-benchmark: there must be none, and holds made.
! grep -qi 'error' "$tmp/rb/out" || fail "the hold script failed under redis-benchmark: $(grep -i -m1 error "$tmp/rb/out")"
[[ $(redis-cli -p "$redis_port" --scan --pattern 'inv:{trip:bench-rb-*}:holds' | head -50 |
  xargs -r -n1 redis-cli -p "$redis_port" HLEN | awk '{n += $1} END {print n + 0}') -gt 0 ]] ||
  fail "the hold script made no hold under redis-benchmark"
rb_rate=$(echo "$rb_line" | sed -E 's/.*: ([0-9.]+) requests per second.*/\1/')
echo "redis.hold_script_benchmark_per_second $rb_rate" >"$tmp/rb.txt"
keep_figures "$tmp/rb.txt"
awk -v hold="$rb_rate" -v set="$set_rate" \
  'BEGIN { printf "%-40s %12.2f\n", "redis.ratio_hold_script_benchmark_to_set", hold / set }'
echo "== the store's sweeper on 20,000 expired holds over 1,000 trips"
"$bin/travio_redis_hold_bench" "$redis_port" --sweep 20000 | tee "$tmp/sweep.txt" ||
  fail "the sweeper left expired holds behind"
keep_figures "$tmp/sweep.txt"
redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
redis_port=

# --- 2. REST on the monolith -----------------------------------------------------------------
start_monolith
echo "== REST holds (${seconds}s, 32 clients) and a race of $race_clients clients for 40 seats"
"$bin/travio_inventory_rest_bench" "http://127.0.0.1:$travio_port" "$seconds" 32 "$race_clients" 200 |
  tee "$tmp/holds.txt"
echo "== complete bookings (${seconds}s, 16 clients, 250 trips of 40 seats)"
"$bin/travio_booking_rest_bench" "http://127.0.0.1:$travio_port" "$seconds" 16 250 |
  tee "$tmp/bookings.txt"
awk '$1 == "rest.holds_per_second" {holds = $2} END {
       while ((getline line < "'"$tmp/bookings.txt"'") > 0) {
         split(line, f); if (f[1] == "booking.bookings_per_second") bookings = f[2] }
       printf "%-40s %12.2f\n", "booking.ratio_bookings_to_holds", bookings / holds }' \
  "$tmp/holds.txt"
keep_figures "$tmp/holds.txt" "$tmp/bookings.txt"
stop_monolith
# The audit log under that load: the entries each sale appended (its order, fraud decision,
# payment and tickets, through the in-process bus as the outboxes were relayed) over the run's
# seconds, and per booking made (six when the log kept up with every sale).
python3 - "$tmp/data/audit.db" "$tmp/bookings.txt" <<'PY' | tee "$tmp/audit.txt"
import sqlite3, sys
figures = dict(line.split()[:2] for line in open(sys.argv[2]) if len(line.split()) >= 2)
sales = ("order.created", "order.risk_assessed", "payment.authorized", "payment.captured",
         "order.confirmed", "tickets.issued")
entries = sqlite3.connect(sys.argv[1]).execute(
    "SELECT COUNT(*) FROM audit_entries WHERE action IN (%s)" % ",".join("?" * len(sales)),
    sales).fetchone()[0]
print("%-40s %12.2f" % ("audit.sale_entries_per_second", entries / float(figures["booking.seconds"])))
print("%-40s %12.2f" % ("audit.ratio_entries_to_bookings", entries / float(figures["booking.bookings"])))
PY
keep_figures "$tmp/audit.txt"

# The fraud step's cost: the same bookings on a fresh monolith that does not screen orders.
start_monolith TRAVIO_ORDER_FRAUD_SCREENING=off
echo "== complete bookings without fraud screening (${seconds}s, 16 clients, 250 trips)"
"$bin/travio_booking_rest_bench" "http://127.0.0.1:$travio_port" "$seconds" 16 250 |
  sed 's/^booking\./unscreened./' | tee "$tmp/unscreened.txt"
awk '$1 == "booking.bookings_per_second" {screened = $2} END {
       while ((getline line < "'"$tmp/unscreened.txt"'") > 0) {
         split(line, f); if (f[1] == "unscreened.bookings_per_second") plain = f[2] }
       printf "%-40s %12.2f\n", "fraud.ratio_screened_to_unscreened", screened / plain }' \
  "$tmp/bookings.txt" | tee "$tmp/fraud.txt"
keep_figures "$tmp/unscreened.txt" "$tmp/fraud.txt"
stop_monolith

start_monolith
mkdir -p "$tmp/wrk"
"$bin/travio_inventory_rest_bench" "http://127.0.0.1:$travio_port" --prepare "$tmp/wrk" "$race_clients"
echo "== REST holds driven by wrk (wrk -t2 -c32 -d${seconds}s -s bench/holds.lua)"
wrk -t2 -c32 -d"${seconds}s" -s bench/holds.lua "http://127.0.0.1:$travio_port" -- "$tmp/wrk" 2 |
  grep -E '^rest\.' | tee "$tmp/wrk-holds.txt"
# wrk runs for its whole -d; each thread stops once its clients have their answers.
echo "== a race of $race_clients clients for 40 seats driven by wrk (-t2 -c200 -s bench/race.lua)"
wrk -t2 -c200 -d15s -s bench/race.lua "http://127.0.0.1:$travio_port" -- "$tmp/wrk" 2 |
  grep -E '^race\.' | grep -v requests_per_second | tee "$tmp/wrk-race.txt"
awk -v clients="$race_clients" '$1 == "race.wrk_clients" && $2 != clients { bad = 1 }
  $1 == "race.wrk_answered" && $2 != clients { bad = 1 } END { exit bad }' "$tmp/wrk-race.txt" ||
  fail "the wrk race did not answer all its clients within 15 s"
# A race where holds failed says nothing about double sales: every seat must have been won.
awk '$1 == "race.wrk_errors" && $2 != 0 { bad = 1 } $1 == "race.wrk_seats_won" && $2 != 40 { bad = 1 }
  END { exit bad }' "$tmp/wrk-race.txt" || fail "the wrk race had errors or left seats unwon"
awk '$1 == "rest.wrk_errors" && $2 != 0 { bad = 1 } END { exit bad }' "$tmp/wrk-holds.txt" ||
  fail "the wrk hold run had errors (bench/holds.lua prints the first)"
keep_figures "$tmp/wrk-holds.txt" "$tmp/wrk-race.txt"
stop_monolith

# --- 3. Search --------------------------------------------------------------------------------
echo "== search over 100,000 trips and 500 stations"
"$bin/travio_search_bench" 100000 500 "$seconds" 2
