"""Build the explorer (and the teaching session) as a static site that runs in the browser.

Why: Voila gives every visitor a kernel on our server, so answers travel to it. A static site
(Voici = JupyterLite + Pyodide) runs the very same notebooks and the very same ``spotting``
package inside the visitor's browser, so **answers never leave the device**, and any static host
can serve it to the public. docs/static-site.md explains hosting; this module is the build.

Everything the site is made of is pinned, and the build is offline once the pinned files are in
the cache (``.static-cache/``):

* npm tarballs (Pyodide's core, Font Awesome) by their sha512 integrity: ``static/npm.json``;
* the browser's Python wheels by sha256: ``static/browser-wheels.txt``;
* the build tools (voici-core, jupyterlite) by sha256 in their own venv: ``static/build-requirements.txt``;
* ``spotting`` itself is a wheel made here from the working tree, with the validated data inside.

Which wheels the browser needs is *derived*, never hand-listed: the notebooks' code cells are run
in this (server) environment, and every distribution they import that ``spotting`` really
depends on must be in the browser lock at a pinned hash, otherwise the build stops and says how
to re-lock (``python -m spotting_host.static_site lock``). The same run proves that the apps import
neither pandas nor pandera (the kernel reads a validated snapshot: spotting.knowledge).

The browser gets no wheels: their files go into one archive, and a Python that has already
imported the kernel and the apps goes into a memory snapshot (spotting_host.static_snapshot), so a
visit neither installs nor imports them. This module is only imported by the build (it needs
pandas to validate data/); nothing at run time imports it.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distribution, packages_distributions, requires
from pathlib import Path

from spotting import knowledge

from . import static_offline, static_snapshot

ROOT = Path(__file__).resolve().parents[1]
PINS = ROOT / "static"
CACHE = Path(os.environ.get("SPOTTING_STATIC_CACHE") or ROOT / ".static-cache")
BUILD_VENV = ROOT / ".venv-static"
DIST = ROOT / "dist"
NOTEBOOKS = ("explorer.ipynb", "teaching.ipynb")
"""The review notebook is for clinicians with the repository at hand; it is not published."""

PYODIDE_CORE = ("pyodide.js", "pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", "package.json")
"""Pyodide's npm package also carries a lock for its CDN; we ship our own lock instead."""

KERNEL_PACKAGES = ("sqlite3", "ipykernel", "comm", "pyodide_kernel", "jedi", "ipython")
"""What jupyterlite-pyodide-kernel 0.7.0 installs at start unless loadPyodideOptions names it."""

KERNEL_PINS = (
    "ipython==9.0.2", "ipython_pygments_lexers==1.1.1", "traitlets==5.14.3",
    "decorator==5.2.1", "pygments==2.19.1", "prompt_toolkit==3.0.50", "wcwidth==0.2.13", "matplotlib_inline==0.1.7",
    "stack_data==0.6.3", "executing==2.2.0", "asttokens==3.0.0", "pure_eval==0.2.3", "six==1.17.0",
    "typing_extensions==4.15.0", "packaging==24.2", "comm==0.2.3", "micropip==0.11.0",
)  # fmt: skip
"""The kernel's own packages at the versions Pyodide 0.29.0 ships (docs/static-site.md, "Pinned set")."""

KERNEL_STUBS = ("sqlite3", "jedi")
"""Empty wheels for names the kernel installs but a dashboard never uses. Without sqlite3, IPython
keeps no history (nothing is stored, which we want). Without jedi, IPython completes code without
it; nobody types code in a dashboard, and jedi and parso are 1.9 MB to fetch and about 0.5 s to
import on every visit (bench/static.py)."""

NOT_IN_BROWSER = frozenset(
    {"widgetsnbextension", "jupyterlab-widgets", "pexpect", "ptyprocess", "ipykernel", "jedi", "parso"}
)
"""Notebook-server pieces: the kernel brings shims for ipykernel and widgetsnbextension, the
widget manager's JavaScript comes from its labextension, not from Python, and jedi is stubbed."""

SERVER_ONLY = frozenset({"pandas", "pandera", "numpy", "voila", "jupyterlab"})
"""Must never be imported by a dashboard: compiled (no wheel for the browser) or server-side."""

