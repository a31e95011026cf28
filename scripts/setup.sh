#!/usr/bin/env bash
# Set up a fresh machine: a virtualenv with the package and its test tools, and Debian's
# Chromium for the browser tests. Safe to run again; it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test,dask]'

if [ ! -x /usr/bin/chromium ]; then
  sudo_cmd=""
  if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null; then sudo_cmd="sudo"; fi
  if command -v apt-get >/dev/null; then
    $sudo_cmd apt-get install -y -q chromium chromium-driver >/dev/null 2>&1 \
      || { $sudo_cmd apt-get update -q >/dev/null && \
           $sudo_cmd apt-get install -y -q chromium chromium-driver >/dev/null; }
  else
    echo "warning: no apt-get; install Chromium at /usr/bin/chromium for the browser tests" >&2
  fi
fi

# --- PostgreSQL for the label-store tests (issue 12; owned by the feedback-loop work) ---
# The tests start their own throwaway server from Debian's `postgresql` package; they skip
# with a reason only where it cannot be installed.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then
  pg_sudo=""
  if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null; then pg_sudo="sudo"; fi
  if command -v apt-get >/dev/null; then
    $pg_sudo apt-get install -y -q postgresql >/dev/null 2>&1 \
      || { $pg_sudo apt-get update -q >/dev/null && \
           $pg_sudo apt-get install -y -q postgresql >/dev/null; } \
      || echo "warning: could not install postgresql; its store tests will skip" >&2
  else
    echo "warning: no apt-get; install PostgreSQL for the label-store tests" >&2
  fi
fi
