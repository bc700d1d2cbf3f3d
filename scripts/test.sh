#!/usr/bin/env bash
# Install what the tests need and run lint, types and tests (the README's test command).
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian's Chromium for the browser rendering test and a Java runtime for the Spark test
# (CI runs as root; each test skips cleanly when its program is absent)
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v java >/dev/null || missing+=(default-jre-headless)
if [ "${#missing[@]}" -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# torch for the training smoke tests and the camel/stanza extras; pinned: on these machines
# 2.13.0 is a CPU wheel on local disk, while an unpinned torch resolves to a CUDA build
python -m pip install --quiet torch==2.13.0
python -m pip install --quiet -e '.[test,camel,stanza,pandas,dask,spark,docs]'
ruff check src tests benchmarks fuzz scripts examples
ruff format --check src tests benchmarks fuzz scripts examples
mypy
python fuzz/fuzz_analyze.py -max_total_time=30 2>&1 | tail -n 1  # bounded fuzzing; a finding fails
NO_MKDOCS_2_WARNING=1 mkdocs build --strict --quiet --site-dir "$(mktemp -d)"  # the docs site
python -m pytest --doctest-modules --doctest-glob='*.md' src tests docs -q
