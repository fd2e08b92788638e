#!/usr/bin/env bash
# Installs what the test suite needs when it is missing, and fails loudly when it can't:
# Debian's postgresql, nats-server and prometheus (with promtool), a MinIO server and telemetrygen
# built with `go install`, and an OpenTelemetry Collector built with the collector builder from
# scripts/otelcol/builder-config.yaml, helm, Mailpit, and scripts/k8s-strict; the Go-built tools are cached in ~/.cache/o2ts/bin.
# Versions are pinned in scripts/test-deps-versions.env.
# The tests themselves also check (packages/testing ensureTool); doing it here first keeps the
# slow installs out of test timeouts.
set -euo pipefail

SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=test-deps-versions.env
. "$SCRIPTS/test-deps-versions.env"
CACHE_BIN="${XDG_CACHE_HOME:-$HOME/.cache}/o2ts/bin"
fatal() { echo "[deps] FATAL: $*" >&2; exit 1; }
apt_updated=0
need_apt() {
  if [ "$apt_updated" = 0 ]; then
    echo "[deps] apt-get update"
    apt-get update -qq || { echo "[deps] FATAL: apt-get update failed" >&2; exit 1; }
    apt_updated=1
  fi
  echo "[deps] apt-get install -y $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
    || { echo "[deps] FATAL: could not install $* (needed by the tests)" >&2; exit 1; }
}

if ! command -v pg_ctlcluster >/dev/null || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  need_apt postgresql
fi
if ! command -v nats-server >/dev/null; then
  need_apt nats-server
fi
need_go() { command -v go >/dev/null || need_apt golang-go; }
if [ ! -x /usr/bin/prometheus ] || [ ! -x /usr/bin/promtool ]; then
  need_apt prometheus
fi
prometheus_version="$(/usr/bin/prometheus --version 2>&1 | sed -n 's/^prometheus, version \([0-9]*\.[0-9]*\).*/\1/p')"
[ "$prometheus_version" = "$PROMETHEUS_VERSION" ] \
  || fatal "/usr/bin/prometheus is version '${prometheus_version}', the tests pin $PROMETHEUS_VERSION (Debian 12's package)"
# The web UI's browser tests drive Debian's chromium with playwright-core (never a downloaded build).
if ! command -v chromium >/dev/null; then
  need_apt chromium
fi
if [ ! -x "$CACHE_BIN/minio" ] && ! command -v minio >/dev/null; then
  need_go
  echo "[deps] go install github.com/minio/minio@latest -> $CACHE_BIN (takes a few minutes once)"
  mkdir -p "$CACHE_BIN"
  GOBIN="$CACHE_BIN" GOFLAGS=-trimpath go install github.com/minio/minio@latest \
    || { echo "[deps] FATAL: could not build the MinIO server (needed by the S3 tests)" >&2; exit 1; }
fi

OTELCOL_BIN="$CACHE_BIN/otelcol-o2ts-$OTELCOL_VERSION"
if [ ! -x "$OTELCOL_BIN" ]; then
  manifest="$SCRIPTS/otelcol/builder-config.yaml"
  # One collector release for the builder and every module, or the build fails late and obscurely.
  stray="$(grep -oE '\bv?[0-9]+\.[0-9]+\.[0-9]+\b' "$manifest" | sed 's/^v//' | sort -u | grep -vx "$OTELCOL_VERSION" || true)"
  [ -z "$stray" ] || fatal "$manifest pins $(echo "$stray" | tr '\n' ' ')but OTELCOL_VERSION is $OTELCOL_VERSION"
  need_go
  work="$(mktemp -d)"
  echo "[deps] building the OpenTelemetry Collector $OTELCOL_VERSION with the collector builder -> $OTELCOL_BIN (takes several minutes once)"
  GOBIN="$work/bin" GOFLAGS=-trimpath go install "go.opentelemetry.io/collector/cmd/builder@v$OTELCOL_VERSION" \
    || fatal "could not install the collector builder go.opentelemetry.io/collector/cmd/builder@v$OTELCOL_VERSION (needed by the OTLP tests)"
  cp "$manifest" "$work/builder-config.yaml"
  (cd "$work" && GOFLAGS=-trimpath nice -n 10 "$work/bin/builder" --config builder-config.yaml >"$work/build.log" 2>&1) \
    || { tail -40 "$work/build.log" >&2; fatal "the collector builder failed on $manifest (log above; needed by the OTLP tests)"; }
  mkdir -p "$CACHE_BIN"
  install -m 0755 "$work/build/otelcol-o2ts" "$OTELCOL_BIN"
  rm -rf "$work"
