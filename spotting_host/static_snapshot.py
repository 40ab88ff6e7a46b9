"""The static site's Python starts from a memory snapshot made when the site is built.

Why: without it, every visit (the second one too) booted Pyodide, unpacked about 27 wheels and
imported IPython, the kernel and the explorer in the visitor's browser: 5 to 8 seconds of CPU on
a 2-core machine before the first advice (docs/static-site.md, "Speed"). The snapshot is the
WebAssembly memory of a Python that has already done all of that, so a visit only copies it in.

How, with Pyodide 0.29's snapshot options (``_makeSnapshot``, ``_loadSnapshot``: experimental,
hence every version is pinned and the build fails loudly when something does not fit):

* :func:`site_packages_archive`: the files of every browser wheel in one reproducible
  ``.tar.gz``. A snapshot holds memory, not files, and Python still reads files after start (a
  lazy import, the data tables, package metadata), so the browser writes them into
  site-packages before Python runs, the same way the build does.
* :func:`make_snapshot`: node runs the site's own Pyodide (``static/make-snapshot.mjs``), unpacks
  the archive, imports what the kernel and the notebooks import, and writes its memory. No clock
  and no entropy reach it, so the same tree gives the same bytes.
* :func:`patch_kernel_worker`: jupyterlite-pyodide-kernel 0.7.0 calls ``loadPyodide`` itself in
  its web worker; ``static/snapshot-loader.js`` is put around that call, at one exact place in
  two pinned files, or the build stops. It also goes first in the worker and starts Python at
  once, with the options the kernel will ask for (:func:`early_plan`), and the page makes the
  worker before JupyterLab's JavaScript runs (:func:`early_worker_tag`): Python's start and the
  page's overlap.

What is shared by every visitor, on purpose: Python's hash seed (fixed while the snapshot is
made; it only guards servers against crafted hash collisions). What is not: ``random`` is seeded
again in the browser. Nothing in the snapshot is secret; it is made from the published files.
"""

from __future__ import annotations

import ast
import gzip
import hashlib
import io
import json
import re
import shutil
import subprocess
import tarfile
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

PINS = Path(__file__).resolve().parents[1] / "static"
LOADER = PINS / "snapshot-loader.js"
MAKER = PINS / "make-snapshot.mjs"

KERNEL_IMPORTS = ("import piplite.piplite", "import pyodide_kernel")
"""What the kernel's worker imports at start (jupyterlite-pyodide-kernel 0.7.0, initPackageManager
and initKernel): in the snapshot, so the worker finds them already imported."""

WARM_UP = ("import spotting", "spotting.load_knowledge()", "from spotting.explorer.app import prepare", "prepare()")
"""Reading and checking the data tables takes about 0.15 s in Pyodide; the cached result goes
into the snapshot (the tables are the ones in the archive, checked against their manifest).
``prepare`` then works out, with no widget, what the explorer's first ``App()`` would (the
languages on offer, which checks every catalog, the rules' index, the start page): about 0.7 s
of a visit's Python before it (bench/static.py)."""

KERNEL_WORKERS = {"plain": "352.ff006a8ce85afde3c485.js", "isolated": "620.9c1c106a2837357b6ea1.js"}
"""The kernel's two worker bundles, by when it starts each: ``isolated`` on a cross-origin-isolated
page (jupyterlite-pyodide-kernel 0.7.0's ``initWorker``), ``plain`` everywhere else, this site included."""

WORKER_PATCHES = {
    KERNEL_WORKERS["plain"]: "this._pyodide=await t({indexURL:s,",
    KERNEL_WORKERS["isolated"]: "this._pyodide=await t({indexURL:n,",
}
"""jupyterlite-pyodide-kernel 0.7.0's two worker bundles (one for cross-origin-isolated pages) and
the start of their ``loadPyodide`` call. Pinned by hash in static/build-requirements.txt."""

WORKER_DIR = "extensions/@jupyterlite/pyodide-kernel-extension/static"

KERNEL_SETTINGS = "@jupyterlite/pyodide-kernel-extension:kernel"
"""The kernel's settings in the site's jupyter-lite.json: where Pyodide is, and its options."""

EARLY_WORKER = PINS / "early-worker.html"
"""The page's part of the early start: it makes the kernel's worker at once (early_worker_tag)."""


