"""The static site as an installable app that opens with no connection (issue 24).

Why: the people who most need this page often have the least reliable access (no data left, a
shared or watched connection, a waiting room with no signal). After one visit the explorer and
the learner page should open, answer and advise on a phone with no connection at all.

What the build adds to ``dist/`` (spotting_host.static_site.postbuild calls :func:`make_offline`):

* a web app manifest per page (``explorer.webmanifest``, ``teaching.webmanifest``), linked from
  that page, with icons drawn here (:func:`icon_png`: a plain white drop on the site's blue, no
  image library needed), so Chrome offers to install it and an iPhone can add it to the home
  screen;
* ``offline-worker.js``, a service worker made by **Workbox's build tool** (``workbox-build`` from
  npm, pinned with every tarball's integrity in ``static/workbox/package-lock.json`` and installed
  with ``npm ci`` into ``.static-cache/workbox``). It precaches every file of the site, so lazily
  loaded JavaScript, Pyodide and the Python archive and snapshot are all on the device after the
  first visit. Caching is Workbox's, not ours: we only choose what goes in and how it is named;
* the cache name carries a hash of the whole site (``spotting-<hash>-precache-…``), so two builds
  never share a cache; a newer build installs beside the old one, waits until the person accepts
  the page's offer ("A newer version is ready. Reload"), then ``offline-cleanup.js`` deletes the
  older builds' caches.

Privacy: Workbox precaches only the listed files of the site, by GET, and this module adds no
runtime caching, so nothing a person enters can reach Cache Storage (tests/e2e/host/test_static_offline.py
compares every cached response with the file in ``dist/``). The worker sends nothing anywhere.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import struct
import subprocess
import tempfile
import zlib
from collections.abc import Sequence
from pathlib import Path

PINS = Path(__file__).resolve().parents[1] / "static"
WORKBOX_PINS = PINS / "workbox"
MAKER = PINS / "make-worker.mjs"
SNIPPET = PINS / "offline.html"

WORKER = "offline-worker.js"
"""At the site's root, so its scope covers the pages, the kernel's files and Pyodide. Not
``service-worker.js``: that name is JupyterLite's, which the site leaves out on purpose."""

CLEANUP = "offline-cleanup.js"
"""Imported by the worker (Workbox's ``importScripts`` option): deletes older builds' caches."""

THEME_COLOUR = "#005eb8"
"""The links' and the body diagram's blue (spotting/diagram.py, spotting_host/voila_ext.py)."""

BACKGROUND_COLOUR = "#ffffff"
"""The page's background, so the splash screen of the installed app matches the page."""

ICONS = (
    ("icon-192.png", 192, "any", 0.62),
    ("icon-512.png", 512, "any", 0.62),
    ("icon-maskable-512.png", 512, "maskable", 0.46),
)
"""File, size, purpose and the drop's height as a share of the icon. A maskable icon may be cut to a
circle of 80% of its width, so its drop is smaller and stays whole."""

APPLE_ICON = ("apple-touch-icon.png", 180, "any", 0.62)
"""An iPhone ignores the manifest's icons and looks for this one."""

PAGES = {
    "explorer": ("Bleeding after sex: explorer", "Bleeding explorer",
                 "Answer a few questions about light bleeding after sex and see what it might mean and where "
                 "to get help. It runs on your device and sends nothing anywhere."),
    "teaching": ("Bleeding after sex: teaching session", "Bleeding teaching",
                 "Practise advising on light bleeding after sex with worked scenarios. It runs on your device "
                 "and sends nothing anywhere."),
}  # fmt: skip
"""The pages that get a manifest of their own: name, short name (under the icon) and description."""

CONTENT_HASHED = r"[/.+-](?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{7,}[.-][^/]*$"
"""A name that carries a content hash (the nginx file's rule): Workbox may take it from the
browser's own cache when a newer build is saved, instead of downloading it again."""

