"""Reading structured rule files (JSON, TOML, YAML) with line numbers for messages."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from arnews_nlp.errors import DataFileError

__all__ = ["STRUCTURED_SUFFIXES", "read_structured"]

STRUCTURED_SUFFIXES = (".json", ".toml", ".yaml", ".yml")


def read_structured(path: Path) -> list[tuple[int, object]]:
    """``(line, rule)`` pairs of a JSON list, a TOML ``[[rule]]`` array, or a YAML list."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise DataFileError(f"{path}:{error.lineno}: expected JSON ({error.msg})") from None
        starts = [i + 1 for i, line in enumerate(text.splitlines()) if "{" in line]
    elif path.suffix == ".toml":
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # pragma: no cover - Python 3.10
            import tomli as tomllib

        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise DataFileError(f"{path}: expected TOML ({error})") from None
        data = document.get("rule")
        if data is None:
            raise DataFileError(f"{path}: expected [[rule]] tables, found none")
        starts = [i + 1 for i, line in enumerate(text.splitlines()) if line.strip() == "[[rule]]"]
    else:
        try:
            import yaml
        except ImportError:
            raise DataFileError(
                f"{path}: reading YAML rule files needs PyYAML: pip install pyyaml"
            ) from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = f":{mark.line + 1}" if mark is not None else ""
            raise DataFileError(f"{path}{line}: expected YAML ({error})") from None
        starts = [
            i + 1 for i, line in enumerate(text.splitlines()) if line.lstrip().startswith("-")
        ]
    if not isinstance(data, list):
        raise DataFileError(f"{path}: expected a list of rules, got {type(data).__name__}")
    return [(starts[n] if n < len(starts) else n + 1, item) for n, item in enumerate(data)]
