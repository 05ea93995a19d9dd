"""Bundled data: the sample article and the default tag vocabulary."""

from __future__ import annotations

from importlib import resources as _resources


def read_text(name: str) -> str:
    """Read a bundled resource; importlib.resources keeps this working from a wheel or a zip."""
    return _resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
