"""Imports tell the README's story: data -> model -> loader -> engine -> renderers -> apps.

A flat core (spotting/*.py) and one package per app (explorer/, teaching/, review/). Read from
the source with ``ast`` (nothing is imported), so a wrong import fails here by name before it
becomes a cycle, a slow kernel start or a clinical decision hidden in widget code.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "spotting"
APPS = ("explorer", "teaching", "review")

CORE: dict[str, int] = {
    # 0 foundations: plain values, the condition language, the error tree
    "urgency": 0, "errors": 0, "conditions": 0, "contract": 0,
    # 1 the data model: frozen records and the answers that are checked against them
    "model": 1, "answers": 1, "regions": 1,
    # 2 the loader: reads and validates data/ once
    "schemas": 2, "safety_floor": 2, "builders": 2, "knowledge": 2,
    # the languages: catalogs read at load time (localise) and written by `spotting i18n` (catalogs)
    "localise": 2, "catalogs": 2,
    # 3 the engine: pure functions over the model, never the loader
    "relevance": 3, "causes": 3, "triage": 3, "what_if": 3, "explain": 3, "safety_nets": 3,
    # 4 shared renderers
    "case_suite": 4, "markup": 4, "render_text": 4, "policy_doc": 4, "join": 4, "diagram": 4, "care": 4,
    # 5 the apps (explorer/, teaching/, review/), the server that serves them (alone or behind nginx),
    # and the static site's build (it packs the apps for the browser)
    "serve": 5, "voila_ext": 5, "workers": 5, "static_site": 5, "static_snapshot": 5, "static_offline": 5,
    # 6 entry points
    "cli": 6, "__main__": 6, "__init__": 6,
}  # fmt: skip
ENGINE, LOADER, APP = 3, 2, 5
WIDGETS = {"ipywidgets", "anywidget", "traitlets", "IPython"}
WIDGET_MODULES = {"app.py", "live.py", "form_widget.py"}
"""Inside an app, only these modules may import widget code; the rest is plain, testable HTML."""
SERVER_MODULES = {"voila_ext": {"traitlets"}}
"""The Voila server is configured through traitlets (Jupyter's config system); it has no widgets."""


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE).with_suffix("")
    return ".".join(relative.parts)


def layer(name: str) -> int:
    return APP if name.split(".")[0] in APPS else CORE[name]


def imports(path: Path) -> tuple[set[str], set[str]]:
    """The package modules (dotted, relative to spotting) and third-party packages imported."""
    package = module_name(path).split(".")[:-1]
    inner: set[str] = set()
    outer: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
            target = [*base, *(node.module.split(".") if node.module else [])]
            names = [alias.name for alias in node.names]
            for name in names if not node.module else [None]:
                parts = [*target, name] if name else target
                inner.add(".".join(parts) if parts else "__init__")
        elif isinstance(node, ast.ImportFrom) and node.module:
            outer.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            outer |= {alias.name.split(".")[0] for alias in node.names}
    return inner, outer


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_core_module_has_a_layer() -> None:
    core = {path.stem for path in PACKAGE.glob("*.py")}
    assert core == set(CORE), f"add to CORE: {core - set(CORE)}; remove: {set(CORE) - core}"


@pytest.mark.parametrize("path", MODULES, ids=[module_name(p) for p in MODULES])
def test_imports_only_flow_downwards(path: Path) -> None:
    name = module_name(path)
    inner, outer = imports(path)
    app = name.split(".")[0] if name.split(".")[0] in APPS else None
    for target in inner:
        top = target.split(".")[0]
        if top in APPS:
            assert app == top, f"{name} imports another app or an app from the core: {target}"
        else:
            assert CORE[top] <= layer(name), f"{name} (layer {layer(name)}) imports a higher layer: {target}"
            if layer(name) == ENGINE:
                assert CORE[top] != LOADER, f"the engine imports the model, never the loader: {name} -> {target}"
    if app is None or path.name not in WIDGET_MODULES:
        forbidden = WIDGETS - SERVER_MODULES.get(name, set())
        assert not outer & forbidden, f"{name} imports widget code: {outer & forbidden}"


def test_the_core_never_imports_the_server() -> None:
    """The engine, loader and renderers stay importable without Voila or Jupyter's server."""
    for path in MODULES:
        name = module_name(path)
        if name.split(".")[0] not in APPS and layer(name) < APP:
            inner, outer = imports(path)
            assert not {"serve", "voila_ext", "workers"} & {t.split(".")[0] for t in inner}, name
            assert not {"voila", "jupyter_server", "tornado"} & outer, name
