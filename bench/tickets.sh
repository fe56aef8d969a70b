#!/usr/bin/env bash
# bench/tickets.sh: the ticket benchmarks of docs/performance.md, on a release build.
#
#   1. Rendering: ticket PDFs per second (orders of 1 and 4 tickets, signed codes, a Bangla
#      name), beside pages carrying only the QR code (bench/ticket_render_bench.cc).
#   2. The monolith: complete bookings per second (16 clients; bench/booking_rest_bench.cc), the
#      reference the rendering rate is read against (can fulfillment keep up with sales? the
#      orders fulfilled by the end of the run, and how long the rest takes); then
#      16 buyers paying for one seat each while the time from each payment's answer to its
#      email's file in the mail directory is recorded (bench/ticket_email_bench.cc).
#
#   bench/tickets.sh     build the release targets, then measure (about a minute)
#   make bench           every benchmark, this one included
#
# Settings (environment): BENCH_SECONDS=10, BENCH_BUILD=1 (0: use build-release as it is).
# Everything listens on 127.0.0.1 and is stopped on exit. The load generators share the two
# cores with the server: read ratios, not absolutes.
set -euo pipefail

cd "$(dirname "$0")/.."

seconds=${BENCH_SECONDS:-10}
build=${BENCH_BUILD:-1}
bin=build-release/bin

fail() {
  echo "bench/tickets.sh: $*" >&2
  exit 1
}

programs=(travio travio_ticket_render_bench travio_ticket_email_bench travio_booking_rest_bench)
# shellcheck source=bench/lib.sh
source bench/lib.sh
release_programs "${programs[@]}"

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


# --- 1. Rendering ------------------------------------------------------------------------------
echo "== ticket PDFs (${seconds}s per case)"
"$bin/travio_ticket_render_bench" "$seconds" | tee "$tmp/render.txt"

# --- 2. The monolith ---------------------------------------------------------------------------
start_monolith TRAVIO_NOTIFICATION_EMAILS_PER_HOUR=100000
echo "== complete bookings (${seconds}s, 16 clients; tickets and emails made meanwhile)"
"$bin/travio_booking_rest_bench" "http://127.0.0.1:$travio_port" "$seconds" 16 250 |
  tee "$tmp/bookings.txt"
# Orders whose tickets were rendered, stored and sent (each booking is an order of one seat).
fulfilled() {
  curl -fsS "http://127.0.0.1:$travio_port/metrics" |
    awk '$1 == "travio_fulfillment_attempts_total{outcome=\"ok\"}" {n = $2} END {print n + 0}'
}
booked=$(awk '$1 == "booking.bookings" {print $2}' "$tmp/bookings.txt")
at_end=$(fulfilled)
drain_started=$(date +%s.%N)
for _ in $(seq 600); do
  (($(fulfilled | cut -d. -f1) >= ${booked%.*})) && break
  sleep 0.2
done
drained=$(fulfilled)
drain_seconds=$(echo "$(date +%s.%N) - $drain_started" | bc)
stop_monolith
awk -v booked="$booked" -v at_end="$at_end" -v drained="$drained" -v drain="$drain_seconds" '
  $1 == "booking.bookings_per_second" {bookings = $2} END {
    while ((getline line < "'"$tmp/render.txt"'") > 0) {
      if (line ~ /^tickets\/s, orders of 1 ticket, .* side by side/) { n = split(line, f); tickets = f[n - 1] } }
    printf "%-40s %12.2f\n", "orders fulfilled while booking / booked", at_end / booked
    printf "%-40s %12.1f s\n", "backlog drained after the load stopped", drain
    printf "%-40s %12.0f of %.0f\n", "orders fulfilled in the end", drained, booked
    printf "%-40s %12.2f\n", "render capacity (side by side) / bookings/s", tickets / bookings }' \
  "$tmp/bookings.txt"

start_monolith TRAVIO_NOTIFICATION_EMAILS_PER_HOUR=100000
echo "== payment to email (${seconds}s, 16 buyers of one seat each)"
"$bin/travio_ticket_email_bench" "http://127.0.0.1:$travio_port" "$tmp/data/mail" "$seconds" 16
stop_monolith
