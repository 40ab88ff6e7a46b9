"""The static build's pieces that need no browser: the remote-load check, the derived wheel
set, the spotting wheel and the snapshot the browser trusts. The built site itself is tested
in tests/e2e/host/test_static_site.py."""

from __future__ import annotations

import io
import json
import shutil
import threading
import urllib.request
import zipfile
from pathlib import Path

import pytest

from spotting import knowledge
from spotting.cli import main
from spotting_host import serve, static_site
from spotting_host.serve import StaticHandler


def test_a_cdn_load_left_in_the_site_is_found(tmp_path: Path) -> None:
    page = tmp_path / "voici" / "render" / "explorer.html"
    page.parent.mkdir(parents=True)
    page.write_text('<a href="https://www.nhs.uk/">NHS</a><p>see https://example.org</p>')
    assert static_site.remote_loads(tmp_path) == []  # a link a person clicks is fine
    page.write_text('<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/x.css">')
    assert static_site.remote_loads(tmp_path)
    script = tmp_path / "a.js"
    for load in ('import("//cdn.example/x.js")', 'importScripts("https://cdn.example/p.js")', 'fetch("https://t.co/")'):
        script.write_text(load)
        page.write_text("")
        assert static_site.remote_loads(tmp_path), load
    script.write_text('// e.g. <img src="https://attacker.controlled.server/">\nlet a = 1;')
    assert static_site.remote_loads(tmp_path) == []  # comments are not loads


MOCK_SOCKET = "function b(t,e){setTimeout((function(e){return t.call(e)}),4,e)}function g(t,e){console[t].call(null,e)}"


def test_the_in_page_socket_delay_is_removed_once_and_a_missing_one_stops_the_build(tmp_path: Path) -> None:
    """mock-socket (in Voici's bundle) waits 4 ms before each message to the kernel; the build
    makes it 0 and refuses a bundle where the code is not found exactly once."""
    (tmp_path / "1.js").write_text("let other = setTimeout(f, 4, x);")
    bundle = tmp_path / "7032.js"
    bundle.write_text(MOCK_SOCKET)
    assert static_site.patch_socket_delay(tmp_path) == bundle
    assert bundle.read_text() == MOCK_SOCKET.replace("}),4,e)", "}),0,e)")
    assert (tmp_path / "1.js").read_text() == "let other = setTimeout(f, 4, x);"
    with pytest.raises(static_site.BuildError, match="no file"):
        static_site.patch_socket_delay(tmp_path)  # already patched: a new Voici moved it
    bundle.write_text(MOCK_SOCKET * 2)
    with pytest.raises(static_site.BuildError, match="2x"):
        static_site.patch_socket_delay(tmp_path)


def test_the_progress_line_and_quick_exit_go_first_in_body_and_a_page_without_one_stops_the_build() -> None:
    """This patch used to return the page unchanged when it found no <body>: a new Voici would have
    published pages without the quick exit, silently. Now the build stops and names the page."""
    page = Path("dist/voici/render/explorer.html")
    patched = static_site._add_progress('<html><body class="jp">\n<script>x()</script></body>', "<p>P</p>", page)
    assert patched == '<html><body class="jp">\n<p>P</p>\n<script>x()</script></body>'
    with pytest.raises(static_site.BuildError, match=r"explorer.html has no <body> tag.*Voici's page template"):
        static_site._add_progress("<html><bodyless></bodyless></html>", "<p>P</p>", page)


def test_the_browser_gets_only_what_the_notebooks_import_and_never_pandas() -> None:
    needed = static_site.browser_distributions()
    assert {"ipywidgets", "anywidget"} <= set(needed)
    assert not set(needed) & {"pandas", "pandera", "numpy", "voila", "jupyterlab"}
    static_site.check_lock_covers(needed, static_site.read_browser_lock())


def test_an_unpinned_import_stops_the_build() -> None:
    lock = static_site.read_browser_lock()
    del lock["anywidget"]
    with pytest.raises(static_site.BuildError, match="anywidget"):
        static_site.check_lock_covers({"anywidget": "0.11.0"}, lock)


def test_the_spotting_wheel_carries_the_validated_data_and_no_server_requirements(tmp_path: Path) -> None:
    wheel = static_site.spotting_wheel(tmp_path, ["anywidget", "ipywidgets"])
    assert wheel.name.startswith("spotting-0.1.0+")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert {f"spotting/data/{name}" for name in knowledge.TABLES} <= names
    every_table = {f"spotting/data/{path.name}" for path in knowledge.DEFAULT_DATA_DIR.glob("*.csv")}
    assert every_table <= names, "a table the apps read (the teaching page's session plan...) is not in the wheel"
    assert f"spotting/data/{knowledge.SNAPSHOT_MANIFEST}" in names
    assert {"spotting/assets/tokens.css", "spotting/assets/form.js"} <= names  # the widgets read them by path
    # The languages: the same choice in the browser as on the server (issue 23).
    assert {"spotting/locale/languages.csv", "spotting/locale/es/LC_MESSAGES/data.po"} <= names
    assert not any(name.startswith("spotting_host/") for name in names), "the server never goes to the browser"
    assert "pandas" not in metadata and "Requires-Dist: anywidget" in metadata


def test_the_same_tree_gives_the_same_wheel(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = static_site.spotting_wheel(tmp_path / "a", [])
    second = static_site.spotting_wheel(tmp_path / "b", [])
    assert first.read_bytes() == second.read_bytes()


def test_a_validated_snapshot_is_trusted_and_a_changed_one_is_not(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(knowledge.DEFAULT_DATA_DIR, data)
    assert not knowledge._snapshot_is_intact(data)  # no manifest: validate in full
    (data / knowledge.SNAPSHOT_MANIFEST).write_text(json.dumps(knowledge.snapshot_manifest(data)))
    assert knowledge._snapshot_is_intact(data)
    with (data / "red_flags.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert not knowledge._snapshot_is_intact(data)


def test_the_static_server_sends_webassembly_as_webassembly_and_asks_to_revalidate(tmp_path: Path) -> None:
    (tmp_path / "pyodide.asm.wasm").write_bytes(b"\0asm")
    server = serve.static_server(tmp_path, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/pyodide.asm.wasm"
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.headers["Content-Type"] == "application/wasm"
            assert response.headers["Cache-Control"] == "no-cache"
    finally:
        server.shutdown()
        server.server_close()
    assert StaticHandler.extensions_map[".mjs"] == "text/javascript"


def test_serve_static_without_a_build_says_how_to_make_one(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(serve, "STATIC_DIST", tmp_path / "dist")
    monkeypatch.setattr(serve, "ROOT", tmp_path)
    out, err = io.StringIO(), io.StringIO()
    assert main(["serve", "--static"], stdout=out, stderr=err) == 1
    assert "make static" in err.getvalue() and "Traceback" not in err.getvalue()
    assert main(["serve", "review", "--static"], stdout=out, stderr=err) == 2
    assert "explorer and teaching" in err.getvalue()
