"""Optional entity backends. Each module imports its package, and only there."""

from __future__ import annotations

import importlib.util

from arnews_nlp.errors import BackendNotInstalledError

__all__ = ["require"]


def require(module: str, extra: str) -> None:
    """Raise :class:`BackendNotInstalledError` naming the install command when
    ``module`` cannot be imported."""
    if importlib.util.find_spec(module) is None:
        raise BackendNotInstalledError(
            f"the {extra} backend needs the package {module!r}, which is not installed: "
            f"pip install 'arnews-nlp[{extra}]'"
        )