MAXIMUM_FILE_BYTES = 40_000_000
"""Workbox skips bigger files (2 MB by default); the Python snapshot is about 13 MB."""


class OfflineError(Exception):
    """The worker could not be made; the message says what to check."""


# ------------------------------------------------------------------------------------- icons


def icon_png(size: int, drop: float, colour: str = THEME_COLOUR) -> bytes:
    """A square PNG: a white drop on ``colour``, smoothed at its edges (4 x 4 samples a pixel).

    Drawn here rather than with an image library: the build needs no extra package, and the same
    size gives the same bytes."""
    background = bytes.fromhex(colour.lstrip("#"))
    height = size * drop
    radius = height * 0.32
    centre_x, centre_y = size / 2, size / 2 + height / 2 - radius
    top = size / 2 - height / 2
    # The drop's sides are tangents from its tip to the circle: inside = in the circle, or between
    # the two tangent lines above the points where they touch it.
    distance = centre_y - top
    touch_y = centre_y - radius * radius / distance
    half_width_at = (radius * (distance * distance - radius * radius) ** 0.5 / distance) / (touch_y - top)

    def inside(x: float, y: float) -> bool:
        if (x - centre_x) ** 2 + (y - centre_y) ** 2 <= radius * radius:
            return True
        return top <= y <= touch_y and abs(x - centre_x) <= (y - top) * half_width_at

    samples = [(i + 0.5) / 4 for i in range(4)]
    rows = bytearray()
    for y in range(size):
        rows.append(0)  # PNG filter: none
        for x in range(size):
            if not (top - 1 <= y <= centre_y + radius + 1 and abs(x - centre_x) <= radius + 1):
                share = 0.0
            else:
                share = sum(inside(x + dx, y + dy) for dx in samples for dy in samples) / 16
            rows.extend(round(c + (255 - c) * share) for c in background)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    pixels = chunk(b"IDAT", zlib.compress(bytes(rows), 9))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + pixels + chunk(b"IEND", b"")


def write_icons(out: Path) -> None:
    """The manifest's icons and the iPhone's, in ``<out>/icons``."""
    folder = out / "icons"
    folder.mkdir(parents=True, exist_ok=True)
    for name, size, _purpose, drop in (*ICONS, APPLE_ICON):
        (folder / name).write_bytes(icon_png(size, drop))


# ---------------------------------------------------------------------------------- manifests


def manifest(page: str) -> dict[str, object]:
    """The web app manifest for one page (it lives at the site's root, beside the worker)."""
    name, short_name, description = PAGES[page]
    return {
        "id": f"./voici/render/{page}.html",
        "name": name,
        "short_name": short_name,
        "description": description,
        "lang": "en-GB",
        "start_url": f"./voici/render/{page}.html",
        "scope": "./",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": f"icons/{file}", "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}
            for file, size, purpose, _drop in ICONS
        ],
    }


def head_tags(page: str) -> str:
    """What a page's <head> needs to be installed: the manifest, the colour, the iPhone's icon
    and name. Paths are relative: the page is ``voici/render/<page>.html``."""
    _name, short_name, _description = PAGES[page]
    return (
        f'<link rel="manifest" href="../../{page}.webmanifest">\n'
        f'<meta name="theme-color" content="{THEME_COLOUR}">\n'
        f'<link rel="apple-touch-icon" href="../../icons/{APPLE_ICON[0]}">\n'
        f'<meta name="apple-mobile-web-app-title" content="{short_name}">\n'
        '<meta name="mobile-web-app-capable" content="yes">\n'
    )


def add_to_page(text: str, page: str) -> str:
    """Put the install tags at the end of <head> and the offline script at the end of <body>."""
    if 'rel="manifest"' in text:
        return text
    text = text.replace("</head>", head_tags(page) + "</head>", 1)
    return text.replace("</body>", SNIPPET.read_text(encoding="utf-8") + "</body>", 1)


# ----------------------------------------------------------------------------------- workbox


