"""Optional backends (entities, tokenizers). Each module imports its package, and only there."""

from __future__ import annotations

import importlib.util

import attrs

from arnews_nlp.errors import BackendNotInstalledError

__all__ = ["BackendStatus", "backend_status", "require"]


def require(module: str, extra: str) -> None:
    """Raise :class:`BackendNotInstalledError` naming the install command when
    ``module`` cannot be imported."""
    if importlib.util.find_spec(module) is None:
        raise BackendNotInstalledError(
            f"the {extra} backend needs the package {module!r}, which is not installed: "
            f"pip install 'arnews-nlp[{extra}]'"
        )


@attrs.frozen
class BackendStatus:
    """Whether a backend can run here, and where it looked."""

    name: str  # "default", "camel", "stanza": entities; "tokenizer:camel" ...: tokenizers
    package: str  # "installed", "missing", or "built in"
    model: str  # "present" or "missing"
    looked: str  # where the model was looked for
    fix: str  # what to run when something is missing ("" when ready)


def _extra(name: str) -> str:
    return name.split(":")[-1]


def backend_status() -> list[BackendStatus]:
    """The status of every entity backend and backend tokenizer, without importing any
    of their packages."""
    from arnews_nlp._resources import data_path
    from arnews_nlp.backends.camel import INSTALL_HINT as CAMEL_HINT
    from arnews_nlp.backends.camel import camel_data_dir, default_model_dir, default_morphology_db
    from arnews_nlp.backends.stanza import INSTALL_HINT as STANZA_HINT
    from arnews_nlp.backends.stanza import stanza_resources_dir
    from arnews_nlp.entities.tagger import DEFAULT_MODEL

    def installed(module: str) -> str:
        return "installed" if importlib.util.find_spec(module) is not None else "missing"

    default = data_path(DEFAULT_MODEL)
    camel_model = default_model_dir()
    camel_morphology = default_morphology_db()
    camel_ready = (camel_data_dir() / "catalogue.json").is_file() and (
        camel_model / "config.json"
    ).is_file()
    stanza_dir = stanza_resources_dir()
    stanza_ready = (stanza_dir / "resources.json").is_file() and any(
        (stanza_dir / "ar" / "ner").glob("*.pt")
    )
    stanza_tokenizer_ready = (stanza_dir / "resources.json").is_file() and any(
        (stanza_dir / "ar" / "tokenize").glob("*.pt")
    )
    rows = [
        BackendStatus(
            "default",
            "built in",
            "present" if default.is_file() else "missing",
            str(default),
            "" if default.is_file() else "reinstall arnews-nlp",
        ),
        BackendStatus(
            "camel",
            installed("camel_tools"),
            "present" if camel_ready else "missing",
            f"{camel_data_dir() / 'catalogue.json'}, {camel_model}",
            "" if camel_ready else CAMEL_HINT,
        ),
        BackendStatus(
            "stanza",
            installed("stanza"),
            "present" if stanza_ready else "missing",
            f"{stanza_dir / 'resources.json'}, {stanza_dir / 'ar' / 'ner'}/*.pt",
            "" if stanza_ready else STANZA_HINT,
        ),
        BackendStatus(
            "tokenizer:camel",
            installed("camel_tools"),
            "present" if camel_morphology.is_file() else "optional, missing",
            f"{camel_morphology} (for clitic segmentation; words need no data)",
            "" if camel_morphology.is_file() else "optional: camel_data -i morphology-db-msa-r13",
        ),
        BackendStatus(
            "tokenizer:stanza",
            installed("stanza"),
            "present" if stanza_tokenizer_ready else "missing",
            f"{stanza_dir / 'resources.json'}, {stanza_dir / 'ar' / 'tokenize'}/*.pt "
            f"(+ {stanza_dir / 'ar' / 'mwt'}/*.pt)",
            "" if stanza_tokenizer_ready else STANZA_HINT,
        ),
    ]
    return [
        attrs.evolve(row, fix=f"pip install 'arnews-nlp[{_extra(row.name)}]'; " + row.fix)
        if row.package == "missing"
        else row
        for row in rows
    ]
