#!/usr/bin/env bash
# Install what the tests need and run lint, types and tests (the README's test command).
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian's Chromium for the browser rendering test (CI runs as root; skipped otherwise)
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && ! command -v chromium >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
# torch for the training smoke tests and the camel/stanza extras; pinned: on these machines
# 2.13.0 is a CPU wheel on local disk, while an unpinned torch resolves to a CUDA build
python -m pip install --quiet torch==2.13.0
python -m pip install --quiet -e '.[test,camel,stanza,pandas,dask]'
ruff check src tests benchmarks fuzz
ruff format --check src tests benchmarks fuzz
mypy
python fuzz/fuzz_analyze.py -max_total_time=30 2>&1 | tail -n 1  # bounded fuzzing; a finding fails
python -m pytest --doctest-modules --doctest-glob='*.md' src tests docs -q
