"""``python -m spotting`` runs the command line."""

from .cli import run

run()
