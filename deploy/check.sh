#!/usr/bin/env bash
# Offline checks of the deployment files; no container engine, cluster or network needed.
#   1. deploy/compose.yaml renders with deploy/.env.example, and refuses to without passwords;
#   1b. each travio service mounts only its own target's certificates, only the certs job the
#      CA's key, and gateways trust X-Forwarded-For from the load balancer's address alone;
#   2. with a built travio (TRAVIO_BIN, default build/bin/travio), every TRAVIO_* variable and
#      config file compose gives a travio service is accepted by `travio config print`;
#   3. deploy/k8s/base matches deploy/k8s/generate.py and configs/microservices/;
#   4. the base and each kustomize overlay render, and its objects pass deploy/check/validate.mjs (schemas,
#      unknown fields, references);
#   5. deploy/observability: the scrape configs match compose and k8s, and every PromQL
#      expression of the alerts and the dashboard parses and names only metrics the code registers;
#      and the rules pass their unit tests (promtool test rules alerts_test.yml).
# Needs: docker-compose (Debian 1.29), kubectl (Debian's kubernetes-client; KUBECTL overrides),
# promtool (scripts/bootstrap unpacks it into var/tools; PROMTOOL overrides),
# python3, node and npm (deploy/check/package-lock.json is installed with npm ci when needed).
set -euo pipefail
cd "$(dirname "$0")/.."
KUBECTL=${KUBECTL:-kubectl}
TRAVIO_BIN=${TRAVIO_BIN:-build/bin/travio}
failed=0
step() { echo "== $*"; }
fail() { echo "FAIL: $*" >&2; failed=1; }

if [[ ! -f deploy/check/node_modules/.package-lock.json ||
      deploy/check/package-lock.json -nt deploy/check/node_modules/.package-lock.json ]]; then
  (cd deploy/check && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

step "compose: deploy/compose.yaml with deploy/.env.example"
docker-compose -f deploy/compose.yaml --env-file deploy/.env.example config -q ||
  fail "docker-compose config"
empty=$(mktemp)
trap 'rm -f "$empty"' EXIT
if env -u POSTGRES_PASSWORD -u REDIS_PASSWORD -u RABBITMQ_PASSWORD -u S3_ACCESS_KEY \
    -u S3_SECRET_KEY -u PAYMENT_WEBHOOK_SECRET \
    docker-compose -f deploy/compose.yaml --env-file "$empty" config -q 2>/dev/null; then
  fail "compose renders without passwords"
fi

step "compose: each service holds its own key only; the CA's key and trust stay narrow"
docker-compose -f deploy/compose.yaml --env-file deploy/.env.example config |
  node deploy/check/compose-isolation.mjs || fail "compose isolation"

if [[ -x "$TRAVIO_BIN" ]]; then
  step "compose: every travio service's config accepted by $TRAVIO_BIN config print"
  docker-compose -f deploy/compose.yaml --env-file deploy/.env.example config |
    node deploy/check/compose-services.mjs |
    while IFS=$'\t' read -r service config environment; do
      # The image's configs/ is /etc/travio; its ENV sets data_dir and http.static_dir.
      # shellcheck disable=SC2086
      if ! out=$(env -i PATH="$PATH" TRAVIO_DATA_DIR=/var/lib/travio \
          TRAVIO_HTTP_STATIC_DIR=/usr/share/travio/web $environment \
          "$TRAVIO_BIN" config print --config "configs/${config#/etc/travio/}" 2>&1); then
        echo "FAIL: $service: $out" >&2; exit 1
      fi
    done || fail "travio config print"
else
  echo "(skipped: no $TRAVIO_BIN to check the config keys of compose.yaml)"
fi

step "k8s: base generated from deploy/k8s/generate.py and configs/microservices"
python3 deploy/k8s/generate.py --check || fail "deploy/k8s/base is out of date"

secrets=$(deploy/k8s/secrets.sh --names)
for overlay in deploy/k8s/base/ deploy/k8s/overlays/*/; do
  step "k8s: $overlay"
  if rendered=$("$KUBECTL" kustomize "$overlay"); then
    node deploy/check/validate.mjs --secrets "$secrets" <<<"$rendered" || fail "$overlay"
  else
    fail "kubectl kustomize $overlay"
  fi
done

step "observability: scrape configs, alerts.yml and grafana-dashboard.json against the code's metrics"
node deploy/check/observability.mjs || fail "observability"

# promtool: scripts/bootstrap unpacks it from Debian's prometheus package into var/tools
# (installing the package would start a Prometheus server); PROMTOOL or one on PATH wins.
PROMTOOL=${PROMTOOL:-$(command -v promtool || echo var/tools/promtool)}
step "observability: promtool test rules deploy/observability/alerts_test.yml"
if [[ -x "$PROMTOOL" ]]; then
  "$PROMTOOL" test rules deploy/observability/alerts_test.yml >/dev/null || fail "promtool test rules"
else
  fail "promtool: none at $PROMTOOL; run scripts/bootstrap"
fi

if [[ $failed -ne 0 ]]; then echo "deploy/check.sh: FAILED"; exit 1; fi
echo "deploy/check.sh: all passed"
