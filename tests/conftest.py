"""Shared fixtures: the shipped knowledge base, and a scratch copy to break on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from spotting import Knowledge, load_knowledge
from spotting.knowledge import DEFAULT_DATA_DIR


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return load_knowledge()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ for tests that break a file deliberately."""
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target