fi
TELEMETRYGEN_BIN="$CACHE_BIN/telemetrygen-$TELEMETRYGEN_VERSION"
if [ ! -x "$TELEMETRYGEN_BIN" ]; then
  need_go
  work="$(mktemp -d)"
  echo "[deps] go install telemetrygen@v$TELEMETRYGEN_VERSION -> $TELEMETRYGEN_BIN (takes a few minutes once)"
  GOBIN="$work" GOFLAGS=-trimpath nice -n 10 go install \
    "github.com/open-telemetry/opentelemetry-collector-contrib/cmd/telemetrygen@v$TELEMETRYGEN_VERSION" \
    || fatal "could not build telemetrygen v$TELEMETRYGEN_VERSION (needed by the OTLP tests)"
  mkdir -p "$CACHE_BIN"
  install -m 0755 "$work/telemetrygen" "$TELEMETRYGEN_BIN"
  rm -rf "$work"
fi
HELM_BIN="$CACHE_BIN/helm-$HELM_VERSION"
if [ ! -x "$HELM_BIN" ]; then
  need_go
  work="$(mktemp -d)"
  echo "[deps] go install helm@v$HELM_VERSION -> $HELM_BIN (takes a few minutes once)"
  GOBIN="$work" GOFLAGS=-trimpath nice -n 10 go install "helm.sh/helm/v3/cmd/helm@v$HELM_VERSION" \
    || fatal "could not build helm v$HELM_VERSION (needed by the chart tests)"
  mkdir -p "$CACHE_BIN"
  install -m 0755 "$work/helm" "$HELM_BIN"
  rm -rf "$work"
fi
MAILPIT_BIN="$CACHE_BIN/mailpit-$MAILPIT_VERSION"
if [ ! -x "$MAILPIT_BIN" ]; then
  need_go
  work="$(mktemp -d)"
  echo "[deps] go install mailpit@v$MAILPIT_VERSION -> $MAILPIT_BIN (takes a few minutes once)"
  GOBIN="$work" GOFLAGS=-trimpath nice -n 10 go install "github.com/axllent/mailpit@v$MAILPIT_VERSION" \
    || fatal "could not build mailpit v$MAILPIT_VERSION (needed by the e-mail delivery tests)"
  mkdir -p "$CACHE_BIN"
  install -m 0755 "$work/mailpit" "$MAILPIT_BIN"
  rm -rf "$work"
fi
# scripts/k8s-strict: its cached name carries the k8s.io release and a hash of its source, so an
# edit or a bump rebuilds it. Built from the Go module proxy only (no schema downloads).
K8S_STRICT_DIR="$SCRIPTS/k8s-strict"
grep -q "k8s.io/client-go v$K8S_API_VERSION\$" "$K8S_STRICT_DIR/go.mod" \
  || fatal "$K8S_STRICT_DIR/go.mod does not require k8s.io/client-go v$K8S_API_VERSION (K8S_API_VERSION)"
k8s_strict_hash="$(cat "$K8S_STRICT_DIR/main.go" "$K8S_STRICT_DIR/go.mod" "$K8S_STRICT_DIR/go.sum" | sha256sum | cut -c1-12)"
K8S_STRICT_BIN="$CACHE_BIN/k8s-strict-$K8S_API_VERSION-$k8s_strict_hash"
if [ ! -x "$K8S_STRICT_BIN" ]; then
  need_go
  echo "[deps] go build scripts/k8s-strict -> $K8S_STRICT_BIN (takes a minute or two once)"
  mkdir -p "$CACHE_BIN"
  (cd "$K8S_STRICT_DIR" && GOFLAGS=-trimpath nice -n 10 go build -o "$K8S_STRICT_BIN" .) \
    || fatal "could not build scripts/k8s-strict (needed by the chart tests)"
fi
echo "[deps] prometheus $prometheus_version: /usr/bin/prometheus, otelcol: $OTELCOL_BIN, telemetrygen: $TELEMETRYGEN_BIN, helm: $HELM_BIN, k8s-strict: $K8S_STRICT_BIN, mailpit: $MAILPIT_BIN"
echo "[deps] postgres: $(ls -d /usr/lib/postgresql/*/bin | head -1), nats-server: $(command -v nats-server), minio: $( [ -x "$CACHE_BIN/minio" ] && echo "$CACHE_BIN/minio" || command -v minio)"
