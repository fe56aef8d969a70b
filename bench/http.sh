#!/usr/bin/env bash
# bench/http.sh: requests per second and latency of `GET /healthz` on a release build of the
# monolith, against nginx serving a small static file on the same machine in the same run.
#
#   bench/http.sh            build the release preset, then measure (about 45 s of load)
#   make bench               the same, after installing wrk and nginx (scripts/bootstrap --bench)
#
# Both servers are measured one after the other with the same wrk command
# (`wrk -t2 -c64 -d10s --latency`), each after a short warm-up, alone on the machine: the load
# generator shares the cores with the server, so read the numbers as a ratio against nginx, not
# as absolutes (docs/performance.md). Everything listens on 127.0.0.1 and is stopped on exit.
#
# Settings (environment; BENCH_* rather than TRAVIO_*, which travio reads as config keys):
#   BENCH_SECONDS=10        length of each measured run
#   BENCH_WARMUP_SECONDS=2  length of the warm-up run before each measurement
#   BENCH_THREADS=2 BENCH_CONNECTIONS=64
#   BENCH_BUILD=1           0 skips the release build (uses BENCH_TRAVIO as it is)
#   BENCH_TRAVIO=build-release/bin/travio  BENCH_NGINX=/usr/sbin/nginx
#   BENCH_VERBOSE=0         1 also prints wrk's full output
set -euo pipefail

cd "$(dirname "$0")/.."

seconds=${BENCH_SECONDS:-10}
warmup_seconds=${BENCH_WARMUP_SECONDS:-2}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-64}
build=${BENCH_BUILD:-1}
travio=${BENCH_TRAVIO:-build-release/bin/travio}
nginx=${BENCH_NGINX:-/usr/sbin/nginx}
verbose=${BENCH_VERBOSE:-0}

fail() {
  echo "bench/http.sh: $*" >&2
  exit 1
}

for number in "$seconds" "$warmup_seconds" "$threads" "$connections"; do
  [[ $number =~ ^[0-9]+$ && $number -gt 0 ]] || fail "BENCH_* counts must be positive integers, got \"$number\""
done
command -v wrk >/dev/null || fail "wrk is not installed; run scripts/bootstrap --bench"
command -v curl >/dev/null || fail "curl is not installed; run scripts/bootstrap"
[[ -x $nginx ]] || fail "$nginx not found; run scripts/bootstrap --bench (Debian package nginx-light)"

if [[ $build == 1 ]]; then
  echo "== building the release preset"
  cmake --preset release >/dev/null
  cmake --build --preset release --target travio
fi
[[ -x $travio ]] || fail "$travio not found; build it with make release"

# --- processes and cleanup ------------------------------------------------------------------

tmp=$(mktemp -d "${TMPDIR:-/tmp}/travio-bench.XXXXXX")
# nginx started as root runs its workers as nobody, which must reach the document root.
chmod 755 "$tmp"
travio_pid=
nginx_pid=