SERVICE_WORKER = "service-worker.js"
"""Left out of the site on purpose. Without JupyterLite's service worker the kernel mounts no
synced drive. A dashboard reads no files (the data is inside the spotting wheel), and the drive
made every Python import look in it through a synchronous request: about a hundred per visit,
several seconds of start-up on a 2-core machine (bench/static.py). Voici ignores
``disabledExtensions`` for the worker's plugin, so the file is removed, and NO_SERVICE_WORKER
stops the page from asking for it (a 404 on every visit otherwise)."""

NO_SERVICE_WORKER = (
    "<script>/* spotting: JupyterLite's service worker is left out on purpose (SERVICE_WORKER in\n"
    "   spotting_host/static_site.py); the site's own offline worker is hidden from JupyterLite */\n"
    "(function (c) {\n"
    "  if (!c) return;\n"
    "  var controller = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(c), 'controller').get;\n"
    "  window.spottingOffline = { register: c.register.bind(c),\n"
    "    controller: function () { return controller.call(c); } };\n"
    "  c.register = function () {\n"
    "    return Promise.reject(new Error('spotting: JupyterLite\\'s service worker is left out, on purpose'));\n"
    "  };\n"
    "  Object.defineProperty(c, 'controller', { configurable: true, get: function () { return null; } });\n"
    "})(navigator.serviceWorker);</script>"
)
"""First in every page's <head>. Voici always activates JupyterLite's service-worker manager, which
registers ``service-worker.js`` at the site root; refused here, the manager takes the very path
it takes after a failed registration (the page carries on), with no request made.

The site's own worker (``offline-worker.js``, spotting_host.static_offline) is registered by the page
through the saved ``window.spottingOffline.register``. JupyterLite must not see it: a page it
finds controlled by a worker makes it unregister every worker (and write to localStorage) or
adopt ours as its own and send the kernel's file reads to it. So ``controller`` reads as null for
JupyterLite; the offline script reads the real one."""

KERNEL_SHIMS = ("ipykernel", "piplite", "pyodide-kernel")
"""Wheels that come inside the kernel's labextension (``static/pypi``), with their real hashes."""

SITE_EXTENSIONS_FROM_BUILD = ("@jupyterlite/pyodide-kernel-extension",)
"""The one JupyterLab extension the site takes from the build's own venv: the kernel. The build's
other extensions (Voila's JupyterLab preview button, jupyterlab_pygments' code colours) are for a
JupyterLab these pages are not, and each would be fetched and run on every visit (about 60 ms of a
second visit for the code colours alone, docs/static-site.md), so the site gets no extension from
the build's venv unless it is named here; the widgets' come from the derived distributions."""

UNUSED_BUILD = "build"
"""JupyterLab's shared bundle for the lab and notebook apps (7 MB). ``--apps voici`` leaves it
behind; the Voici pages load ``voici/build`` instead and never ask for it (the browser tests
fail on any request that does not succeed)."""

OLD_FONT_FORMATS = frozenset({".eot", ".svg", ".ttf", ".otf", ".woff"})
"""Font Awesome's CSS lists woff2 first among the formats a browser may pick; every browser that
runs Pyodide (it needs WebAssembly and DecompressionStream) takes woff2 and never asks for the
rest, which were 3.5 MB of the site."""

CDN_LINKS = {
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@^5/css/": "../fontawesome/css/",
    "https://cdn.jsdelivr.net/npm/font-awesome@4.5.0/css/": "../font-awesome-4/css/",
}
"""Voici's page templates load Font Awesome from a CDN; the site carries its own copy instead."""

_REMOTE = r"""(?:https?:)?//[^\s"'`)>]+"""
REMOTE_LOAD = re.compile(
    r"<(?:script|img|iframe|frame|source|video|audio|embed|track|input)\b[^>]*?\bsrc\s*=\s*[\"']?\s*" + _REMOTE
    + r"|<link\b[^>]*?\bhref\s*=\s*[\"']?\s*" + _REMOTE
    + r"|\.src\s*=\s*[\"'`]" + _REMOTE
    + r"|\burl\(\s*[\"']?" + _REMOTE
    + r"|@import\s+[\"']" + _REMOTE
    + r"|\bimport\s*\(\s*[\"'`]" + _REMOTE
    + r"|\bimport\s+[^;'\"]*?from\s*[\"']" + _REMOTE
    + r"|\bimportScripts\s*\(\s*[\"'`]" + _REMOTE
    + r"|\bfetch\s*\(\s*[\"'`]" + _REMOTE,
    re.IGNORECASE,
)
"""A load from another host: a tag that fetches (script, img, link, ...), a script setting
``.src``, a CSS url() or @import, an import, importScripts or a fetch. A link a person clicks
(``<a href>`` to a source) and a bare URL in text are fine: the browser fetches neither."""

