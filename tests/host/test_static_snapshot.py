"""The static site's Python snapshot (spotting_host.static_snapshot), without a browser: the archive of
site-packages and the loader's reader of it, the snapshot's reproducibility, and the exact patch
of the kernel's worker. That the site starts from it, and gives the server's answers, is tested
in tests/e2e/host/test_static_site.py; how much faster it is, in bench/static.py."""

from __future__ import annotations

import base64
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


def test_the_kernel_worker_is_patched_at_one_exact_place_or_the_build_stops(tmp_path: Path) -> None:
    folder = tmp_path / static_snapshot.WORKER_DIR
    folder.mkdir(parents=True)
    for name, call in static_snapshot.WORKER_PATCHES.items():
        (folder / name).write_text(f"a();{call}stdout:1}});b();")
    static_snapshot.patch_kernel_worker(tmp_path)
    for name in static_snapshot.WORKER_PATCHES:
        text = (folder / name).read_text()
        assert "spottingSnapshotURL" in text and "(t)({indexURL:" in text
        assert text.startswith("a();this._pyodide=await (") and text.endswith("stdout:1});b();")
    with pytest.raises(SnapshotError, match="expected"):  # patched already: the text is gone
        static_snapshot.patch_kernel_worker(tmp_path)
