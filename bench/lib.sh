# bench/lib.sh: what the benchmark scripts share, sourced after they define `fail` and `tmp`.

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