JS_COMMENT = re.compile(r"/\*.*?\*/|^\s*//[^\n]*", re.DOTALL | re.MULTILINE)
"""Comments in scripts (webpack's runtime explains an attack with an example URL); code stays."""

TEXT_SUFFIXES = (".html", ".js", ".mjs", ".css", ".json")

PROGRESS_SNIPPET = PINS / "progress.html"
QUICK_EXIT_SNIPPET = ROOT / "share" / "jupyter" / "voila" / "templates" / "spotting" / "quick_exit.html"
"""The quick exit (issue 19): the Voila template's own file, so the neutral site is written once."""

MOCK_SOCKET_DELAY = re.compile(r"(setTimeout\(\(function\((\w+)\)\{return \w+\.call\(\2\)\}\),)4,")
"""The 4 ms pause JupyterLite's in-page socket (the mock-socket library, in Voici's bundle) puts
before every message from the page to the kernel, to imitate a network that is not there.
Each answer waited for it; ``patch_socket_delay`` makes it 0 (still a new task, so the order of
messages is the same). Versions are pinned by hash, so the build fails if the code is not found
exactly once rather than ship a site that silently lost the fix."""


class BuildError(Exception):
    """A problem the person running the build can fix; printed without a traceback."""


# ---------------------------------------------------------------------------------- derivation


