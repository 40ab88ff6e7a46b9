"""Imports tell the README's story: data -> model -> loader -> engine -> renderers -> apps.

Read from the source with ``ast`` (nothing is imported), so a wrong import fails here by name
before it becomes a cycle, a slow kernel start or a clinical decision hidden in widget code.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "spotting"

LAYERS: dict[str, int] = {
    # 0 foundations: plain values, the condition language, the error tree
    "urgency": 0, "errors": 0, "conditions": 0, "contract": 0,
    # 1 the data model: frozen records and the answers that are checked against them
    "model": 1, "answers": 1,
    # 2 the loader: reads and validates data/ once
    "schemas": 2, "knowledge": 2,
    # 3 the engine: pure functions over the model, never the loader
    "relevance": 3, "causes": 3, "triage": 3, "what_if": 3, "explain": 3,
    # 4 renderers: HTML, text, summaries, charts, documents, quiz feedback
    "render_text": 4, "render_html": 4, "summary": 4, "charts": 4, "policy_doc": 4, "teaching": 4,
    "teaching_html": 4,
    # 5 apps: the only place widgets live
    "widgets": 5, "ui": 5, "teaching_ui": 5, "review": 5,
    # 6 entry points
    "cli": 6, "bench": 6, "__main__": 6, "__init__": 6,
}  # fmt: skip
ENGINE = 3
LOADER = 2
APPS = 5
WIDGET_LIBRARIES = {"ipywidgets", "anywidget", "traitlets", "IPython"}


def imports(module: str) -> tuple[set[str], set[str]]:
    """The package modules and the third-party top-level packages a module imports."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    inner: set[str] = set()
    outer: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                if node.module:
                    inner.add(node.module.split(".")[0])
                else:
                    inner |= {alias.name for alias in node.names}
            elif node.module:
                outer.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            outer |= {alias.name.split(".")[0] for alias in node.names}
    return inner, outer


def test_every_module_has_a_layer() -> None:
    modules = {path.stem for path in PACKAGE.glob("*.py")}
    assert modules == set(LAYERS), f"add to LAYERS: {modules - set(LAYERS)}; remove: {set(LAYERS) - modules}"


@pytest.mark.parametrize("module", sorted(LAYERS))
def test_imports_only_flow_downwards(module: str) -> None:
    inner, outer = imports(module)
    upward = {name for name in inner if LAYERS[name] > LAYERS[module]}
    assert not upward, f"{module} (layer {LAYERS[module]}) imports higher layers: {upward}"
    if LAYERS[module] == ENGINE:
        loader = {name for name in inner if LAYERS[name] == LOADER}
        assert not loader, f"the engine imports the model, never the loader: {module} imports {loader}"
    if LAYERS[module] < APPS:
        assert not outer & WIDGET_LIBRARIES, f"{module} imports widget code: {outer & WIDGET_LIBRARIES}"
