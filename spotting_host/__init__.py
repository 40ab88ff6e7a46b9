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
"""
