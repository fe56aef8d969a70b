#!/usr/bin/env bash
# bench/microservices.sh: complete bookings per second in the microservices deployment
# (docs/performance.md, "The booking fast path"), and where its CPU time goes.
#
#   travio_microservices_deployment starts throwaway PostgreSQL, Redis, a Redis Cluster,
#   RabbitMQ and an S3 server on loopback (as the test harness does: PostgreSQL without fsync)
#   and one `travio serve --target=X` process per service over gRPC with mutual TLS. Then
#   travio_booking_rest_bench books for BENCH_SECONDS with 16 clients through the gateway (hold,
#   order with an Idempotency-Key, card payment through the saga), and the CPU seconds each
#   process (and each server) used during the run are read from /proc: the busiest is the
#   bottleneck on this machine, where every process shares the same two cores.
#
#   bench/microservices.sh   build the release targets, then measure (about 1 minute)
#   make bench               every benchmark, this one included
#
# Settings (environment): BENCH_SECONDS=10, BENCH_BUILD=1 (0: use build-release as it is),
# BENCH_CLIENTS=16 (booking clients at once); BENCH_TRAVIO_X=V reaches every process as TRAVIO_X=V.
set -euo pipefail

cd "$(dirname "$0")/.."

seconds=${BENCH_SECONDS:-10}
build=${BENCH_BUILD:-1}
clients=${BENCH_CLIENTS:-16}
bin=build-release/bin

fail() {
  echo "bench/microservices.sh: $*" >&2
  exit 1
}

# shellcheck source=bench/lib.sh
source bench/lib.sh
release_programs travio travio_microservices_deployment travio_booking_rest_bench

tmp=$(mktemp -d "${TMPDIR:-/tmp}/travio-bench.XXXXXX")
deployment_pid=
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n $deployment_pid ]]; then
    kill -TERM "$deployment_pid" 2>/dev/null || true
    wait "$deployment_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT INT TERM

echo "== starting the deployment (servers, certificates, thirteen processes)"
TRAVIO_TEST_BINARY="$PWD/$bin/travio" TMPDIR="$tmp" "$bin/travio_microservices_deployment" \
  >"$tmp/deployment.txt" 2>"$tmp/deployment.log" &
deployment_pid=$!
url=
for _ in $(seq 1200); do
  kill -0 "$deployment_pid" 2>/dev/null || { cat "$tmp/deployment.log" >&2; fail "the deployment did not start"; }
  url=$(awk '$1 == "url" {print $2}' "$tmp/deployment.txt")
  [[ -n $url ]] && grep -q '^server s3 ' "$tmp/deployment.txt" && break
  url=
  sleep 0.1
done
[[ -n $url ]] || fail "the deployment was not ready within 120 s"
echo "gateway at $url"

# CPU seconds (user + system) of every process that serves the deployment: the thirteen
# services by name, each server by the process listening on its port (PostgreSQL with its
# backends, RabbitMQ's Erlang VM, Redis, the S3 stand-in).
ticks=$(getconf CLK_TCK)
process_seconds() { # PID...: their CPU seconds together
  local pid total=0
  for pid in "$@"; do
    total=$(awk -v t="$total" -v k="$ticks" '{print t + ($14 + $15) / k}' "/proc/$pid/stat" 2>/dev/null || echo "$total")
  done
  echo "$total"
}
cpu_seconds() {
  local service pid port listener
  while read -r _ service pid; do
    echo "$service $(process_seconds "$pid")"
  done < <(grep '^pid ' "$tmp/deployment.txt")
  while read -r _ service port; do
    listener=$(ss -ltnpH "sport = :$port" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
    [[ -n $listener ]] || continue
    # shellcheck disable=SC2046
    echo "$service $(process_seconds "$listener" $(pgrep -P "$listener"))"
  done < <(grep '^server ' "$tmp/deployment.txt")
}

echo "== complete bookings (${seconds}s, $clients clients, 250 trips)"
# The CPU times are read when the program says its measured run starts and ends (stderr).
"$bin/travio_booking_rest_bench" "$url" "$seconds" "$clients" 250 >"$tmp/bookings.txt" 2>"$tmp/phase.txt" &
bench_pid=$!
await_phase() {
  for _ in $(seq 3000); do
    grep -qx "== $1" "$tmp/phase.txt" && return 0
    kill -0 "$bench_pid" 2>/dev/null || break
    sleep 0.05
  done
  cat "$tmp/phase.txt" >&2
  fail "the booking run did not reach '$1'"
}
await_phase measuring
# What PostgreSQL's sessions do meanwhile, five times a second: working, waiting for a lock or
# I/O, or waiting for the travio process to send its next statement (ClientRead).
postgres_port=$(awk '$1 == "server" && $2 == "postgres" {print $3}' "$tmp/deployment.txt")
: >"$tmp/postgres_sessions.txt"
(
  while ! grep -qx "== measured" "$tmp/phase.txt"; do
    psql -At -h 127.0.0.1 -p "$postgres_port" -U postgres -d postgres -c \
      "SELECT coalesce(wait_event_type || ':' || wait_event, 'on CPU') || ', ' || state
         FROM pg_stat_activity
        WHERE backend_type = 'client backend' AND state <> 'idle' AND pid <> pg_backend_pid()" \
      >>"$tmp/postgres_sessions.txt" 2>/dev/null || true
    sleep 0.2
  done
) &
sampler_pid=$!
cpu_seconds >"$tmp/cpu.before"
await_phase measured
wait "$sampler_pid" || true
cpu_seconds >"$tmp/cpu.after"
wait "$bench_pid" || { cat "$tmp/phase.txt" >&2; fail "the booking run failed"; }
cat "$tmp/bookings.txt"
sed -n 's/^booking\./microservices./p' "$tmp/bookings.txt" >"$tmp/figures.txt"

echo "== CPU seconds per process during the run (2 cores: at most $((2 * seconds)) in all)"
join <(sort "$tmp/cpu.before") <(sort "$tmp/cpu.after") |
  awk '{printf "%-14s %6.2f\n", $1, $3 - $2}' | sort -k2 -nr | tee "$tmp/cpu.txt"
awk '{s += $2} END {printf "%-14s %6.2f\n", "all", s}' "$tmp/cpu.txt"
busiest=$(head -1 "$tmp/cpu.txt")
echo "busiest: $busiest"
echo "== PostgreSQL sessions in a transaction or a statement, by what they were doing (samples)"
sort "$tmp/postgres_sessions.txt" | uniq -c | sort -nr | head -8
keep_figures "$tmp/figures.txt"
