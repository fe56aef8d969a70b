#!/usr/bin/env bash
# Prints the Secrets the Deployments of deploy/k8s mount, as YAML for `kubectl apply -f -`:
#   travio-tls-<target>  ca.pem, <target>.pem and <target>.key (never the CA key)
#   travio-secrets       passwords and keys, from an env file (see deploy/k8s/README section
#                        in deploy/README.md for its variables)
# Nothing is written to disk. Usage:
#   deploy/k8s/secrets.sh CERTS_DIR SECRETS_ENV_FILE | kubectl apply -n travio -f -
#   deploy/k8s/secrets.sh --names     # the Secret names only (deploy/check.sh uses it)
set -euo pipefail
targets=(gateway identity notification operator catalog subscription inventory search payment
         order queue fulfillment pricing fraud audit reporting)
if [[ "${1:-}" == "--names" ]]; then
  names=(travio-secrets)
  for t in "${targets[@]}"; do names+=("travio-tls-$t"); done
  (IFS=,; echo "${names[*]}")
  exit 0
fi
if [[ $# -ne 2 ]]; then
  echo "usage: $0 CERTS_DIR SECRETS_ENV_FILE | kubectl apply -n NAMESPACE -f -" >&2
  exit 2
fi
certs=$1 env_file=$2
for t in "${targets[@]}"; do
  for f in ca.pem "$t.pem" "$t.key"; do
    [[ -f "$certs/$f" ]] || { echo "$0: missing $certs/$f (travio certs init --out $certs)" >&2; exit 1; }
  done
  echo "---"
  kubectl create secret generic "travio-tls-$t" --dry-run=client -o yaml \
    --from-file="$certs/ca.pem" --from-file="$certs/$t.pem" --from-file="$certs/$t.key"
done
for key in postgres-dsn redis-password rabbitmq-password payment-webhook-secret s3-access-key \
           s3-secret-key; do
  grep -q "^$key=." "$env_file" || { echo "$0: $env_file has no value for $key" >&2; exit 1; }
done
echo "---"
kubectl create secret generic travio-secrets --dry-run=client -o yaml --from-env-file="$env_file"