def workbox_dir(cache: Path) -> Path:
    """``workbox-build`` installed with ``npm ci`` from the pinned lock (every tarball checked
    against its integrity), once, into ``cache/workbox``; again whenever the lock changes."""
    target = cache / "workbox"
    lock = (WORKBOX_PINS / "package-lock.json").read_bytes()
    stamp = target / "node_modules" / ".spotting-lock-sha256"
    if stamp.is_file() and stamp.read_text() == hashlib.sha256(lock).hexdigest():
        return target
    if shutil.which("npm") is None:
        raise OfflineError("the offline worker needs npm once (Workbox's build tool): apt-get install npm")
    target.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(WORKBOX_PINS / name, target / name)
    ran = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--silent"],
        cwd=target, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if ran.returncode != 0:
        raise OfflineError(f"npm ci for workbox-build failed:\n{(ran.stdout + ran.stderr)[-2000:]}")
    stamp.write_text(hashlib.sha256(lock).hexdigest())
    return target


def workbox_version() -> str:
    """The pinned ``workbox-build`` version (static/workbox/package.json)."""
    pins = json.loads((WORKBOX_PINS / "package.json").read_text(encoding="utf-8"))
    return str(pins["dependencies"]["workbox-build"])


def site_hash(out: Path) -> str:
    """A hash of every file of the site (name and bytes): a new build gets new cache names."""
    digest = hashlib.sha256()
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        digest.update(path.relative_to(out).as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:12]


UNPACKED = ("static/pyodide/spotting-snapshot-*.bin.gz",)
"""Saved files the worker also keeps unpacked (site-relative patterns): the Python snapshot, 13 MB
as gzip and 44 MB unpacked, which a second visit would otherwise unpack with DecompressionStream
(about 0.45 s of the kernel's start) before Pyodide can use it. The site-packages archive (3 MB) is
unpacked while the WebAssembly starts, off the critical path, so it is not kept twice."""

UNPACKED_SUFFIX = "-unpacked"
"""The unpacked copies' cache: this build's cache id plus this, so the cleanup of older builds
removes it with the rest, and Workbox (which deletes from its own cache whatever its list does not
name) never touches it."""


def unpacked_files(out: Path) -> list[str]:
    """The site's files (paths from its root) that the worker keeps unpacked too."""
    return sorted(p.relative_to(out).as_posix() for pattern in UNPACKED for p in out.glob(pattern) if p.is_file())


def cleanup_script(cache_id: str, unpacked: Sequence[str] = ()) -> str:
    """Deletes the caches of older builds once this build's worker takes over, then keeps an
    unpacked copy of each file in ``unpacked`` (gzip, already saved by Workbox) in this build's
    ``-unpacked`` cache, under the same URL without ``.gz``.

    Workbox's own ``cleanupOutdatedCaches`` only removes caches of older *Workbox* formats, and every
    build here has a cache of its own name. The unpacked copy is made once per build, while the
    worker activates (after Workbox has saved every file), so a second visit's kernel can read the
    snapshot ready to use (static/snapshot-loader.js asks Cache Storage for it, and unpacks the
    saved ``.gz`` as before when it is missing). Only the site's own files go in, never a request's
    or a person's data. A browser without DecompressionStream simply gets no copy."""
    return (
        "// spotting: delete older builds' caches when this build's worker activates, then keep the\n"
        "// Python snapshot unpacked beside the saved copy (spotting_host/static_offline.py).\n"
        f"const SPOTTING_CACHE_ID = {json.dumps(cache_id)};\n"
        f"const SPOTTING_UNPACKED = {json.dumps(list(unpacked))};\n"
        "const spottingUnpack = () => Promise.all(SPOTTING_UNPACKED.map(async (path) => {\n"
        "    const copies = await caches.open(SPOTTING_CACHE_ID + " + json.dumps(UNPACKED_SUFFIX) + ");\n"
        "    const url = new URL(path, self.registration.scope).href;\n"
        "    const key = url.replace(/\\.gz$/, '');\n"
        "    if (typeof DecompressionStream === 'undefined' || await copies.match(key)) return;\n"
        "    const saved = await caches.match(url, { ignoreSearch: true });\n"
        "    if (!saved || !saved.ok) return;\n"
        "    const body = saved.body.pipeThrough(new DecompressionStream('gzip'));\n"
        "    const headers = { 'Content-Type': 'application/octet-stream' };\n"
        "    await copies.put(key, new Response(body, { headers }));\n"
        "  }))\n"
        "  .catch((error) => console.warn('spotting: no unpacked snapshot kept; each visit unpacks it', error));\n"
        "self.addEventListener('activate', (event) => {\n"
        "  event.waitUntil(caches.keys().then((names) => Promise.all(names\n"
        "    .filter((name) => name.startsWith('spotting-') && !name.startsWith(SPOTTING_CACHE_ID + '-'))\n"
        "    .map((name) => caches.delete(name)))).then(spottingUnpack));\n"
        "});\n"
    )


