#!/usr/bin/env bash
# bench/summary.sh FIGURES: the table `make bench` ends with. FIGURES holds the lines the
# benchmark scripts kept ("name value [unit]", bench/lib.sh keep_figures), all from one run:
# each goal of docs/performance.md ("The booking fast path") with today's value, the
# reference measured beside it and their ratio. A figure a script did not measure shows "-".
set -euo pipefail
figures=${1:?usage: bench/summary.sh FIGURES}
[[ -r $figures ]] || { echo "bench/summary.sh: $figures not found" >&2; exit 1; }

awk '
  NF >= 2 && $2 ~ /^-?[0-9.]+$/ { value[$1] = $2 }
  function has(k) { return k in value }
  function show(v, f) { return v == "" ? "-" : sprintf(f, v) }
  # row(figure, value, value format, reference, reference format, goal text, ratio goal (>=), kind)
  function row(name, v, vf, r, rf, goal, want, kind,   ratio, verdict) {
    ratio = (v != "" && r != "" && r + 0 > 0) ? v / r : ""
    verdict = "-"
    if (kind == "ratio" && ratio != "") verdict = ratio >= want ? "met" : "not yet"
    if (kind == "below" && v != "") verdict = v + 0 < want ? "met" : "not yet"
    printf "| %-44s | %14s | %14s | %7s | %-16s | %-7s |\n", name, show(v, vf), show(r, rf),
      ratio == "" ? "-" : sprintf("%.3f", ratio), goal, verdict
  }
  function get(k) { return has(k) ? value[k] : "" }
  END {
    healthz = get("http.travio_healthz_rps")
    printf "| %-44s | %14s | %14s | %7s | %-16s | %-7s |\n", "figure", "value", "reference", "ratio", "goal", "verdict"
    printf "|%s|%s|%s|%s|%s|%s|\n", "----------------------------------------------", "----------------", "----------------", "---------", "------------------", "---------"
    row("REST holds/s (monolith, wrk) / GET /healthz", get("rest.wrk_holds_per_second"), "%.0f", healthz, "%.0f", ">= 0.5", 0.5, "ratio")
    row("  the same, a thread per client (libcurl)", get("rest.holds_per_second"), "%.0f", healthz, "%.0f", ">= 0.5", 0.5, "ratio")
    row("complete bookings/s (monolith) / /healthz", get("booking.bookings_per_second"), "%.0f", healthz, "%.0f", ">= 0.1", 0.1, "ratio")
    row("  bookings/s screened for fraud / unscreened", get("booking.bookings_per_second"), "%.0f", get("unscreened.bookings_per_second"), "%.0f", "measured", 0, "")
    row("  audit entries of sales/s / bookings/s", get("audit.sale_entries_per_second"), "%.0f", get("booking.bookings_per_second"), "%.0f", "6 (kept up)", 0, "")
    row("10,000 clients for 40 seats (wrk): p99 ms", get("race.wrk_p99"), "%.1f", "", "", "< 50 ms", 50, "below")
    row("  the same, a thread per client: p99 ms", get("race.p99"), "%.1f", "", "", "< 50 ms", 50, "below")
    row("10,000 clients for 40 seats: double sales", has("race.wrk_double_sales") || has("race.double_sales") ? get("race.wrk_double_sales") + get("race.double_sales") : "", "%.0f", "", "", "0 (both runs)", 0.5, "below")
    row("Redis hold script (redis-benchmark) / SET", get("redis.hold_script_benchmark_per_second"), "%.0f", get("redis.set_per_second"), "%.0f", ">= 0.7", 0.7, "ratio")
    row("  the same, 50 client threads (hiredis)", get("redis.hold_script_calls_per_second"), "%.0f", get("redis.set_per_second"), "%.0f", ">= 0.7", 0.7, "ratio")
    # bench/year.sh measures /healthz right after search, on the same server and data.
    search_reference = has("search.healthz_rps") ? get("search.healthz_rps") : healthz
    row("GET /v1/search (REST, wrk) / /healthz", get("search.rest_requests_per_second"), "%.0f", search_reference, "%.0f", ">= 0.5", 0.5, "ratio")
    if (has("search.near_rest_requests_per_second"))
      row("  the same, a day in memory (a week ahead)", get("search.near_rest_requests_per_second"), "%.0f", search_reference, "%.0f", ">= 0.5", 0.5, "ratio")
    row("GET /healthz / nginx static file", healthz, "%.0f", get("http.nginx_static_rps"), "%.0f", ">= 1.0", 1.0, "ratio")
    row("start to ready, a year of trips: s", get("start.ready_seconds"), "%.2f", "", "", "< 1 s", 1, "below")
    row("idle RSS, a year of trips: MB", get("start.idle_rss_mb"), "%.1f", "", "", "< 64 MB", 64, "below")
    row("bookings/s, microservices deployment", get("microservices.bookings_per_second"), "%.0f", "", "", "measured", 0, "")
  }
' "$figures"
