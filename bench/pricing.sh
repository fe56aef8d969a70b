#!/usr/bin/env bash
# bench/pricing.sh: the pricing benchmarks of docs/performance.md, on a release build, each beside
# its reference in the same run.
#
#   1. Rules in memory: ten realistic rules (bench/pricing_rules.h) compiled once, pricing
#      generated seats, beside a plain C++ function computing the same prices; every price is
#      checked against it (bench/pricing_bench.cc).
#   2. REST, the monolith: holds per second (hold then release, 20 trips, 16 clients) while the
#      operator has no rules, then with the ten rules saved (bench/pricing_rest_bench.cc).
#
#   bench/pricing.sh         build the release targets, then measure (about 1 minute)
#   make bench               every benchmark script, this one among them
#
# Settings (environment): BENCH_SECONDS=10, BENCH_BUILD=1 (0: use build-release as it is).
set -euo pipefail

cd "$(dirname "$0")/.."

seconds=${BENCH_SECONDS:-10}
build=${BENCH_BUILD:-1}
bin=build-release/bin

fail() {
  echo "bench/pricing.sh: $*" >&2
  exit 1
}

# shellcheck source=bench/lib.sh
source bench/lib.sh
release_programs travio travio_pricing_bench travio_pricing_rest_bench

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
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM


echo "== ten rules compiled once vs the same prices in plain C++ (20,000 seats, 5 rounds)"
"$bin/travio_pricing_bench" 20000 5

start_monolith
echo "== REST: holds per second without rules, then with ten; 16 clients, ${seconds}s each"
"$bin/travio_pricing_rest_bench" "http://127.0.0.1:$travio_port" "$seconds" 16