def worker_config(out: Path, cache_id: str) -> dict[str, object]:
    """Workbox ``generateSW`` options (regular expressions as strings; make-worker.mjs turns them back)."""
    return {
        "globDirectory": str(out),
        "globPatterns": ["**/*"],
        "globIgnores": [WORKER, CLEANUP, ".nojekyll"],
        "globFollow": False,
        "swDest": str(out / WORKER),
        "cacheId": cache_id,
        "maximumFileSizeToCacheInBytes": MAXIMUM_FILE_BYTES,
        "mode": "production",
        "sourcemap": False,
        "inlineWorkboxRuntime": True,
        # The first visit is served from the saved copy as soon as it is complete (so the chunks
        # the first change of an answer loads come from it). A newer build waits until the person
        # accepts the page's offer; the page sends Workbox's SKIP_WAITING message then.
        "clientsClaim": True,
        "skipWaiting": False,
        "cleanupOutdatedCaches": True,
        "importScripts": [CLEANUP],
        # A static host ignores query strings, so the saved copy does too: a file asked for with
        # "?v=..." is the same file. Nothing is ever saved under a query string.
        "ignoreURLParametersMatching": [".*"],
        "dontCacheBustURLsMatching": CONTENT_HASHED,
        "directoryIndex": "index.html",
    }


def make_offline(out: Path, cache: Path) -> dict[str, object]:
    """Add the manifests, the icons and the Workbox service worker to a built site (``out``).

    The pages must already carry their install tags and script (:func:`add_to_page`); the worker
    comes last, so its list covers every other file. Returns Workbox's count and size."""
    for old in (WORKER, CLEANUP):  # a site made again: the new list and hash cover the rest only
        (out / old).unlink(missing_ok=True)
    write_icons(out)
    for page in PAGES:
        (out / f"{page}.webmanifest").write_text(json.dumps(manifest(page), indent=1) + "\n", encoding="utf-8")
    node = shutil.which("node")
    if node is None:
        raise OfflineError("the offline worker needs node: apt-get install -y nodejs")
    cache_id = f"spotting-{site_hash(out)}"
    (out / CLEANUP).write_text(cleanup_script(cache_id, unpacked_files(out)), encoding="utf-8")
    workbox = workbox_dir(cache)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(worker_config(out, cache_id), handle)
    try:
        ran = subprocess.run([node, str(MAKER), str(workbox), handle.name], capture_output=True, text=True, check=False)
    finally:
        Path(handle.name).unlink()
    if ran.returncode != 0:
        raise OfflineError(f"Workbox could not make the service worker:\n{(ran.stdout + ran.stderr)[-3000:]}")
    result: dict[str, object] = json.loads(ran.stdout.strip().splitlines()[-1])
    warnings = result.get("warnings")
    if isinstance(warnings, list) and warnings:
        raise OfflineError("Workbox left files out of the saved copy:\n" + "\n".join(map(str, warnings)))
    return result