def early_plan(out: Path) -> dict[str, object]:
    """What the kernel's worker will be asked to start, as the built site's jupyter-lite.json says:
    Pyodide's URL and its options, relative to the site's root (``root``, from the worker's folder).

    The worker's first line starts Python with it (snapshot-loader.js, ``start``) instead of waiting
    for the kernel to ask, and hands it over only if the kernel asks for exactly the same."""
    path = out / "jupyter-lite.json"
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))["jupyter-config-data"]["litePluginSettings"]
        kernel = settings[KERNEL_SETTINGS]
        plan = {"pyodideUrl": kernel["pyodideUrl"], "loadPyodideOptions": kernel["loadPyodideOptions"]}
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SnapshotError(f"{path}: no Pyodide settings for the kernel ({error!r})") from error
    return {"root": "../" * len(Path(WORKER_DIR).parts), **plan}


def early_worker_tag(page: Path, out: Path, workers: dict[str, str]) -> str:
    """The <script> a page (``page``, inside the site ``out``) runs first: it makes the kernel's
    worker before JupyterLab's JavaScript starts, and gives it to the kernel when it asks for it.
    ``workers`` maps each of KERNEL_WORKERS' bundles to its name in the site (patch_kernel_worker)."""
    up = "../" * (len(page.relative_to(out).parts) - 1)
    urls = {}
    for kind, original in KERNEL_WORKERS.items():
        name = workers[original]
        urls[kind] = f"{up}{WORKER_DIR}/{name}?v={name.split('.')[1]}"  # as the extension asks for it
    return EARLY_WORKER.read_text(encoding="utf-8").strip().replace("SPOTTING_KERNEL_WORKERS", json.dumps(urls))


def add_early_worker(page: Path, out: Path, workers: dict[str, str]) -> None:
    """Put the early worker's <script> in a page, just after its ``<meta charset>`` (which must stay
    in the page's first 1024 bytes), before any of JupyterLab's scripts."""
    text = page.read_text(encoding="utf-8")
    charset = re.search(r"<meta charset=[^>]*>", text)
    if charset is None or "spottingEarlyWorker" in text:
        raise SnapshotError(f"{page}: no <meta charset> to put the early worker after, or it is there already")
    tag = early_worker_tag(page, out, workers)
    page.write_text(text[: charset.end()] + "\n" + tag + text[charset.end() :], encoding="utf-8")


class SnapshotError(Exception):
    """The snapshot could not be made or put in place; the message says what to check."""


def content_name(stem: str, suffix: str, data: bytes) -> str:
    """A file name that changes with the content, so a cache can keep it for good."""
    return f"{stem}-{hashlib.sha256(data).hexdigest()[:12]}{suffix}"


def site_packages_archive(wheels: Iterable[Path], into: Path) -> Path:
    """Every file the wheels install into site-packages, in one reproducible ``.tar.gz``.

    A wheel's ``*.data/`` folders (a labextension's JavaScript, a man page) are not Python's and
    are left out. Two wheels may not both bring the same file."""
    files: dict[str, bytes] = {}
    for wheel in sorted(wheels, key=lambda path: path.name):
        with zipfile.ZipFile(wheel) as archive:
            for name in archive.namelist():
                if name.endswith("/") or name.split("/")[0].endswith(".data"):
                    continue
                data = archive.read(name)
                if files.get(name, data) != data:
                    raise SnapshotError(f"{wheel.name} and another wheel both bring {name}")
                files[name] = data
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in sorted(files.items()):
            entry = tarfile.TarInfo(name)
            entry.size, entry.mode, entry.mtime = len(data), 0o644, 0
            try:
                tar.addfile(entry, io.BytesIO(data))
            except ValueError as error:  # a path too long for ustar, which the loader reads
                raise SnapshotError(f"{name}: {error}") from error
    packed = gzip.compress(buffer.getvalue(), compresslevel=9, mtime=0)
    target = into / content_name("spotting-site-packages", ".tar.gz", packed)
    target.write_bytes(packed)
    return target


def snapshot_imports(notebook_sources: Sequence[str]) -> str:
    """The Python that runs before the snapshot: the kernel's imports, every import statement of
    the notebooks (derived, like the wheels), and the data warm-up. Nothing that makes widgets:
    a widget needs the page, which a snapshot cannot carry."""
    lines = [*KERNEL_IMPORTS]
    for source in notebook_sources:
        for node in ast.parse(source).body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                lines.append(ast.unparse(node))
    lines += [*WARM_UP, "import gc", "gc.collect()"]
    return "\n".join(dict.fromkeys(lines)) + "\n"