def normalise(name: str) -> str:
    """PyPI's name normalisation (PEP 503), so ``Pygments`` and ``pygments`` are one package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def notebook_code(name: str) -> str:
    """The code cells of a notebook, as the kernel runs them."""
    cells = json.loads((ROOT / "notebooks" / name).read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")


def imported_distributions(notebooks: Sequence[str] = NOTEBOOKS) -> set[str]:
    """Distributions whose modules the notebooks really import, run here in a fresh Python.

    A fresh process, so what this build imported (pandas, to validate data/) does not count."""
    probe = "\n".join(
        [
            "import json, sys",
            *(f"exec(compile({notebook_code(name)!r}, {name!r}, 'exec'), {{}})" for name in notebooks),
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))",
        ]
    )
    ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=False)
    if ran.returncode != 0:
        raise BuildError(f"running the notebooks' code failed:\n{ran.stderr[-2000:]}")
    owners = packages_distributions()
    return {normalise(dist) for module in json.loads(ran.stdout) for dist in owners.get(module, ())}


def requirement_closure(root: str = "spotting") -> set[str]:
    """Every installed distribution ``root`` depends on, directly or not (extras left out; a
    requirement for another platform, such as colorama on Windows, is not installed here)."""
    seen: set[str] = set()
    todo = [root]
    while todo:
        name = normalise(todo.pop())
        if name in seen:
            continue
        try:
            found = requires(name) or []
        except PackageNotFoundError:
            continue
        seen.add(name)
        for requirement in found:
            if "extra ==" in requirement.replace("extra==", "extra =="):
                continue
            todo.append(re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0])
    return seen


def browser_distributions() -> dict[str, str]:
    """The distributions the notebooks need in the browser, with the server's versions.

    Derived, not listed: what the notebooks import, limited to what ``spotting`` declares it
    depends on (so the probe's own helpers never count). Fails if a dashboard imports something
    that cannot or must not run in the browser, such as pandas.

    Validating data/ first records its fingerprint, so the probe loads it the way the browser
    does: trusted, read with the csv module (see spotting.knowledge)."""
    if knowledge.check_data():
        raise BuildError("data/ is not valid; run: .venv/bin/spotting check-data")
    imported = imported_distributions() - {"spotting"}
    leaked = sorted(imported & SERVER_ONLY)
    if leaked:
        raise BuildError(f"the notebooks import {', '.join(leaked)} at run time; the browser has none of it")
    needed = imported & requirement_closure()
    return {name: distribution(name).version for name in sorted(needed - NOT_IN_BROWSER)}


# ------------------------------------------------------------------------------------- pinning


@dataclass(frozen=True)
class Wheel:
    """One pinned browser wheel."""

    name: str
    version: str
    sha256: str


def read_browser_lock(path: Path = PINS / "browser-wheels.txt") -> dict[str, Wheel]:
    """``name==version --hash=sha256:...`` lines, as pip writes them."""
    wheels = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)==(\S+)\s+--hash=sha256:([0-9a-f]{64})\s*", line)
        if match:
            wheel = Wheel(normalise(match[1]), match[2], match[3])
            wheels[wheel.name] = wheel
    return wheels


def check_lock_covers(needed: dict[str, str], lock: dict[str, Wheel]) -> None:
    """Every derived distribution must be pinned, at the server's version unless the kernel pins it."""
    kernel = {normalise(pin.split("==")[0]) for pin in KERNEL_PINS}
    problems = [
        f"{name}=={version}" for name, version in needed.items()
        if name not in lock or (name not in kernel and lock[name].version != version)
    ]  # fmt: skip
    if problems:
        raise BuildError(
            f"static/browser-wheels.txt lacks {', '.join(problems)} (the notebooks import it); "
            "run: .venv/bin/python -m spotting_host.static_site lock"
        )


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def wheel_cache() -> Path:
    return CACHE / "wheels"


def cached_wheel(wheel: Wheel) -> Path | None:
    """The cached file for a pinned wheel, if it is there with the right hash."""
    stem = re.sub(r"-", "_", wheel.name)
    for path in wheel_cache().glob("*.whl"):
        name, version = path.name.split("-")[:2]
        if normalise(name) == normalise(stem) and version == wheel.version and sha256_of(path) == wheel.sha256:
            return path
    return None


def fetch_wheels(wheels: Iterable[Wheel]) -> list[Path]:
    """The pinned wheels, from the cache or (once) from PyPI with pip checking every hash."""
    wheels = list(wheels)
    missing = [wheel for wheel in wheels if cached_wheel(wheel) is None]
    if missing:
        wheel_cache().mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
            handle.writelines(f"{w.name}=={w.version} --hash=sha256:{w.sha256}\n" for w in missing)
        try:
            _pip_download(["--no-deps", "--require-hashes", "-r", handle.name], wheel_cache())
        finally:
            os.unlink(handle.name)
    found = []
    for wheel in wheels:
        path = cached_wheel(wheel)
        if path is None:
            raise BuildError(f"{wheel.name}=={wheel.version}: no wheel with sha256 {wheel.sha256} in {wheel_cache()}")
        found.append(path)
    return found


def _pip_download(arguments: Sequence[str], into: Path) -> None:
    """Pure-Python wheels for Pyodide's Python (3.13), whatever Python runs the build."""
    command = [
        sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:", "--python-version", "3.13",
        "--platform", "any", "--implementation", "py", "--abi", "none", "-d", str(into), *arguments,
    ]  # fmt: skip
    ran = subprocess.run(command, capture_output=True, text=True, check=False)
    if ran.returncode != 0:
        raise BuildError(f"pip download failed:\n{ran.stderr[-3000:]}")


def lock(path: Path = PINS / "browser-wheels.txt") -> None:
    """Re-pin the browser wheels: the kernel's set plus what the notebooks import (needs PyPI)."""
    needed = browser_distributions()
    kernel = {normalise(pin.split("==")[0]): pin for pin in KERNEL_PINS}
    pins = [*kernel.values(), *(f"{name}=={version}" for name, version in needed.items() if name not in kernel)]
    with tempfile.TemporaryDirectory() as scratch:
        _pip_download(pins, Path(scratch))
        lines = []
        for wheel in sorted(Path(scratch).glob("*.whl")):
            name, version = wheel.name.split("-")[:2]
            if normalise(name) not in NOT_IN_BROWSER:
                lines.append(f"{normalise(name)}=={version} --hash=sha256:{sha256_of(wheel)}")
    header = (
        "# Pure-Python wheels the browser loads (Pyodide 0.29.0, Python 3.13), pinned by hash.\n"
        "# Written by `.venv/bin/python -m spotting_host.static_site lock`: the kernel's own set plus what\n"
        "# the notebooks import (derived from the package's real dependencies). Do not edit by hand.\n"
    )
    path.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)} ({len(lines)} wheels)")


# ----------------------------------------------------------------------------------------- npm


