"""Imports tell the README's story: data -> model -> loader -> engine -> renderers -> apps.

A flat core (spotting/*.py) and one package per app (explorer/, teaching/, review/). Read from
the source with ``ast`` (nothing is imported), so a wrong import fails here by name before it
becomes a cycle, a slow kernel start or a clinical decision hidden in widget code.

How it is served lives in a second package, spotting_host/ (the classroom server, the static
site's build). It may import spotting; spotting never imports it, except through the one lazy
door of ``spotting serve`` (inside a function of cli.py, so it loads only when that command runs).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "spotting"
HOST = PACKAGE.parent / "spotting_host"
HOST_DOORS = {"cli": {"spotting_host.cli"}}
"""The only modules of spotting that may name spotting_host, what they may import, and only in a function."""
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
    "case_suite": 4, "markup": 4, "render_text": 4, "policy_doc": 4, "diagram": 4, "care": 4,
    "classroom_dir": 4, "quick_exit": 4,
    # 5 the apps (explorer/, teaching/, review/); the server and the static build are spotting_host/
    # 6 entry points
    "cli": 6, "__main__": 6, "__init__": 6,
}  # fmt: skip
ENGINE, LOADER, APP = 3, 2, 5
WIDGETS = {"ipywidgets", "anywidget", "traitlets", "IPython"}
WIDGET_MODULES = {"app.py", "live.py", "room.py", "form_widget.py"}
"""Inside an app, only these modules may import widget code; the rest is plain, testable HTML."""
SERVER = {"voila", "jupyter_server", "tornado", "jupyterlab", "segno", "http", "socketserver", "psutil"}
"""Web servers, Voila and the QR-code library: spotting_host's business, never spotting's."""


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
        assert not outer & WIDGETS, f"{name} imports widget code: {outer & WIDGETS}"


def host_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement that names spotting_host."""
    found: list[ast.Import | ast.ImportFrom] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        if any(name.split(".")[0] == HOST.name for name in names):
            found.append(node)
    return found


@pytest.mark.parametrize("path", MODULES, ids=[module_name(p) for p in MODULES])
def test_spotting_never_imports_spotting_host_but_through_the_serve_door(path: Path) -> None:
    name = module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = host_imports(tree)
    allowed = HOST_DOORS.get(name, set())
    assert {node.module if isinstance(node, ast.ImportFrom) else "" for node in found} <= allowed, (
        f"{name} imports spotting_host (the server and the static build depend on spotting, not the reverse)"
    )
    module_level = {id(node) for node in tree.body}
    assert not [node for node in found if id(node) in module_level], f"{name} imports spotting_host at import time"


def test_the_serve_door_is_there_and_leads_somewhere() -> None:
    """The door is one import inside a function, of a module that exists (the test above cannot pass empty)."""
    tree = ast.parse((PACKAGE / "cli.py").read_text(encoding="utf-8"))
    assert [node.module for node in host_imports(tree) if isinstance(node, ast.ImportFrom)] == ["spotting_host.cli"]
    assert (HOST / "cli.py").is_file()


@pytest.mark.parametrize("path", MODULES, ids=[module_name(p) for p in MODULES])
def test_spotting_never_imports_a_server_or_the_qr_code_library(path: Path) -> None:
    """The engine, the loader, the renderers and the apps stay importable without Voila, Jupyter's
    server or segno: ``pip install spotting`` has none of them."""
    _, outer = imports(path)
    assert not outer & SERVER, f"{module_name(path)} imports {outer & SERVER}"


HOST_MODULES = sorted(HOST.rglob("*.py"))


@pytest.mark.parametrize("path", HOST_MODULES, ids=[p.stem for p in HOST_MODULES])
def test_spotting_host_uses_spotting_as_a_library_and_never_an_app(path: Path) -> None:
    """The server serves notebooks by path; it never imports an app's widgets or reaches below the
    public modules of spotting through a relative import."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").startswith("spotting."):
            top = node.module.split(".")[1] if node.module else ""
            assert top not in APPS, f"spotting_host/{path.name} imports an app: {node.module}"
        if isinstance(node, ast.ImportFrom) and node.level > 1:
            raise AssertionError(f"spotting_host/{path.name} reaches out with a relative import: {node.module}")
