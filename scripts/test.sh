#!/usr/bin/env bash
# Install what the tests need and run lint, types and tests (the README's test command).
set -euo pipefail
cd "$(dirname "$0")/.."
# torch only for the training smoke tests; pinned: on these machines 2.13.0 is a CPU
# wheel on local disk, while an unpinned torch resolves to a multi-GB CUDA build
python -m pip install --quiet torch==2.13.0
python -m pip install --quiet -e '.[test,camel,stanza,pandas]'
ruff check src tests benchmarks
ruff format --check src tests benchmarks
mypy
python -m pytest --doctest-modules --doctest-glob='*.md' src tests docs -q
