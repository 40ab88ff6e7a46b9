"""Shared fixtures: the shipped knowledge base, and a scratch copy to break on purpose."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
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


def pytest_configure(config: pytest.Config) -> None:
    """Keep the validated-fingerprint stamps of a test run out of the user's own cache.

    Set here, before collection: hypothesis strategies load the knowledge base while test
    modules are imported, which is earlier than any fixture runs.
    """
    if "SPOTTING_CACHE_DIR" not in os.environ:
        os.environ["SPOTTING_CACHE_DIR"] = tempfile.mkdtemp(prefix="spotting-test-cache-")
    # A live teaching session of the tests' own (spotting.classroom_dir): never a real class's.
    os.environ["SPOTTING_CLASSROOM_DIR"] = str(Path(tempfile.mkdtemp(prefix="spotting-test-classroom-")) / "live")


@pytest.fixture
def locale_copy(tmp_path: Path) -> Iterator[Path]:
    """A copy of spotting/locale/ to change, with every catalog read again before and after."""
    from spotting.localise import LOCALE_DIR, forget_catalogs

    locale = tmp_path / "spotting" / "locale"
    shutil.copytree(LOCALE_DIR, locale)
    forget_catalogs()
    yield locale
    forget_catalogs()
