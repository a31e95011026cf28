#!/usr/bin/env bash
# Set up a machine: a virtualenv with the package and its test tools, Debian's Chromium for
# the browser tests and CJK fonts for their screenshots, PostgreSQL, Redis, nginx and wrk for
# the server tests and benchmarks. Safe to run again: with nothing
# changed it only checks (about a second); it installs what is missing or out of date.
set -euo pipefail
cd "$(dirname "$0")/.."
# Each step that takes time says so first (a fresh machine needs a minute or two).
say() { echo "setup: $*"; }

STAMP=.venv/.setup-stamp
# What the installed venv was built from: the dependency list and the interpreter.
want="$(sha256sum pyproject.toml | cut -d' ' -f1) $(python3 -c 'import sys; print(sys.version)' | head -1)"

venv_ok() {
  # The package is installed from THIS checkout and its main dependencies import.
  .venv/bin/python - <<'PY' 2>/dev/null
import importlib.metadata as md, importlib.util as iu, pathlib, sys
md.version("job-scam-detector")
import detector
assert pathlib.Path(detector.__file__).resolve().parent.parent == pathlib.Path.cwd().resolve()
for module in ("sklearn", "pandas", "jieba_fast", "fastapi", "uvicorn", "orjson", "rensa",
               "fastapi_offline", "pytest", "playwright", "schemathesis", "opencc",
               "prometheus_client", "limits", "redis"):
    if iu.find_spec(module) is None:
        sys.exit(1)
PY
}

apt_install() {
  local sudo_cmd=""
  if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null; then sudo_cmd="sudo"; fi
  if ! command -v apt-get >/dev/null; then
    echo "warning: no apt-get; install $* by hand" >&2
    return 0
  fi
  say "installing Debian packages with apt-get: $*"
  $sudo_cmd apt-get install -y -qq "$@" >/dev/null 2>&1 \
    || { $sudo_cmd apt-get update -qq >/dev/null && \
         $sudo_cmd apt-get install -y -qq "$@" >/dev/null; }
}

if [ ! -x .venv/bin/python ]; then
  say "creating the virtualenv .venv"
  python3 -m venv .venv
  rm -f "$STAMP"
fi
if [ "$(cat "$STAMP" 2>/dev/null)" = "$want" ] && venv_ok; then
  :  # up to date: skip pip (a no-change pip run takes ~10 s)
else
  # -qq: pip's errors still print; its per-package notes and the build backend's do not.
  say "installing the package and its test tools into .venv with pip (about a minute on" \
      "a fresh machine; jieba-fast is compiled)"
  .venv/bin/python -m pip install -qq --upgrade pip
  .venv/bin/python -m pip install -qq -e '.[test,dask]'
  venv_ok || { echo "setup: the virtualenv does not import; see pip's output above" >&2; exit 1; }
  echo "$want" > "$STAMP"
  say ".venv is ready"
fi

if [ ! -x /usr/bin/chromium ]; then
  apt_install chromium chromium-driver
fi
# The browser tests take screenshots of Chinese pages: without a CJK font they show boxes.
if ! { command -v fc-list >/dev/null && [ -n "$(fc-list :lang=zh family 2>/dev/null)" ]; }; then
  apt_install fonts-noto-cjk
fi
# The fleet tests (issue 20) start their own PostgreSQL, Redis and nginx on free loopback
# ports, and benchmarks/bench_api.py drives wrk: Debian's packages, installed when missing
# (the packages' own services are not used).
missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
{ [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null; } || missing+=(nginx)
command -v wrk >/dev/null || missing+=(wrk)
# The disguise suite's test renders bidi copies with GNU FriBidi (the Unicode bidi algorithm).
ldconfig -p 2>/dev/null | grep -q 'libfribidi\.so\.0' || missing+=(libfribidi0)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]} (Debian packages) for the server tests and benchmarks"
  apt_install "${missing[@]}"
fi
