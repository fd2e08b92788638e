#!/usr/bin/env bash
# Installs what the test suite needs when it is missing, and fails loudly when it can't:
# Debian's postgresql and nats-server, and a MinIO server built with `go install` into a cache.
# The tests themselves also check (packages/testing ensureTool); doing it here first keeps the
# slow installs out of test timeouts.
set -euo pipefail

CACHE_BIN="${XDG_CACHE_HOME:-$HOME/.cache}/o2ts/bin"
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
if [ ! -x "$CACHE_BIN/minio" ] && ! command -v minio >/dev/null; then
  command -v go >/dev/null || need_apt golang-go
  echo "[deps] go install github.com/minio/minio@latest -> $CACHE_BIN (takes a few minutes once)"
  mkdir -p "$CACHE_BIN"
  GOBIN="$CACHE_BIN" GOFLAGS=-trimpath go install github.com/minio/minio@latest \
    || { echo "[deps] FATAL: could not build the MinIO server (needed by the S3 tests)" >&2; exit 1; }
fi
echo "[deps] postgres: $(ls -d /usr/lib/postgresql/*/bin | head -1), nats-server: $(command -v nats-server), minio: $( [ -x "$CACHE_BIN/minio" ] && echo "$CACHE_BIN/minio" || command -v minio)"
