"""Shared fixtures: the shipped knowledge base, and a scratch copy to break on purpose."""

from __future__ import annotations

import os
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


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the validated-fingerprint stamps of a test run out of the user's own cache."""
    os.environ["SPOTTING_CACHE_DIR"] = str(tmp_path_factory.mktemp("spotting-cache"))
