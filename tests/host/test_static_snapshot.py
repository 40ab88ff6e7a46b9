"""The static site's Python snapshot (spotting_host.static_snapshot), without a browser: the archive of
site-packages and the loader's reader of it, the snapshot's reproducibility, and the exact patch
of the kernel's worker. That the site starts from it, and gives the server's answers, is tested
in tests/e2e/host/test_static_site.py; how much faster it is, in bench/static.py."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from spotting_host import static_site, static_snapshot
from spotting_host.static_snapshot import SnapshotError

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed (the static build needs it)")

READ_BACK = """
const fs = require("fs");
const loader = (0, eval)(fs.readFileSync(process.argv[2], "utf8"));
const files = {};
const FS = { mkdirTree() {}, writeFile(path, bytes) { files[path] = Buffer.from(bytes).toString("base64"); } };
loader.gunzipped(new Uint8Array(fs.readFileSync(process.argv[3]))).then((tar) => {
  loader.untar(FS, "/site", tar);
  console.log(JSON.stringify(files));
});
"""


def wheel(into: Path, name: str, files: dict[str, bytes]) -> Path:
    return static_site.write_wheel(into, name, "1.0", files, ())


def test_the_archive_holds_what_wheels_install_and_the_same_wheels_give_the_same_bytes(tmp_path: Path) -> None:
    deep = "pkg/" + "/".join(["folder"] * 20) + "/module.py"  # longer than ustar's 100-character name
    wheels = [
        wheel(tmp_path, "pkg", {"pkg/__init__.py": b"x = 1\n", deep: b"", "pkg-1.0.data/data/share/a.js": b"js"}),
        wheel(tmp_path, "other", {"other.py": b"y = 2\n"}),
    ]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = static_snapshot.site_packages_archive(wheels, tmp_path / "a")
    second = static_snapshot.site_packages_archive(reversed(wheels), tmp_path / "b")
    assert first.read_bytes() == second.read_bytes() and first.name == second.name
    with tarfile.open(first) as archive:
        names = set(archive.getnames())
    assert {"pkg/__init__.py", deep, "other.py", "pkg-1.0.dist-info/METADATA"} <= names
    assert not [name for name in names if ".data/" in name]  # not Python's: a labextension, a man page


def test_two_wheels_bringing_one_file_stop_the_build(tmp_path: Path) -> None:
    wheels = [wheel(tmp_path, "a", {"shared.py": b"1"}), wheel(tmp_path, "b", {"shared.py": b"2"})]
    with pytest.raises(SnapshotError, match=r"shared\.py"):
        static_snapshot.site_packages_archive(wheels, tmp_path)


@needs_node
def test_the_loader_reads_back_every_file_of_the_archive(tmp_path: Path) -> None:
    deep = "pkg/" + "/".join(["folder"] * 20) + "/module.py"
    files = {"pkg/__init__.py": b"x = 1\n", deep: b"\x00\x01binary", "pkg/empty.py": b""}
    archive = static_snapshot.site_packages_archive([wheel(tmp_path, "pkg", files)], tmp_path)
    script = tmp_path / "read.js"
    script.write_text(READ_BACK)
    ran = subprocess.run(
        [str(NODE), str(script), str(static_snapshot.LOADER), str(archive)], capture_output=True, text=True, check=True
    )
    written = json.loads(ran.stdout)
    for name, data in files.items():
        assert written[f"/site/{name}"] == base64.b64encode(data).decode(), name
    assert "/site/pkg-1.0.dist-info/RECORD" in written


READ_SNAPSHOT = """
const fs = require("fs");
const zlib = require("zlib");
const loader = (0, eval)(fs.readFileSync(process.argv[2], "utf8"));
const plain = Buffer.from("python memory ".repeat(5000));
const site = "https://site.example/";
const url = "./static/pyodide/spotting-snapshot-0123456789ab.bin.gz";
globalThis.self = { location: { href: site } };
const fetched = [];
globalThis.fetch = async (asked) => { fetched.push(asked); return new Response(zlib.gzipSync(plain)); };
const copy = Buffer.from("the unpacked copy");
const key = site + "static/pyodide/spotting-snapshot-0123456789ab.bin";
const cases = {
  copy: { match: async (asked) => asked === key ? new Response(copy) : undefined },
  missing: { match: async () => undefined },
  broken: { match: async () => { throw new Error("storage gone"); } },
  none: undefined,
};
(async () => {
  const out = {};
  for (const [name, caches] of Object.entries(cases)) {
    globalThis.caches = caches;
    fetched.length = 0;
    const bytes = Buffer.from(await loader.readBytes(url));
    out[name] = { copy: bytes.equals(copy), plain: bytes.equals(plain), fetched: [...fetched] };
  }
  console.log(JSON.stringify(out));
})();
"""


@needs_node
def test_the_loader_reads_the_unpacked_copy_when_saved_and_falls_back_to_the_gz(tmp_path: Path) -> None:
    """The offline worker keeps the snapshot unpacked in Cache Storage (static_offline.cleanup_script):
    the loader takes it as it is, without a request; with no copy, a broken Cache Storage or none
    at all (plain http), it reads and unpacks the .gz as before."""
    script = tmp_path / "read.js"
    script.write_text(READ_SNAPSHOT)
    command = [str(NODE), str(script), str(static_snapshot.LOADER)]
    ran = subprocess.run(command, capture_output=True, text=True, check=True)
    result = json.loads(ran.stdout)
    assert result["copy"] == {"copy": True, "plain": False, "fetched": []}
    for fallback in ("missing", "broken", "none"):
        assert result[fallback] == {
            "copy": False, "plain": True, "fetched": ["./static/pyodide/spotting-snapshot-0123456789ab.bin.gz"],
        }, fallback  # fmt: skip


EARLY_START = """
// The kernel's worker, in node: a fake Pyodide that counts its starts, a worker's location and
// importScripts. Each case starts early with the build's plan, then asks as the kernel does.
const fs = require("fs");
globalThis.self = globalThis;
self.location = { href: "http://site.test/extensions/@jupyterlite/pyodide-kernel-extension/static/352.abc.js" };
const warnings = [];
console.warn = (text) => warnings.push(String(text));
const plan = { root: "../../../../", pyodideUrl: "./static/pyodide/pyodide.js",
               loadPyodideOptions: { packages: ["spotting"], spottingExampleURL: "./static/pyodide/x.bin" } };
