#!/usr/bin/env bash
# System services and Debian packages the test suite needs:
#   PostgreSQL installed and running (the tests use a real PostgreSQL);
#   fonts-noto-cjk (Chinese text in PDFs and pages), fonts-ocr-b (the MRZ on the e-visa);
#   chromium (browser tests drive Debian's Chromium with Playwright; no browser download).
#   haproxy (the cluster test puts two `kvisa serve` nodes behind it, round robin).
set -euo pipefail
if [ "$(id -u)" = 0 ]; then apt=(apt-get); else apt=(sudo apt-get); fi
# `--fonts`: only the fonts the documents embed (what `make demo` needs)
wanted=(fonts-noto-cjk fonts-ocr-b chromium haproxy)
[ "${1:-}" = --fonts ] && wanted=(fonts-noto-cjk fonts-ocr-b)
missing=()
for package in "${wanted[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ "${1:-}" = --fonts ]; then
  if [ ${#missing[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" update -q
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -q --no-install-recommends "${missing[@]}"
  fi
  exit 0
fi
# A local PostgreSQL, unless the tests are pointed at another one.
local_pg=${KVISA_TEST_DATABASE_URL:+no}
if [ "${local_pg:-yes}" = yes ] && ! command -v pg_ctlcluster >/dev/null; then
  missing+=(postgresql)
fi
if [ ${#missing[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" update -q
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -q --no-install-recommends "${missing[@]}"
fi
if [ "${local_pg:-yes}" = yes ] && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  cluster_version="$(ls /etc/postgresql | head -n1)"
  pg_ctlcluster --skip-systemctl-redirect "$cluster_version" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
# The tests connect as postgres over TCP without a password (KVISA_TEST_DATABASE_URL
# overrides): a freshly installed Debian cluster asks for one, so say so plainly.
if command -v psql >/dev/null && ! psql "${KVISA_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}" \
     -Atqc 'select 1' >/dev/null 2>&1; then
  echo "PostgreSQL is running but the tests cannot sign in as" \
       "${KVISA_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres};" \
       "set KVISA_TEST_DATABASE_URL to a database URL they can use." >&2
  exit 2
fi