def npm_file(name: str) -> Path:
    """A pinned npm tarball from the cache (fetched once with ``npm pack``), integrity checked."""
    pins = {pin["name"]: pin for pin in json.loads((PINS / "npm.json").read_text(encoding="utf-8"))["packages"]}
    pin: dict[str, str] = pins[name]
    path: Path = CACHE / "npm" / pin["file"]
    if not path.is_file():
        if shutil.which("npm") is None:
            raise BuildError(f"{path.name} is not in {path.parent} yet, and fetching it needs npm: apt-get install npm")
        path.parent.mkdir(parents=True, exist_ok=True)
        ran = subprocess.run(
            ["npm", "pack", "--silent", f"{pin['name']}@{pin['version']}"],
            cwd=path.parent, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if ran.returncode != 0:
            raise BuildError(f"npm pack {pin['name']}@{pin['version']} failed:\n{ran.stderr[-2000:]}")
    algorithm, expected = pin["integrity"].split("-", 1)
    actual = base64.b64encode(hashlib.new(algorithm, path.read_bytes()).digest()).decode()
    if actual != expected:
        raise BuildError(f"{path}: {algorithm} is {actual}, but static/npm.json pins {expected}; delete the file")
    return path


def extract(tarball: Path, members: Iterable[str], into: Path) -> None:
    """Copy ``package/<member>`` files or folders out of an npm tarball."""
    wanted = tuple(f"package/{member}" for member in members)
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            if member.isfile() and member.name.startswith(wanted):
                target = into / member.name.removeprefix("package/")
                target.parent.mkdir(parents=True, exist_ok=True)
                source = archive.extractfile(member)
                assert source is not None
                target.write_bytes(source.read())


# -------------------------------------------------------------------------------------- wheels

_EPOCH = (1980, 1, 1, 0, 0, 0)


def write_wheel(path: Path, name: str, version: str, files: dict[str, bytes], requires_dist: Sequence[str]) -> Path:
    """A reproducible pure-Python wheel: fixed timestamps and order, so the same tree gives the
    same bytes (and the same sha256 in the lock)."""
    info = f"{name}-{version}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n" + "".join(
        f"Requires-Dist: {requirement}\n" for requirement in requires_dist
    )
    files = {
        **files,
        f"{info}/METADATA": metadata.encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: spotting_host.static_site\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n",
        f"{info}/top_level.txt": "".join(sorted({f.split("/")[0] + "\n" for f in files if "/" in f})).encode(),
    }
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    for arcname, data in sorted(files.items()):
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        writer.writerow([arcname, f"sha256={digest}", len(data)])
    writer.writerow([f"{info}/RECORD", "", ""])
    files[f"{info}/RECORD"] = record.getvalue().encode()
    target = path / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for arcname, data in sorted(files.items()):
            entry = zipfile.ZipInfo(arcname, _EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data)
    return target


ASSET_SUFFIXES = (".js", ".css", ".po")
"""Besides its modules, the package's assets (spotting/assets/: the widgets read them by path) and
its translation catalogs (spotting/locale/: the explorer offers the same languages in the browser)."""
LOCALE_FILES = ("languages.csv",)
"""The list of languages a reader may choose, beside the catalogs."""


def spotting_wheel(into: Path, requires_dist: Sequence[str]) -> Path:
    """``spotting`` from the working tree, with data/ and its validation manifest inside.

    The data goes *inside* the wheel (``spotting/data/``), not beside the site: one file, one
    hash, and the kernel finds it with no fetch of its own. The build has just validated it in
    full (pandas and pandera, here), so the manifest lets the browser skip that step."""
    files: dict[str, bytes] = {}
    for path in sorted((ROOT / "spotting").rglob("*")):
        if (path.suffix in (".py", *ASSET_SUFFIXES) or path.name in LOCALE_FILES) and path.is_file():
            files[path.relative_to(ROOT).as_posix()] = path.read_bytes()
    # Every table of data/, not only the knowledge base's (knowledge.TABLES): the teaching page also
    # reads its session plan, safeguarding script and answer bank, as a pip-installed wheel does.
    for path in sorted(knowledge.DEFAULT_DATA_DIR.glob("*.csv")):
        files[f"spotting/data/{path.name}"] = path.read_bytes()
    manifest = knowledge.snapshot_manifest(knowledge.DEFAULT_DATA_DIR)
    files[f"spotting/data/{knowledge.SNAPSHOT_MANIFEST}"] = json.dumps(manifest, indent=1).encode()
    # The content hash in the version makes a rebuilt wheel a new file name, so a browser or CDN
    # cache can never hand an old wheel to a new lock (Pyodide would refuse its sha256).
    content = hashlib.sha256(b"".join(name.encode() + data for name, data in sorted(files.items()))).hexdigest()
    version = f"{distribution('spotting').version}+{content[:12]}"
    return write_wheel(into, "spotting", version, files, requires_dist)


def stub_wheel(into: Path, name: str) -> Path:
    """An empty wheel (metadata only): the kernel asks for the name, ``import`` still fails (see
    KERNEL_STUBS)."""
    return write_wheel(into, name, "0.0.1", {}, ())


# --------------------------------------------------------------------------------------- build


def labextensions(names: Iterable[str]) -> list[Path]:
    """The labextension folders that the derived distributions (and their dependencies) install,
    taken from this environment so the JavaScript matches the Python the server uses."""
    found = []
    for name in sorted(names):
        for dependency in sorted(requirement_closure(name)):
            dist = distribution(dependency)
            for file in dist.files or ():
                parts = file.parts
                if "labextensions" in parts and file.name == "package.json":
                    index = parts.index("labextensions")
                    if len(parts) in (index + 3, index + 4):  # name/package.json or @scope/name/package.json
                        found.append(Path(str(dist.locate_file(file))).parent)
    return sorted(set(found))


def prepare_lite_dir(lite: Path, needed: dict[str, str], epoch: str) -> list[str]:
    """The folder ``voici build`` reads; returns the package names the kernel finds installed.

    The wheels do not go into the site: their files go into one archive, and a Python that has
    already imported them goes into a memory snapshot (spotting_host.static_snapshot). Pyodide's own
    lock stays empty, so nothing is installed at start and nothing can be fetched by name."""
    pyodide_dir = lite / "static" / "pyodide"
    pyodide_dir.mkdir(parents=True)
    extract(npm_file("pyodide"), PYODIDE_CORE, pyodide_dir)
    browser_lock = read_browser_lock()
    check_lock_covers(needed, browser_lock)
    wheels = fetch_wheels(browser_lock.values())
    shims = sorted(
        path for path in (BUILD_VENV / "share/jupyter/labextensions/@jupyterlite/pyodide-kernel-extension/static/pypi")
        .glob("*.whl") if normalise(path.name.split("-")[0]) in KERNEL_SHIMS
    )  # fmt: skip
    if len(shims) != len(KERNEL_SHIMS):
        raise BuildError(f"the kernel's own wheels ({', '.join(KERNEL_SHIMS)}) are missing from {BUILD_VENV}")
    own = lite.parent / "wheels"
    own.mkdir()
    made = [spotting_wheel(own, sorted(name for name in needed if name in _direct_requirements()))]
    made += [stub_wheel(own, name) for name in KERNEL_STUBS]
    all_wheels = [*wheels, *shims, *made]
    pyodide_lock = json.loads(_pyodide_npm_lock())
    (pyodide_dir / "pyodide-lock.json").write_text(json.dumps(pyodide_lock, indent=1, sort_keys=True))
    try:
        archive = static_snapshot.site_packages_archive(all_wheels, pyodide_dir)
        code = static_snapshot.snapshot_imports([notebook_code(name) for name in NOTEBOOKS])
        snapshot = static_snapshot.make_snapshot(pyodide_dir, archive, code, epoch)
    except static_snapshot.SnapshotError as error:
        raise BuildError(str(error)) from error
    packages = sorted(normalise(wheel.name.split("-")[0]) for wheel in all_wheels)
    config = {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "litePluginSettings": {
                "@jupyterlite/pyodide-kernel-extension:kernel": {
                    "disablePyPIFallback": True,
                    # The kernel skips its own installs for the names listed here; the snapshot
                    # loader (static/snapshot-loader.js) reads the two URLs.
                    "loadPyodideOptions": {
                        "packages": packages,
                        "spottingSnapshotURL": f"./static/pyodide/{snapshot.name}",
                        "spottingSitePackagesURL": f"./static/pyodide/{archive.name}",
                    },
                }
            }
        },
    }
    (lite / "jupyter-lite.json").write_text(json.dumps(config, indent=1))
    # Only the extensions named, not every one the build's venv has (SITE_EXTENSIONS_FROM_BUILD).
    (lite / "jupyter_lite_config.json").write_text(
        json.dumps({"LiteBuildConfig": {"ignore_sys_prefix": ["federated_extensions"]}}, indent=1)
    )
    (lite / "notebooks").mkdir()
    for name in NOTEBOOKS:
        shutil.copy2(ROOT / "notebooks" / name, lite / "notebooks" / name)
    extensions = lite.parent / "labextensions"  # handed to voici build: see build()
    from_build = [BUILD_VENV / "share/jupyter/labextensions" / name for name in SITE_EXTENSIONS_FROM_BUILD]
    if missing := [str(folder) for folder in from_build if not (folder / "package.json").is_file()]:
        raise BuildError(f"the site's JupyterLab extensions are missing: {', '.join(missing)}")
    for folder in [*labextensions(needed), *from_build]:
        name = json.loads((folder / "package.json").read_text(encoding="utf-8"))["name"]
        shutil.copytree(folder, extensions / name, ignore=shutil.ignore_patterns("*.map"))
    return packages


