// Make the kernel's memory snapshot for the static site (run by spotting_host/static_snapshot.py):
//   node make-snapshot.mjs PYODIDE_DIR SITE_PACKAGES.tar.gz LOADER.js OUT EPOCH < imports.py
// Pyodide starts with the site's own files, untars the site's packages the way the browser will,
// runs the imports read from stdin, and writes its memory (uncompressed) to OUT.
import fs from "node:fs";
import crypto from "node:crypto";

const [dir, archive, loaderPath, out, epoch] = process.argv.slice(2);

// Same bytes on every build: neither the wall clock nor the machine's entropy reaches the
// snapshot. Python's random module is seeded again in the browser (snapshot-loader.js).
let state = 0x2545f491;
crypto.randomFillSync = (view) => {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  for (let i = 0; i < bytes.length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return view;
};
Date.now = () => Number(epoch) * 1000;
let tick = 0;
performance.now = () => (tick += 1);

const { loadPyodide } = await import(`${dir}/pyodide.mjs`);
const loader = (0, eval)(fs.readFileSync(loaderPath, "utf8"));
const sitePackages = await loader.gunzipped(new Uint8Array(fs.readFileSync(archive)));
const pyodide = await loadPyodide({
  indexURL: `${dir}/`,
  _makeSnapshot: true,
  env: { PYTHONHASHSEED: "0" },
  // micropip keeps Pyodide's package folder from its import; a fixed name keeps this build's
  // temporary folder out of the snapshot. (The lock is empty: no package is ever loaded by name.)
  packageCacheDir: "static/pyodide/",
  fsInit: (FS, info) => { loader.untar(FS, info.sitePackages, sitePackages); },
});
await pyodide.runPythonAsync(fs.readFileSync(0, "utf8"));
// Pyodide expects its JavaScript record of loaded packages to be empty in a snapshot; the new
// Pyodide fills it again from the files in site-packages.
for (const name of Object.keys(pyodide.loadedPackages)) delete pyodide.loadedPackages[name];
fs.writeFileSync(out, pyodide.makeMemorySnapshot({ serializer: loader.serializer(pyodide) }));