const kernelAsks = (extra = {}) => ({
  indexURL: "http://site.test/static/pyodide/", packages: ["spotting"],
  spottingExampleURL: "http://site.test/static/pyodide/x.bin", ...extra,
});
const run = async (name, { failFirst = false, noImport = false, extra = {} } = {}) => {
  const loader = (0, eval)(fs.readFileSync(process.argv[2], "utf8"));
  const starts = [];
  const imported = [];
  const fake = async (config) => {
    starts.push(config);
    config.stdout("said while starting");
    if (failFirst && starts.length === 1) throw new Error("failed");
    return { id: starts.length };
  };
  delete self.loadPyodide;
  self.importScripts = (url) => {
    if (noImport) throw new Error("no importScripts here");
    imported.push(url);
    self.loadPyodide = fake;
  };
  warnings.length = 0;
  loader.start(plan);
  const heard = [];
  const config = kernelAsks({ stdout: (text) => heard.push(text), stderr: () => {}, ...extra });
  const pyodide = await loader(fake)(config); // the kernel's own loadPyodide, imported by itself
  const first = starts[0] || {};
  return [name, { id: pyodide.id, starts: starts.length, imported, heard, warned: warnings.length,
    early: Object.fromEntries(Object.entries(first).filter(([, value]) => typeof value !== "function")) }];
};
(async () => {
  const out = [];
  out.push(await run("same"));
  out.push(await run("other", { extra: { packages: ["other"] } }));
  out.push(await run("failed", { failFirst: true }));
  out.push(await run("none", { noImport: true }));
  console.log(JSON.stringify(Object.fromEntries(out)));
})();
"""


@needs_node
def test_python_starts_before_the_kernel_asks_and_is_handed_over_only_for_the_same_options(tmp_path: Path) -> None:
    """The worker's first line starts Python with the build's plan (snapshot-loader.js, ``start``):
    options resolved as the kernel's plugin resolves them. The kernel gets that very Python, with
    what it printed meanwhile, when it asks for the same; for anything else, or after a failed
    early start, Python starts again, and where the early start cannot run, it starts once, late."""
    script = tmp_path / "early.js"
    script.write_text(EARLY_START)
    command = [str(NODE), str(script), str(static_snapshot.LOADER)]
    result = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    same = result["same"]
    assert same["starts"] == 1 and same["id"] == 1 and same["warned"] == 0
    assert same["imported"] == ["http://site.test/static/pyodide/pyodide.js"]
    assert same["early"] == {
        "indexURL": "http://site.test/static/pyodide/", "packages": ["spotting"],
        "spottingExampleURL": "http://site.test/static/pyodide/x.bin",
    }  # fmt: skip
    assert same["heard"] == ["said while starting"]  # held, then given to the kernel
    assert result["other"]["starts"] == 2 and result["other"]["id"] == 2 and result["other"]["warned"] == 1
    assert result["failed"]["starts"] == 2 and result["failed"]["id"] == 2 and result["failed"]["warned"] == 1
    assert result["none"]["starts"] == 1 and result["none"]["imported"] == [] and result["none"]["warned"] == 1


def test_the_snapshot_imports_what_the_kernel_and_notebooks_import_and_makes_no_widget() -> None:
    code = static_snapshot.snapshot_imports([static_site.notebook_code(name) for name in static_site.NOTEBOOKS])
    lines = code.splitlines()
    assert {
        "import pyodide_kernel",
        "from spotting.explorer import App",
        "from spotting.teaching import TeachingApp",
    } <= set(lines)
    assert "App()" not in code and "TeachingApp()" not in code  # a widget needs the page
    compile(code, "snapshot", "exec")


@needs_node
def test_the_same_files_give_the_same_snapshot_wherever_the_build_runs(tmp_path: Path) -> None:
    """No clock, no entropy and no build folder reach the snapshot (make-snapshot.mjs), so
    builds are reproducible."""
    [micropip] = static_site.fetch_wheels([static_site.read_browser_lock()["micropip"]])  # cached, or once from PyPI
    archive = static_snapshot.site_packages_archive(
        [wheel(tmp_path, "pkg", {"pkg.py": b"import time\nT = time.time()\n"}), micropip], tmp_path
    )
    code = "import random, logging, micropip, pkg\nR = random.random()\n"
    made = []
    for build in ("a", "b"):
        pyodide_dir = tmp_path / build / "pyodide"
        static_site.extract(static_site.npm_file("pyodide"), static_site.PYODIDE_CORE, pyodide_dir)
        (pyodide_dir / "pyodide-lock.json").write_text(static_site._pyodide_npm_lock())
        made.append(static_snapshot.make_snapshot(pyodide_dir, archive, code, "1700000000"))
    assert made[0].name == made[1].name and made[0].read_bytes() == made[1].read_bytes()


LITE_CONFIG = {
    "jupyter-config-data": {
        "litePluginSettings": {
            static_snapshot.KERNEL_SETTINGS: {
                "pyodideUrl": "./static/pyodide/pyodide.js",
                "loadPyodideOptions": {"packages": ["spotting"], "spottingSnapshotURL": "./static/pyodide/s.bin.gz"},
            }
        }
    }
}


ENTRY = "remoteEntry.a117bd216cefa0b341fe.js"


def fake_site(root: Path) -> Path:
    """The files the patch reads and renames, as voici build leaves them (the two worker bundles,
    the extension's remoteEntry naming them twice, and the configuration naming remoteEntry)."""
    folder = root / static_snapshot.WORKER_DIR
    folder.mkdir(parents=True)
    for name, call in static_snapshot.WORKER_PATCHES.items():
        (folder / name).write_text(f"a();{call}stdout:1}});b();")
    chunks = ",".join(f'{name.split(".")[0]}:"{name.split(".")[1]}"' for name in static_snapshot.WORKER_PATCHES)
    (folder / ENTRY).write_text(f'u=e=>e+"."+{{{chunks},1:"x"}}[e]+".js?v="+{{{chunks}}}[e];')
    config = json.dumps(LITE_CONFIG).replace("{", '{"load": "static/' + ENTRY + '", ', 1)
    (root / "jupyter-lite.json").write_text(config)
    (root / "voici" / "render").mkdir(parents=True)
    (root / "voici" / "render" / "explorer.html").write_text(
        '<!DOCTYPE html><html><head><script>guard()</script><meta charset="utf-8" />'
        f'<script id="jupyter-config-data">{{"load": "static/{ENTRY}"}}</script></head></html>'
    )
    return folder


def test_the_kernel_worker_is_patched_at_one_exact_place_or_the_build_stops(tmp_path: Path) -> None:
    folder = fake_site(tmp_path)
    lite = (tmp_path / "jupyter-lite.json").read_text()
    (tmp_path / "jupyter-lite.json").unlink()
    with pytest.raises(SnapshotError, match=r"jupyter-lite\.json"):  # no plan for the early start
        static_snapshot.patch_kernel_worker(tmp_path)
    (tmp_path / "jupyter-lite.json").write_text(lite)
    renamed = static_snapshot.patch_kernel_worker(tmp_path)
    plan = {"root": "../../../../", "pyodideUrl": "./static/pyodide/pyodide.js",
            "loadPyodideOptions": LITE_CONFIG["jupyter-config-data"]["litePluginSettings"][
                static_snapshot.KERNEL_SETTINGS]["loadPyodideOptions"]}  # fmt: skip
    assert set(renamed) == set(static_snapshot.WORKER_PATCHES)
    for name, new in renamed.items():
        assert not (folder / name).exists() and new != name
        text = (folder / new).read_text()
        prelude, worker = text.split("\na();", 1)
        assert prelude.startswith("/* spotting:") and "spottingSnapshotURL" in prelude
        assert prelude.endswith(f"self.spottingLoader.start({json.dumps(plan, sort_keys=True)});")
        assert worker == "this._pyodide=await self.spottingLoader(t)({indexURL:s,stdout:1});b();".replace(
            "indexURL:s", static_snapshot.WORKER_PATCHES[name].split("({", 1)[1].rstrip(",")
        )
    with pytest.raises(SnapshotError, match="expected"):  # patched already: the files are renamed
        static_snapshot.patch_kernel_worker(tmp_path)


def test_the_patched_files_are_named_by_their_new_content_and_everything_points_at_the_new_names(
    tmp_path: Path,
) -> None:
    """A host may keep a file whose name carries a content hash for a year (deploy/nginx-static.conf),
    and the patch changes the worker bundles with each build: under their old names a returning
    visitor could keep an older build's worker. So they, and remoteEntry that names them, get names
    from their new content, and the configuration and the pages load the new remoteEntry."""
    folder = fake_site(tmp_path)
    renamed = static_snapshot.patch_kernel_worker(tmp_path)
    [entry] = folder.glob("remoteEntry.*.js")
    for path in [*(folder / new for new in renamed.values()), entry]:
        digest = path.name.split(".")[1]
        assert digest == hashlib.sha256(path.read_bytes()).hexdigest()[: len(digest)], path.name
    chunks = entry.read_text()
    for name, new in renamed.items():
        chunk, old_hash = name.split(".")[:2]
        assert chunks.count(f'{chunk}:"{new.split(".")[1]}"') == 2 and old_hash not in chunks
    for config in (tmp_path / "jupyter-lite.json", tmp_path / "voici" / "render" / "explorer.html"):
        text = config.read_text()
        assert f"static/{entry.name}" in text and ENTRY not in text, config
    again = tmp_path / "again"
    fake_site(again)
    (again / "jupyter-lite.json").write_text((again / "jupyter-lite.json").read_text().replace("s.bin.gz", "t.bin.gz"))
    other = static_snapshot.patch_kernel_worker(again)  # another snapshot: other names
    assert set(other.values()).isdisjoint(renamed.values())
    assert not (again / static_snapshot.WORKER_DIR / entry.name).exists()


def test_a_page_makes_the_kernels_own_worker_early_with_the_same_address(tmp_path: Path) -> None:
    """The page's early worker (static/early-worker.html) must be the file the kernel asks for,
    seen from where the page is: the bundle patched above, under its new name, with the query the
    extension adds. The tag goes just after <meta charset>, which must stay in the first 1024 bytes."""
    folder = fake_site(tmp_path)
    renamed = static_snapshot.patch_kernel_worker(tmp_path)
    page = tmp_path / "voici" / "render" / "explorer.html"
    static_snapshot.add_early_worker(page, tmp_path, renamed)
    text = page.read_text()
    assert text.index("<meta charset") < 1024 and text.index("<meta charset") < text.index("spottingEarlyWorker")
    assert text.index("spottingEarlyWorker") < text.index("jupyter-config-data")
    workers = json.loads(text.split("var workers = ", 1)[1].split(";", 1)[0])
    assert set(workers) == {"plain", "isolated"}
    for kind, name in static_snapshot.KERNEL_WORKERS.items():
        address, query = workers[kind].split("?")
        assert (page.parent / address).resolve() == (folder / renamed[name]).resolve()
        assert (folder / renamed[name]).is_file()
        assert query == "v=" + renamed[name].split(".")[1]  # as the extension's chunk map makes it
    with pytest.raises(SnapshotError, match="already"):
        static_snapshot.add_early_worker(page, tmp_path, renamed)