def make_snapshot(pyodide_dir: Path, archive: Path, code: str, epoch: str) -> Path:
    """Run node on the site's own Pyodide and write ``spotting-snapshot-<hash>.bin.gz`` beside it."""
    node = shutil.which("node")
    if node is None:
        raise SnapshotError("the static build needs node to make the Python snapshot: apt-get install -y nodejs")
    with tempfile.TemporaryDirectory(prefix="spotting-snapshot-") as scratch:
        raw = Path(scratch) / "snapshot.bin"
        command = [node, str(MAKER), str(pyodide_dir.resolve()), str(archive), str(LOADER), str(raw), epoch]
        ran = subprocess.run(command, input=code, capture_output=True, text=True, check=False)
        if ran.returncode != 0 or not raw.is_file():
            raise SnapshotError(f"making the Python snapshot failed:\n{(ran.stdout + ran.stderr)[-3000:]}")
        packed = gzip.compress(raw.read_bytes(), compresslevel=9, mtime=0)
    target = pyodide_dir / content_name("spotting-snapshot", ".bin.gz", packed)
    target.write_bytes(packed)
    return target


def patch_kernel_worker(out: Path) -> dict[str, str]:
    """Put the snapshot loader first in both worker bundles, starting Python at once (early_plan),
    and around their ``loadPyodide`` call: the expected call must be there exactly once, or the
    pinned kernel has changed. Then name the changed files by their new content
    (:func:`rename_by_content`). Returns each bundle's new name, by its pinned one."""
    loader = LOADER.read_text(encoding="utf-8").strip().rstrip(";")
    prelude = (
        "/* spotting: Python starts from the build's snapshot as soon as this worker does (static/snapshot-loader.js,\n"
        "   spotting_host/static_snapshot.py); the kernel's loadPyodide call below takes it over. */\n"
        f"self.spottingLoader = {loader};\n"
        f"self.spottingLoader.start({json.dumps(early_plan(out), sort_keys=True)});\n"
    )
    for name, call in WORKER_PATCHES.items():
        path = out / WORKER_DIR / name
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        if text.count(call) != 1:
            raise SnapshotError(
                f"{path}: expected `{call}` once (jupyterlite-pyodide-kernel 0.7.0); "
                "the kernel changed, so update spotting_host/static_snapshot.py WORKER_PATCHES"
            )
        function, arguments = call.removeprefix("this._pyodide=await ").split("(", 1)
        patched = f"this._pyodide=await self.spottingLoader({function})({arguments}"
        path.write_text(prelude + text.replace(call, patched, 1), encoding="utf-8")
    return rename_by_content(out)


def hashed_name(name: str, data: bytes) -> str:
    """``<chunk>.<hash>.js`` with a hash of ``data`` of the same length in place of the old one."""
    stem, old, suffix = name.split(".", 2)
    return f"{stem}.{hashlib.sha256(data).hexdigest()[: len(old)]}.{suffix}"


def rename_by_content(out: Path) -> dict[str, str]:
    """Give the patched worker bundles, and the kernel extension's ``remoteEntry`` that names
    them, new names from their new content, and point every reference at the new names.

    Why: their names carry webpack's content hash, and a host may keep such a file for a year
    (deploy/nginx-static.conf; the offline worker takes it from the browser's cache too). The
    patch changes their content with every build (the plan names the build's snapshot), so under
    the old names a returning visitor's browser could keep an older build's worker. The kernel
    finds its worker through remoteEntry's chunk map, and the pages find remoteEntry through
    their configuration (jupyter-lite.json and each page's copy), so those change too."""
    folder = out / WORKER_DIR
    entries = sorted(folder.glob("remoteEntry.*.js"))
    if len(entries) != 1:
        raise SnapshotError(f"{folder}: expected one remoteEntry.*.js, found {len(entries)}")
    entry = entries[0]
    text = entry.read_text(encoding="utf-8")
    renamed: dict[str, str] = {}
    for name in WORKER_PATCHES:
        data = (folder / name).read_bytes()
        new = hashed_name(name, data)
        chunk, old_hash = name.split(".")[:2]
        key = f'{chunk}:"{old_hash}"'
        if text.count(key) != 2:  # the chunk's file name and its "?v=" query
            raise SnapshotError(f"{entry}: expected `{key}` twice (its name and its ?v=); the kernel changed")
        text = text.replace(key, f'{chunk}:"{new.split(".")[1]}"')
        (folder / name).rename(folder / new)
        renamed[name] = new
    new_entry = hashed_name(entry.name, text.encode("utf-8"))
    (folder / new_entry).write_text(text, encoding="utf-8")
    entry.unlink()
    for path in sorted(p for p in out.rglob("*") if p.suffix in (".json", ".html") and p.is_file()):
        page = path.read_text(encoding="utf-8")
        if entry.name in page:
            path.write_text(page.replace(entry.name, new_entry), encoding="utf-8")
    if new_entry not in (out / "jupyter-lite.json").read_text(encoding="utf-8"):
        raise SnapshotError(f"{out / 'jupyter-lite.json'} does not load the kernel's {entry.name}")
    return renamed