def _direct_requirements() -> set[str]:
    return {normalise(re.split(r"[\s;<>=!~\[(]", r, maxsplit=1)[0]) for r in requires("spotting") or ()}


def _pyodide_npm_lock() -> str:
    """Pyodide's own lock with its ``info`` block only: no package can be installed by name."""
    with tarfile.open(npm_file("pyodide")) as archive:
        member = archive.extractfile("package/pyodide-lock.json")
        assert member is not None
        data = json.loads(member.read())
    return json.dumps({"info": data["info"], "packages": {}})


def postbuild(out: Path) -> None:
    """Vendor Font Awesome, point the pages at it, add the progress line and the quick exit, start
    the kernel from the snapshot (and its worker with the page), drop what no page asks for."""
    voici = out / "voici"
    extract(npm_file("@fortawesome/fontawesome-free"), ("css", "webfonts"), voici / "fontawesome")
    extract(npm_file("font-awesome"), ("css", "fonts"), voici / "font-awesome-4")
    progress = PROGRESS_SNIPPET.read_text(encoding="utf-8") + QUICK_EXIT_SNIPPET.read_text(encoding="utf-8")
    for page in sorted(out.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for remote, local in CDN_LINKS.items():
            text = text.replace(remote, local)
        if "/render/" in page.as_posix() and 'id="spotting-progress"' not in text:
            text = _add_progress(text, progress, page)
        for name in static_offline.PAGES:
            if page.as_posix().endswith(f"/voici/render/{name}.html"):
                text = static_offline.add_to_page(text, name)
        if NO_SERVICE_WORKER not in text:
            text = re.sub(r"<head(?:\s[^>]*)?>", lambda head: head[0] + "\n" + NO_SERVICE_WORKER, text, count=1)
        page.write_text(text, encoding="utf-8")
    patch_socket_delay(out / "voici" / "build")
    try:
        workers = static_snapshot.patch_kernel_worker(out)
        for page in sorted(voici.glob("render/*.html")):  # their Python starts with the page
            static_snapshot.add_early_worker(page, out, workers)
    except static_snapshot.SnapshotError as error:
        raise BuildError(str(error)) from error
    for junk in [*out.rglob("*.map"), out / SERVICE_WORKER, *_unused_fonts(voici)]:
        junk.unlink(missing_ok=True)
    shutil.rmtree(out / UNUSED_BUILD, ignore_errors=True)
    (out / ".nojekyll").touch()  # GitHub Pages: publish the files as they are, no Jekyll step


def _unused_fonts(voici: Path) -> list[Path]:
    """Icon fonts in formats for browsers too old to run Pyodide (see OLD_FONT_FORMATS)."""
    return [path for path in voici.glob("font*/*fonts/*") if path.suffix in OLD_FONT_FORMATS]


def patch_socket_delay(build: Path) -> Path:
    """Remove the in-page socket's imitation network delay (``MOCK_SOCKET_DELAY``); returns the file."""
    texts = {path: path.read_text(encoding="utf-8") for path in sorted(build.glob("*.js"))}
    found = {path: count for path, text in texts.items() if (count := len(MOCK_SOCKET_DELAY.findall(text)))}
    if list(found.values()) != [1]:
        where = ", ".join(f"{path.name} ({count}x)" for path, count in found.items()) or "no file"
        raise BuildError(f"expected the in-page socket's 4 ms delay exactly once in {build}, found: {where}")
    (path,) = found
    path.write_text(MOCK_SOCKET_DELAY.sub(r"\g<1>0,", texts[path]), encoding="utf-8")
    return path


def _add_progress(text: str, snippet: str, page: Path) -> str:
    """The progress line and the quick exit go first in <body>, so they are there before any script
    runs. A rendered page without a <body> is a Voici that changed its page: the build stops,
    rather than publish a page with no progress line and, worse, no quick exit."""
    match = re.search(r"<body(?:\s[^>]*)?>", text)
    if match is None:
        raise BuildError(
            f"{page.name} has no <body> tag, so the progress line and the quick exit cannot go first in it: "
            "Voici's page template changed; follow it in spotting_host/static_site.py (_add_progress)"
        )
    return text[: match.end()] + "\n" + snippet + text[match.end() :]


def remote_loads(out: Path) -> list[str]:
    """Every place in the site that would make the browser fetch from another host."""
    found = []
    for path in sorted(out.rglob("*")):
        if path.suffix not in TEXT_SUFFIXES or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix in (".js", ".mjs"):
            text = JS_COMMENT.sub("", text)
        for match in REMOTE_LOAD.finditer(text):
            if "mermaid" in match.group(0):
                # nbconvert's template imports mermaid from a CDN only when a notebook has a
                # mermaid diagram; ours have none, and test_static_site fails if one appears.
                continue
            found.append(f"{path.relative_to(out)}: {match.group(0)[:120]}")
    return found


def build(out: Path = DIST) -> float:
    """Build the site into ``out``; returns the seconds it took."""
    started = time.monotonic()
    voici = BUILD_VENV / "bin" / "voici"
    if not voici.exists():
        raise BuildError(f"{voici} is missing; run: make static (it installs static/build-requirements.txt)")
    needed = browser_distributions()
    with tempfile.TemporaryDirectory(prefix="spotting-static-") as scratch:
        lite = Path(scratch) / "lite"
        staging = Path(scratch) / "dist"
        # JupyterLite stamps the notebooks' "created" times with SOURCE_DATE_EPOCH when it is set,
        # and the Python snapshot's clock reads it: the same tree then gives the same site, byte
        # for byte.
        epoch = os.environ.get("SOURCE_DATE_EPOCH") or source_date_epoch()
        prepare_lite_dir(lite, needed, epoch)
        command = [
            str(voici), "build", "--contents", "notebooks", "--output-dir", str(staging), "--apps", "voici",
            "--no-unused-shared-packages", "--no-sourcemaps",
            f"--FederatedExtensionAddon.extra_labextensions_path={Path(scratch) / 'labextensions'}",
        ]  # fmt: skip
        env = {**os.environ, "SOURCE_DATE_EPOCH": epoch}
        ran = subprocess.run(command, cwd=lite, env=env, capture_output=True, text=True, check=False)
        if ran.returncode != 0:
            raise BuildError(f"voici build failed:\n{(ran.stdout + ran.stderr)[-4000:]}")
        postbuild(staging)
        try:
            static_offline.make_offline(staging, CACHE)  # last: its worker lists every other file
        except static_offline.OfflineError as error:
            raise BuildError(str(error)) from error
        remote = remote_loads(staging)
        if remote:
            raise BuildError("the site would load from other hosts:\n" + "\n".join(remote))
        if out.exists():
            shutil.rmtree(out)
        shutil.move(staging, out)
    return time.monotonic() - started


def source_date_epoch() -> str:
    """The time of the last commit (a reproducible build's clock), or 1980 outside a git clone."""
    ran = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True, check=False)
    return ran.stdout.strip() if ran.returncode == 0 and ran.stdout.strip().isdigit() else "315532800"


