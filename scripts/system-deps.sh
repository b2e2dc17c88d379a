#!/usr/bin/env bash
# System services and packages the test suite needs: PostgreSQL running.
# (Debian packages are installed here as later parts of the suite need them.)
set -euo pipefail
if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if command -v pg_ctlcluster >/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  fi
fi
