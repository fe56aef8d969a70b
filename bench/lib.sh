# bench/lib.sh: what the benchmark scripts share, sourced after they define `fail`, `bin` and
# `build` (and `tmp` before they start a server).

# release_programs PROGRAM...: builds them with the release preset when `build` is 1, then
# checks that each is in $bin.
release_programs() {
  if [[ $build == 1 ]]; then
    echo "== building the release targets"
    cmake --preset release >/dev/null
    cmake --build --preset release --target "$@"
  fi
  local program
  for program in "$@"; do
    [[ -x $bin/$program ]] || fail "$bin/$program not found; build the release preset"
  done
}

# A loopback port nobody listens on now.
free_port() {
  local port
  for _ in $(seq 200); do
    port=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  fail "found no free loopback port"
}

# Starts a throwaway redis-server (no persistence) in $tmp and sets `redis_port`. The port was
# free when probed; the server answering on it is checked to be the one started here (another
# program may have taken the port in between) before anything writes to it or stops it.
start_redis() {
  redis_port=$(free_port)
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --dir "$tmp" --pidfile "$tmp/redis.pid" --logfile "$tmp/redis.log"
  for _ in $(seq 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.05; done
  local started_pid answering_pid
  started_pid=$(cat "$tmp/redis.pid" 2>/dev/null || true)
  answering_pid=$(redis-cli -p "$redis_port" info server 2>/dev/null | tr -d '\r' |
    awk -F: '$1 == "process_id" {print $2}')
  if [[ -z $started_pid || $started_pid != "$answering_pid" ]]; then
    redis_port=
    fail "the redis-server started here is not the one answering on its port; run again"
  fi
}

# Starts the release monolith ($bin/travio) on a free loopback port with an empty data
# directory and sets `travio_port` and `travio_pid`. Client limits and the connection cap per
# address are off (every load-generator client comes from 127.0.0.1), and new organizations are
# on the unlimited plan (a load is not a plan's business); arguments VAR=value add to its
# environment. Fails with the server's log when it exits or is not ready within 20 s.
start_monolith() {
  travio_port=$(free_port)
  rm -rf "$tmp/data" && mkdir -p "$tmp/data"
  env TRAVIO_GATEWAY_CLIENT_LIMITS=off TRAVIO_HTTP_MAX_CONNECTIONS_PER_ADDRESS=0 \
    TRAVIO_CATALOG_STATION_REGISTRARS='*' TRAVIO_SUBSCRIPTION_DEFAULT_PLAN=enterprise "$@" \
    "$bin/travio" serve --data-dir "$tmp/data" --http-addr "127.0.0.1:$travio_port" \
    --set log.level=warn >"$tmp/travio.log" 2>&1 &
  travio_pid=$!
  for _ in $(seq 200); do
    kill -0 "$travio_pid" 2>/dev/null || { cat "$tmp/travio.log" >&2; fail "travio exited before it was ready"; }
    curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$travio_port/readyz" 2>/dev/null && return 0
    sleep 0.1
  done
  cat "$tmp/travio.log" >&2
  fail "travio was not ready within 20 s"
}

# Stops what start_monolith started.
stop_monolith() {
  kill -TERM "$travio_pid" && wait "$travio_pid" || true
  travio_pid=
}

# Keeps the figures ("name value [unit]" lines) of the files given, for the table `make bench`
# ends with (bench/summary.sh), when BENCH_FIGURES names where to keep them.
keep_figures() {
  [[ -n ${BENCH_FIGURES:-} ]] || return 0
  awk 'NF >= 2 && $1 ~ /^[a-z_]+\.[a-z0-9_.]+$/ && $2 ~ /^-?[0-9.]+$/ { print $1, $2 }' "$@" \
    >>"$BENCH_FIGURES"
}
