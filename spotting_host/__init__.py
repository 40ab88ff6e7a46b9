"""How spotting is served, kept apart from what it says.

``spotting`` is the knowledge, the engine and the three apps; this package is the delivery: the
classroom server that wraps Voila (:mod:`.serve`, :mod:`.voila_ext`, :mod:`.workers` behind nginx,
the QR join page in :mod:`.join`) and the static site's build (:mod:`.static_site`,
:mod:`.static_snapshot`, :mod:`.static_offline`). It imports ``spotting``; ``spotting`` never
imports it (tests/test_layers.py), except through the lazy door of ``spotting serve`` in
``spotting/cli.py``. So ``import spotting`` and ``spotting explain`` load no server, web or QR
module, and the fragile code that follows Voila's and the bundles' internals changes here alone.

It needs the ``[serve]`` extra (Voila, JupyterLab, segno) and a checkout of the repository (the
notebooks, ``voila.json``, ``static/``): paths are taken from the repository root.

What stays at the top of the repository, and why: ``share/jupyter/voila/templates/spotting`` is
where Voila itself looks for templates (plain ``voila notebooks/explorer.ipynb`` and the wheel's
data-files rely on that path); ``static/`` holds the build's hash pins and npm locks, which the
Makefile, the GitHub Pages workflow and the docs name as files to review and commit; ``deploy/``
is a file an administrator copies; ``bench/`` holds scripts (not a package) that measure both the
engine (``bench/engine.py``) and this package, with its own ``node_modules`` for Lighthouse.
None of them is imported, so where they sit does not change the import boundary.
"""
