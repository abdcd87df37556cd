#!/usr/bin/env bash
# System packages the tests need, on Debian (run as root; a no-op for what is already there):
# Debian's Chromium for the browser tests (Playwright drives it; browsers cannot be downloaded),
# CJK fonts so that screenshots and PNG output show Chinese, and PostgreSQL + PostGIS running
# on localhost for tests/test_store.py (.ci/postgres.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
  echo "system-deps.sh: run it as root (apt-get install chromium fonts-noto-cjk postgresql postgis)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -q "Noto Sans CJK"; then
  apt-get update -qq
  apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
bash .ci/postgres.sh >/dev/null
