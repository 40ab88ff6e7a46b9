"""``spotting serve``: the command line of the delivery package, behind ``spotting``'s lazy door.

``spotting/cli.py`` hands every argument after ``serve`` to :func:`main`, and imports this module
only then, so explaining answers never loads a server. Here the options are read, refused with a
usage error (exit 2) before anything starts, and a missing ``[serve]`` extra is named with the
line that installs it (exit 1), never an ImportError from deep inside Voila.
"""

from __future__ import annotations

import argparse
import importlib.util
from collections.abc import Sequence
from typing import TextIO

from . import serve

INSTALL = "pip install 'spotting[serve]' (in a checkout: make dashboard)"
"""What to run when the extra is missing: the README's set-up does it for a checkout."""


def parser() -> argparse.ArgumentParser:
    command = argparse.ArgumentParser(
        prog="spotting serve",
        description="Serve a dashboard with Voila (default: the explorer, for one person, on this computer).",
        epilog="Extra --Class.trait=value options are passed to Voila unchanged.",
    )
    serve.add_arguments(command)
    return command


def missing_modules(args: argparse.Namespace) -> list[str]:
    """The [serve] extra's modules this run needs and cannot find: Voila for a dashboard, segno for
    the QR code of ``--network``. The static site's file server needs neither."""
    needed = [] if args.static else ["voila"]
    if args.network:
        needed.append("segno")
    return [name for name in needed if importlib.util.find_spec(name) is None]


def main(argv: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    """Run ``spotting serve`` with ``argv`` (the arguments after ``serve``); returns the exit status."""
    command = parser()
    args, extra = command.parse_known_args(argv)
    wrong = serve.check_voila_options(extra)
    if wrong is not None:
        command.error(f"unrecognized argument: {wrong} (Voila options look like --Class.trait=value)")
    refused = serve.refusal(args)
    if refused is not None:
        command.error(refused)
    missing = missing_modules(args)
    if missing:
        print(f"spotting: serving needs the [serve] extra ({', '.join(missing)} is missing): {INSTALL}", file=stderr)
        return 1
    return serve.run(args, extra, stdout, stderr)
