"""Shared fixtures. Qt runs offscreen so the suite needs no display."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture
def db():
    """A real project database in memory, built by the real migrations."""
    from db.connection import open_db

    database = open_db(None)
    yield database
    database.close()


@pytest.fixture
def corpus_text():
    """Read an article of the shared corpus at test time; skip cleanly where it is absent."""

    def read(name: str) -> str:
        path = CORPUS / name
        if not path.exists():
            pytest.skip(f"shared corpus not present ({path})")
        return path.read_text(encoding="utf-8")

    return read
