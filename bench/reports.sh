#!/usr/bin/env bash
# bench/reports.sh: reports over a year of a large operator (docs/performance.md, "Reports").
#
#   travio_report_queries_bench feeds the reporting service, on SQLite as the monolith keeps it,
#   the events of 50 routes x 100,000 trips and five bookings each (about 2 million seat-legs
#   sold, one booking in twenty partly cancelled), and writes the same bookings as rows of the
#   order service's `orders` table. It then times each report (the median of five runs; the
#   every-page exports once) beside a direct SQL aggregate over `orders` (revenue by day: a
#   count and a sum) in the same run, and checks every report's totals against the data.
#
#   bench/reports.sh         build the release target, then measure (about 2 minutes)
#   make bench               every benchmark, this one included
#
# Settings (environment): BENCH_BUILD=1 (0: use build-release as it is), BENCH_REPORT_ROUTES=50,
# BENCH_REPORT_TRIPS=100000, BENCH_REPORT_BOOKINGS_PER_TRIP=5.
set -euo pipefail

cd "$(dirname "$0")/.."

build=${BENCH_BUILD:-1}
bin=build-release/bin

fail() {
  echo "bench/reports.sh: $*" >&2
  exit 1
}

# shellcheck source=bench/lib.sh
source bench/lib.sh
release_programs travio_report_queries_bench

tmp=$(mktemp -d "${TMPDIR:-/tmp}/travio-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "== reports over a year: ${BENCH_REPORT_ROUTES:-50} routes, ${BENCH_REPORT_TRIPS:-100000} trips"
"$bin/travio_report_queries_bench" "$tmp" "${BENCH_REPORT_ROUTES:-50}" \
  "${BENCH_REPORT_TRIPS:-100000}" "${BENCH_REPORT_BOOKINGS_PER_TRIP:-5}" | tee "$tmp/reports.txt"
awk '$1 ~ /_ms$/ {print "reports." $1, $2; if ($3 == "ratio") print "reports." $1 "_ratio", $4}
     $1 == "ingest_events_per_second" {print "reports.ingest_events_per_second", $2}' \
  "$tmp/reports.txt" >"$tmp/figures.txt"
keep_figures "$tmp/figures.txt"