def largest_parts(out: Path, count: int = 10) -> list[tuple[str, int]]:
    """The biggest files, for docs/static-site.md."""
    sizes = [(path.relative_to(out).as_posix(), path.stat().st_size) for path in out.rglob("*") if path.is_file()]
    return sorted(sizes, key=lambda item: -item[1])[:count]


def total_size(out: Path) -> int:
    return sum(path.stat().st_size for path in out.rglob("*") if path.is_file())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spotting_host.static_site", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="build the static site")
    build_cmd.add_argument("--out", type=Path, default=DIST, help="output folder (default: dist/)")
    commands.add_parser("lock", help="re-pin the browser wheels (needs PyPI)")
    check_cmd = commands.add_parser("check", help="fail if a built site would load from another host")
    check_cmd.add_argument("--out", type=Path, default=DIST)
    args = parser.parse_args(argv)
    try:
        if args.command == "lock":
            lock()
        elif args.command == "check":
            remote = remote_loads(args.out)
            print("\n".join(remote) or f"{args.out}: no loads from other hosts")
            return 1 if remote else 0
        else:
            seconds = build(args.out)
            size = total_size(args.out) / 1e6
            print(f"built {args.out} in {seconds:.1f} s: {size:.1f} MB")
            for name, bytes_ in largest_parts(args.out, 5):
                print(f"  {bytes_ / 1e6:6.2f} MB  {name}")
    except BuildError as error:
        print(f"spotting static: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
