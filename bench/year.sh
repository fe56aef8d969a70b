#!/usr/bin/env bash
# bench/year.sh: the monolith with a year of a large operator's trips (docs/performance.md,
# "The booking fast path").
#
#   1. Seed: a release monolith on an empty data directory; travio_year_of_trips makes 50
#      routes between twelve stations, six daily departures each, generated 365 days ahead
#      (about 109,000 trips) through the public API, and waits until search shows the last day.
#   2. REST search with wrk: `GET /v1/search` for the busiest route on a day in the middle of
#      the year (a real result page: six trips, priced; a day search reads from its snapshot),
#      the same route a week from today (a day in memory), then `GET /healthz` with the same
#      wrk command right after them: the ratios are the figures.
#   3. Start and idle memory: the monolith is stopped and started again on that data directory;
#      the time from exec to the first 200 from /readyz, then its resident set after 3 s idle.
#
#   bench/year.sh            build the release targets, then measure (about 3 minutes)
#   make bench               every benchmark, this one included
#
# Settings (environment): BENCH_SECONDS=10, BENCH_BUILD=1 (0: use build-release as it is),
# BENCH_YEAR_ROUTES=50, BENCH_YEAR_DEPARTURES=6, BENCH_YEAR_DAYS=365. wrk shares the two cores
# with the server: read ratios, not absolutes.
set -euo pipefail

cd "$(dirname "$0")/.."

seconds=${BENCH_SECONDS:-10}
build=${BENCH_BUILD:-1}
routes=${BENCH_YEAR_ROUTES:-50}
departures=${BENCH_YEAR_DEPARTURES:-6}
days=${BENCH_YEAR_DAYS:-365}
bin=build-release/bin

fail() {
  echo "bench/year.sh: $*" >&2
  exit 1
}
command -v wrk >/dev/null || fail "wrk is not installed; run scripts/bootstrap --bench"

# shellcheck source=bench/lib.sh
source bench/lib.sh
release_programs travio travio_year_of_trips

tmp=$(mktemp -d "${TMPDIR:-/tmp}/travio-bench.XXXXXX")
travio_pid=
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n $travio_pid ]]; then
    kill -TERM "$travio_pid" 2>/dev/null || true
    wait "$travio_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT INT TERM

echo "== 1. a year of trips: $routes routes x $departures departures a day x $days days"
start_monolith
"$bin/travio_year_of_trips" "http://127.0.0.1:$travio_port" "$routes" "$departures" "$days" |
  tee "$tmp/year.txt"
search_path=$(awk '$1 == "search" {print $2}' "$tmp/year.txt")
[[ -n $search_path ]] || fail "travio_year_of_trips named no search page"
search_url="http://127.0.0.1:$travio_port$search_path"
# Search learns of trips from events: wait until the page shows every departure of that day.
results=0
for _ in $(seq 1200); do
  results=$(curl -fsS --max-time 5 "$search_url" | jq '.items | length' 2>/dev/null || echo 0)
  [[ $results -ge $departures ]] && break
  sleep 0.25
done
[[ $results -ge $departures ]] || fail "search shows $results of $departures trips on $search_path"
echo "search page $search_path: $results trips"

echo "== 2. REST search with wrk (-t2 -c32 -d${seconds}s), then /healthz the same way"
wrk_rate() { # URL: requests per second of a measured run after a 2 s warm-up; non-2xx fail it
  timeout --foreground 40 wrk -t2 -c32 -d2s "$1" >/dev/null
  timeout --foreground $((seconds + 30)) wrk -t2 -c32 -d"${seconds}s" --latency "$1" >"$tmp/wrk.txt"
  ! grep -q "Non-2xx" "$tmp/wrk.txt" || { cat "$tmp/wrk.txt" >&2; fail "errors from $1"; }
  awk '$1 == "Requests/sec:" {print $2}' "$tmp/wrk.txt"
}
wrk_p99() { awk '$1 == "99%" {v = $2; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0; else if (v ~ /s$/) v = v * 1000; print v}' "$tmp/wrk.txt"; }
search_rps=$(wrk_rate "$search_url")
search_p99=$(wrk_p99)
# The same route a week from now: a day search keeps in memory (search.memory_days), where
# most travellers search; the page above is a day it reads from its snapshot.
near_url=$(sed -E "s/date=[0-9-]+/date=$(date -u -d '+7 days' +%F)/" <<<"$search_url")
near_rps=$(wrk_rate "$near_url")
near_p99=$(wrk_p99)
healthz_rps=$(wrk_rate "http://127.0.0.1:$travio_port/healthz")
{
  echo "search.rest_requests_per_second $search_rps"
  echo "search.rest_p99_ms $search_p99"
  echo "search.near_rest_requests_per_second $near_rps"
  echo "search.near_rest_p99_ms $near_p99"
  echo "search.healthz_rps $healthz_rps"
} | tee "$tmp/search.txt"
awk -v s="$search_rps" -v n="$near_rps" -v h="$healthz_rps" \
  'BEGIN { printf "search / healthz %.3f (a day in memory: %.3f)\n", s / h, n / h }'

echo "== 3. start to ready and idle memory, on the year's data"
stop_monolith
du -sh "$tmp/data" | awk '{print "data directory " $1}'
env TRAVIO_GATEWAY_CLIENT_LIMITS=off TRAVIO_SUBSCRIPTION_DEFAULT_PLAN=enterprise \
  "$bin/travio" serve --data-dir "$tmp/data" \
  --http-addr "127.0.0.1:$travio_port" --set log.level=warn >"$tmp/travio.log" 2>&1 &
travio_pid=$!
started=$(date +%s.%N)
ready=
for _ in $(seq 6000); do
  kill -0 "$travio_pid" 2>/dev/null || { cat "$tmp/travio.log" >&2; fail "travio exited on restart"; }
  if curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$travio_port/readyz" 2>/dev/null; then
    ready=$(date +%s.%N)
    break
  fi
  sleep 0.01
done
[[ -n $ready ]] || fail "travio was not ready within 60 s of its restart"
sleep 3
rss_kb=$(awk '$1 == "VmRSS:" {print $2}' "/proc/$travio_pid/status")
# The page is still there after the restart: the data it was measured on was loaded.
after=$(curl -fsS --max-time 5 "$search_url" | jq '.items | length')
[[ $after -ge $departures ]] || fail "after the restart search shows $after trips"
{
  awk -v a="$started" -v b="$ready" 'BEGIN { printf "start.ready_seconds %.3f\n", b - a }'
  awk -v k="$rss_kb" 'BEGIN { printf "start.idle_rss_mb %.1f\n", k / 1024 }'
} | tee "$tmp/start.txt"
stop_monolith

keep_figures "$tmp/year.txt" "$tmp/search.txt" "$tmp/start.txt"