# Stops one process we started, by its id: `signal`, then SIGKILL after 5 s.
stop_process() {
  local pid=$1 signal=$2
  [[ -n $pid ]] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill "-$signal" "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_process "$travio_pid" TERM
  stop_process "$nginx_pid" QUIT
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A loopback port nothing listens on now, below the kernel's ephemeral range (32768+) so wrk's
# own client sockets cannot take it. Racy like any free-port probe; startup errors are reported.
used_ports=()
free_port() {
  local port
  for _ in $(seq 200); do
    port=$((20000 + RANDOM % 12000))
    [[ " ${used_ports[*]} " == *" $port "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      used_ports+=("$port")
      echo "$port"
      return 0
    fi
  done
  fail "found no free loopback port"
}

# Waits up to 20 s for `url` to answer 2xx while process `pid` lives; shows `log` on failure.
wait_for() {
  local url=$1 pid=$2 log=$3
  for _ in $(seq 200); do
    if ! kill -0 "$pid" 2>/dev/null; then
      cat "$log" >&2 || true
      fail "the server exited before answering $url"
    fi
    curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null && return 0
    sleep 0.1
  done
  cat "$log" >&2 || true
  fail "$url did not answer within 20 s"
}

# --- measuring ------------------------------------------------------------------------------

# run_wrk NAME URL: a warm-up, then the measured run, saved in $tmp/NAME.wrk.
run_wrk() {
  local name=$1 url=$2
  echo "== $name: warm-up ${warmup_seconds}s, then wrk -t$threads -c$connections -d${seconds}s --latency $url"
  timeout --foreground $((warmup_seconds + 30)) wrk -t"$threads" -c"$connections" -d"${warmup_seconds}s" "$url" >/dev/null
  timeout --foreground $((seconds + 30)) wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$url" \
    >"$tmp/$name.wrk"
  [[ $verbose == 1 ]] && cat "$tmp/$name.wrk"
  return 0
}

# parse_wrk NAME: prints "requests_per_second p50_ms p99_ms bad_responses socket_errors".
parse_wrk() {
  awk '
    function ms(v) {
      if (v ~ /us$/) return v / 1000
      if (v ~ /ms$/) return v + 0
      if (v ~ /m$/) return v * 60000
      if (v ~ /s$/) return v * 1000
      return v + 0
    }
    /^Requests\/sec:/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx or 3xx responses:/ { bad = $NF }
    /Socket errors:/ {
      # "Socket errors: connect 0, read 0, write 0, timeout 3"
      for (i = 3; i <= NF; i += 2) { n = $(i + 1); sub(/,/, "", n); errors += n }
    }
    END { printf "%s %.3f %.3f %d %d\n", rps == "" ? 0 : rps, p50, p99, bad, errors }
  ' "$tmp/$1.wrk"
}

# --- travio ---------------------------------------------------------------------------------

travio_port=$(free_port)
mkdir -p "$tmp/data"
"$travio" serve --data-dir "$tmp/data" --http-addr "127.0.0.1:$travio_port" \
  --set log.level=warn --set http.shutdown_grace=2s >"$tmp/travio.log" 2>&1 &
travio_pid=$!
wait_for "http://127.0.0.1:$travio_port/readyz" "$travio_pid" "$tmp/travio.log"
run_wrk travio "http://127.0.0.1:$travio_port/healthz"
travio_version=$("$travio" version 2>/dev/null || echo "travio (unknown version)")
# Stopped before nginx starts, so each server has the machine to itself.
stop_process "$travio_pid" TERM
travio_pid=

# --- nginx ----------------------------------------------------------------------------------

nginx_port=$(free_port)
nginx_dir="$tmp/nginx"
mkdir -p "$nginx_dir/html"
chmod 755 "$nginx_dir" "$nginx_dir/html"
# The same 15 bytes and content type as travio's /healthz answer.
printf '%s' '{"status":"ok"}' >"$nginx_dir/html/healthz.json"
chmod 644 "$nginx_dir/html/healthz.json"

# Temporary-file paths default to /var/lib/nginx, which a non-root user cannot create; keep
# them in the temp dir too, for the modules this nginx was built with.
temp_paths="client_body_temp_path $nginx_dir/client_body;"
nginx_build=$("$nginx" -V 2>&1)
for module in proxy fastcgi uwsgi scgi; do
  if [[ $nginx_build != *"--without-http_${module}_module"* ]]; then
    temp_paths+=$'\n'"  ${module}_temp_path $nginx_dir/$module;"
  fi
done

cat >"$nginx_dir/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 2;
pid $nginx_dir/nginx.pid;
error_log $nginx_dir/error.log warn;
events {}
http {
  access_log off;
  $temp_paths
  types { application/json json; }
  server {
    listen 127.0.0.1:$nginx_port;
    root $nginx_dir/html;
    # The reference: a small static file.
    location = /healthz.json {}
    # For comparison: an answer from the configuration, no file system involved.
    location = /healthz { default_type application/json; return 200 '{"status":"ok"}'; }
  }
}
EOF

"$nginx" -p "$nginx_dir" -e "$nginx_dir/error.log" -c "$nginx_dir/nginx.conf" -t -q \
  || fail "nginx rejected the generated configuration ($nginx_dir/nginx.conf)"
"$nginx" -p "$nginx_dir" -e "$nginx_dir/error.log" -c "$nginx_dir/nginx.conf" \
  >"$nginx_dir/stdout.log" 2>&1 &
nginx_pid=$!
wait_for "http://127.0.0.1:$nginx_port/healthz.json" "$nginx_pid" "$nginx_dir/error.log"
run_wrk nginx-static "http://127.0.0.1:$nginx_port/healthz.json"
run_wrk nginx-return "http://127.0.0.1:$nginx_port/healthz"
nginx_version=$("$nginx" -v 2>&1 | sed 's/^nginx version: nginx\///')
stop_process "$nginx_pid" QUIT
nginx_pid=

# --- report ---------------------------------------------------------------------------------

read -r travio_rps travio_p50 travio_p99 travio_bad travio_errors < <(parse_wrk travio)
read -r static_rps static_p50 static_p99 static_bad static_errors < <(parse_wrk nginx-static)
read -r return_rps return_p50 return_p99 return_bad return_errors < <(parse_wrk nginx-return)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
echo
echo "GET /healthz, wrk -t$threads -c$connections -d${seconds}s --latency, loopback, $(nproc) cores${cpu:+ ($cpu)}"
echo "$travio_version; nginx $nginx_version; $(date -u +%Y-%m-%dT%H:%MZ)"
echo
printf '%-34s %12s %10s %10s %8s\n' "server" "requests/s" "p50 ms" "p99 ms" "errors"
printf '%-34s %12.0f %10.3f %10.3f %8d\n' "travio GET /healthz" "$travio_rps" "$travio_p50" \
  "$travio_p99" $((travio_bad + travio_errors))
printf '%-34s %12.0f %10.3f %10.3f %8d\n' "nginx static file (reference)" "$static_rps" \
  "$static_p50" "$static_p99" $((static_bad + static_errors))
printf '%-34s %12.0f %10.3f %10.3f %8d\n' "nginx return 200 (no file)" "$return_rps" \
  "$return_p50" "$return_p99" $((return_bad + return_errors))
echo
printf 'http.travio_healthz_rps %s\nhttp.nginx_static_rps %s\nhttp.nginx_return_rps %s\n' \
  "$travio_rps" "$static_rps" "$return_rps" >"$tmp/figures.txt"
source bench/lib.sh
keep_figures "$tmp/figures.txt"
echo "ratio travio / nginx static file: $(ratio "$travio_rps" "$static_rps")"
echo "ratio travio / nginx return 200:  $(ratio "$travio_rps" "$return_rps")"
if ((travio_bad + travio_errors + static_bad + static_errors + return_bad + return_errors > 0)); then
  echo "warning: some requests failed (non-2xx answers or socket errors); rerun with BENCH_VERBOSE=1" >&2
fi
