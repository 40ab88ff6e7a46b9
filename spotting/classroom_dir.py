"""Where a live teaching session keeps its store, and how it is removed.

Why in the core, apart from the store: the store belongs to the teaching app
(``spotting.teaching.store``), but the server that serves the pages (``spotting serve``) must
delete the session when it stops, and a server never imports an app. Both find the folder here.

The folder is the same for every process of this user on this computer (the facilitator's
server, the learners' server, every kernel and every worker): ``SPOTTING_CLASSROOM_DIR`` if set,
else a folder per user on the RAM disk (``/dev/shm``) where there is one, so a session's votes
and questions never reach the disk, else in the temporary folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

ROOT_ENVIRONMENT = "SPOTTING_CLASSROOM_DIR"


def classroom_root() -> Path:
    """The live session's folder (it exists only while a session is live)."""
    configured = os.environ.get(ROOT_ENVIRONMENT)
    if configured:
        return Path(configured)
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() and os.access(shm, os.W_OK) else Path(tempfile.gettempdir())
    user = os.getuid() if hasattr(os, "getuid") else 0  # the static site's browser Python may lack it
    return base / f"spotting-classroom-{user}"


def remove_classroom(root: Path | None = None) -> None:
    """Delete the live session, if any: its folder and every file in it."""
    shutil.rmtree(root or classroom_root(), ignore_errors=True)
