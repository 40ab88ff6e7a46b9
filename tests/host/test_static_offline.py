"""The offline app's pieces without a browser (spotting_host.static_offline); the browser tests are in
tests/e2e/host/test_static_offline.py."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

from spotting_host import static_offline

NODE = shutil.which("node")


def test_icons_are_pngs_of_their_size_and_the_same_bytes_each_time() -> None:
    data = static_offline.icon_png(48, 0.6)
    assert data == static_offline.icon_png(48, 0.6)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (48, 48)
    start = data.index(b"IDAT") + 4
    length = struct.unpack(">I", data[start - 8 : start - 4])[0]
    pixels = zlib.decompress(data[start : start + length])
    row = 1 + 48 * 3
    corner, middle = pixels[1:4], pixels[24 * row + 1 + 24 * 3 : 24 * row + 1 + 25 * 3]
    assert corner == bytes.fromhex(static_offline.THEME_COLOUR[1:]) and middle == b"\xff\xff\xff"


def test_each_manifest_opens_its_own_page_standalone_with_a_maskable_icon() -> None:
    for page in static_offline.PAGES:
        manifest = static_offline.manifest(page)
        assert manifest["start_url"] == f"./voici/render/{page}.html" and manifest["display"] == "standalone"
        purposes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}  # type: ignore[attr-defined]
        assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes
        json.dumps(manifest)


def test_a_page_gets_its_install_tags_and_script_once() -> None:
    page = "<html><head><title>x</title></head><body><p>app</p></body></html>"
    once = static_offline.add_to_page(page, "explorer")
    assert static_offline.add_to_page(once, "explorer") == once
    assert '<link rel="manifest" href="../../explorer.webmanifest">' in once
    assert once.index("offline-worker.js") > once.index("<body>")


def test_the_worker_saves_no_query_strings_and_takes_over_only_when_asked() -> None:
    config = static_offline.worker_config(static_offline.PINS, "spotting-0123456789ab")
    assert config["cacheId"] == "spotting-0123456789ab"
    assert config["skipWaiting"] is False and config["importScripts"] == [static_offline.CLEANUP]
    assert "runtimeCaching" not in config, "only the site's own files, listed at build time, are saved"
    assert re.search(config["dontCacheBustURLsMatching"], "static/remoteEntry.c8c9eed2.js")  # type: ignore[arg-type]
    assert not re.search(config["dontCacheBustURLsMatching"], "static/pyodide/pyodide.asm.wasm")  # type: ignore[arg-type]


def test_the_cleanup_keeps_this_builds_cache_only() -> None:
    script = static_offline.cleanup_script("spotting-0123456789ab")
    assert 'const SPOTTING_CACHE_ID = "spotting-0123456789ab";' in script
    assert "startsWith('spotting-')" in script


def test_the_worker_keeps_only_the_snapshot_unpacked_and_in_this_builds_cache(tmp_path: Path) -> None:
    pyodide = tmp_path / "static" / "pyodide"
    pyodide.mkdir(parents=True)
    for name in ("spotting-snapshot-0123456789ab.bin.gz", "spotting-site-packages-0123456789ab.tar.gz", "other.gz"):
        (pyodide / name).write_bytes(b"")
    unpacked = static_offline.unpacked_files(tmp_path)
    assert unpacked == ["static/pyodide/spotting-snapshot-0123456789ab.bin.gz"]
    script = static_offline.cleanup_script("spotting-0123456789ab", unpacked)
    assert f"const SPOTTING_UNPACKED = {json.dumps(unpacked)};" in script
    assert 'caches.open(SPOTTING_CACHE_ID + "-unpacked")' in script  # removed with this build's caches
    assert "fetch(" not in script, "the copy is made from the saved file, never downloaded again"
    if NODE:
        (tmp_path / "cleanup.js").write_text(script)
        subprocess.run([NODE, "--check", str(tmp_path / "cleanup.js")], check=True)


def test_workbox_is_pinned_exactly_with_integrity_in_the_lock() -> None:
    version = static_offline.workbox_version()
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), "pin an exact version"
    lock = json.loads((static_offline.WORKBOX_PINS / "package-lock.json").read_text(encoding="utf-8"))
    packages = {name: entry for name, entry in lock["packages"].items() if name}
    assert packages["node_modules/workbox-build"]["version"] == version
    assert all(entry.get("integrity", "").startswith("sha512-") for entry in packages.values() if not entry.get("link"))
