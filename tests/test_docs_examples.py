"""Every code example in README.md and docs/ runs. Doctest-style blocks (``>>>``) are run by
pytest's --doctest-glob; this runs the others: ``python`` blocks in a namespace holding the
names the prose gives them (``arnews_nlp``, ``texts``, ``frame``) and ``bash`` blocks with the ``arnews``
command, in a directory holding the files they name (``news.jsonl``, ``article.txt``,
``rules.toml`` written from the page's own TOML example, ...). Backend examples run against
tiny real models where the page's placeholder paths point. A block preceded by
``<!-- docs-test: skip: reason -->`` is not run (installs, the full training, the test
command itself) and the reason is visible to readers of the source."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(
    r"(?:<!-- docs-test: (?P<directive>[^>]*?) -->\n)?^```(?P<lang>\w*)[^\n]*\n(?P<code>.*?)^```",
    re.MULTILINE | re.DOTALL,
)
TEXTS = [
    "قال الرئيس عبد الفتاح السيسي إن مصر ستواصل جهودها.",
    "وأفاد موقع أكسيوس عن مسؤول في البيت الأبيض أن بايدن اتصل بأمير قطر.",
    "زار وزير الصحة والمجلس الانتقالي الجنوبي عدن، بحسب مصادر.",
]


def _blocks() -> list[Any]:
    params = []
    for page in PAGES:
        source = page.read_text(encoding="utf-8")
        tomls = [m["code"] for m in BLOCK.finditer(source) if m["lang"] == "toml"]
        for match in BLOCK.finditer(source):
            lang, code, directive = match["lang"], match["code"], match["directive"]
            if lang not in ("python", "bash") or code.lstrip().startswith(">>>"):
                continue
            marks = []
            if directive:
                assert directive.startswith("skip: "), f"{page.name}: unknown {directive!r}"
                marks.append(pytest.mark.skip(reason=directive))
            line = source[: match.start("code")].count("\n") + 1
            params.append(
                pytest.param(lang, code, tuple(tomls), id=f"{page.name}:{line}:{lang}", marks=marks)
            )
    return params


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    records = [{"url": f"https://example.org/{i}", "body": t} for i, t in enumerate(TEXTS)]
    (tmp_path / "news.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8"
    )
    shutil.copy(ROOT / "examples" / "article.txt", tmp_path / "article.txt")
    (tmp_path / "examples").symlink_to(ROOT / "examples")  # commands run from a checkout
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _write_tomls(code: str, tomls: tuple[str, ...], directory: Path) -> None:
    # the page's TOML example is the file its Python example loads
    for name in re.findall(r'"([\w.]+\.toml)"', code):
        assert tomls, f"the example loads {name} but its page shows no TOML"
        (directory / name).write_text(tomls[0], encoding="utf-8")


def _backend_models(code: str, directory: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Tiny real models where the example's default locations and placeholder paths are."""
    if 'ner="camel"' in code:
        pytest.importorskip("camel_tools")
        pytest.importorskip("transformers")
        from tiny_models import build_camel_home

        home = build_camel_home(directory / "camel_data")
        monkeypatch.setenv("CAMELTOOLS_DATA", str(home))
        code = code.replace("/models/arabert-ner", str(home / "data" / "ner" / "arabert"))
    if 'ner="stanza"' in code:
        pytest.importorskip("stanza")
        from tiny_models import train_stanza_ner

        model = train_stanza_ner(directory / "stanza_train")
        resources = directory / "stanza_resources"
        (resources / "ar" / "ner").mkdir(parents=True)
        shutil.copy(model, resources / "ar" / "ner" / "tiny.pt")
        (resources / "resources.json").write_text("{}", encoding="utf-8")
        monkeypatch.setenv("STANZA_RESOURCES_DIR", str(resources))
        code = code.replace("/models/ar_ner.pt", str(model))
    if 'tokenizer="camel"' in code:
        pytest.importorskip("camel_tools")
        from tiny_models import build_camel_morphology_db

        home = directory / "camel_morphology"
        home.mkdir(exist_ok=True)
        (home / "catalogue.json").write_text('{"version": "1.6"}', encoding="utf-8")
        monkeypatch.setenv("CAMELTOOLS_DATA", str(home))
        database = build_camel_morphology_db(home / "calima" / "morphology.db")
        code = code.replace("/models/calima/morphology.db", str(database))
    if 'tokenizer="stanza"' in code:
        pytest.importorskip("stanza")
        from tiny_models import train_stanza_tokenizer

        resources = train_stanza_tokenizer(directory / "stanza_tokenizer")
        monkeypatch.setenv("STANZA_RESOURCES_DIR", str(resources))
        code = code.replace("/models/stanza_resources", str(resources))
    return code


@pytest.mark.parametrize(("lang", "code", "tomls"), _blocks())
def test_example_runs(
    lang: str,
    code: str,
    tomls: tuple[str, ...],
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if lang == "bash":
        env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        }
        run = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", code], cwd=workdir, env=env, capture_output=True
        )
        assert run.returncode == 0, run.stderr.decode("utf-8", "replace")
        return
    for module in re.findall(r"^\s*(?:from|import) (pyspark|dask|pandas)\b", code, re.MULTILINE):
        pytest.importorskip(module)
    if "pyspark" in code and shutil.which("java") is None:
        pytest.skip("Spark needs Java")
    _write_tomls(code, tomls, workdir)
    code = _backend_models(code, workdir, monkeypatch)
    import arnews_nlp

    namespace: dict[str, Any] = {"arnews_nlp": arnews_nlp, "texts": list(TEXTS)}
    if "frame[" in code:
        import dask.dataframe as dd
        import pandas as pd

        namespace["frame"] = dd.from_pandas(pd.DataFrame({"text": TEXTS}), npartitions=2)
    if "articles.parquet" in code:
        import pandas as pd

        pd.DataFrame({"id": range(len(TEXTS)), "body": TEXTS}).to_parquet("articles.parquet")
    exec(compile(code, "<docs example>", "exec"), namespace)


def test_every_page_has_been_searched() -> None:
    # a fence the pattern cannot see would silently go untested
    for page in PAGES:
        source = page.read_text(encoding="utf-8")
        fences = len(re.findall(r"^```", source, re.MULTILINE))
        assert fences == 2 * len(list(BLOCK.finditer(source))), page.name
