(() => {
  // spotting: start the kernel's Python from a memory snapshot made when the site was built,
  // instead of booting Python, unpacking every wheel and importing IPython on each visit.
  // spotting_host/static_snapshot.py puts this expression, unchanged, at the top of
  // jupyterlite-pyodide-kernel's worker (self.spottingLoader, which starts Python at once: `start`)
  // and around the worker's loadPyodide call; static/make-snapshot.mjs uses the same untar and
  // serializer when it makes the snapshot. docs/static-site.md, "Speed", says why and the limits.
  const gunzipped = async (bytes) => {
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes; // the host has already decoded it
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  };
  // The body is unpacked while it is still being read (a stream through DecompressionStream),
  // not read whole first and unpacked after: on a second visit both come from the saved copy,
  // and the snapshot (13 MB, 44 MB unpacked) is what Pyodide waits for before the WebAssembly.
  const fetchBytes = async (url) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    const reader = response.body.getReader();
    const head = []; // the chunks read to see the first two bytes (gzip's magic number)
    let seen = 0;
    while (seen < 2) {
      const { done, value } = await reader.read();
      if (done) break;
      head.push(value);
      seen += value.length;
    }
    const body = new ReadableStream({
      start: (c) => head.forEach((chunk) => c.enqueue(chunk)),
      pull: async (c) => {
        const { done, value } = await reader.read();
        if (done) c.close(); else c.enqueue(value);
      },
      cancel: (why) => reader.cancel(why),
    });
    const first = new Uint8Array(head.flatMap((chunk) => [...chunk.subarray(0, 2)]));
    const gzip = first[0] === 0x1f && first[1] === 0x8b; // else the host has already decoded it
    const stream = gzip ? body.pipeThrough(new DecompressionStream("gzip")) : body;
    return new Uint8Array(await new Response(stream).arrayBuffer());
  };
  // On a second visit the offline worker (offline-cleanup.js, spotting_host/static_offline.py) has
  // kept the snapshot unpacked in this build's cache, under its URL without ".gz": read it from
  // Cache Storage as it is and skip unpacking 13 MB (about 0.45 s). Anything else (no copy, no
  // Cache Storage on plain http, an error) falls back to the saved or served .gz, as before.
  const unpackedCopy = async (url) => {
    try {
      if (typeof caches === "undefined") return null;
      const key = new URL(url, self.location.href).href.replace(/\.gz$/, "");
      if (key.endsWith(".gz") || !url.endsWith(".gz")) return null;
      const found = await caches.match(key);
      return found && found.ok ? new Uint8Array(await found.arrayBuffer()) : null;
    } catch (error) {
      return null;
    }
  };
  const readBytes = async (url) => (await unpackedCopy(url)) ?? fetchBytes(url);
  // Every regular file of a ustar archive, written under `root` in Pyodide's file system. Each
  // folder is made once (mkdirTree tries every level of the path and catches "exists", which was
  // most of the time for 1149 files), and a file keeps its slice of the archive instead of a copy
  // (canOwn): about 100 ms down to 30 ms in node, on the kernel's critical path in the browser.
  const untar = (FS, root, bytes) => {
    const text = new TextDecoder();
    const field = (at, size) => {
      const raw = bytes.subarray(at, at + size);
      const end = raw.indexOf(0);
      return text.decode(end < 0 ? raw : raw.subarray(0, end));
    };
    const folders = new Set();
    let count = 0;
    for (let at = 0; at + 512 <= bytes.length && bytes[at] !== 0; ) {
      const prefix = field(at + 345, 155);
      const path = `${root}/${prefix ? prefix + "/" : ""}${field(at, 100)}`;
      const size = parseInt(field(at + 124, 12).trim() || "0", 8);
      const type = bytes[at + 156];
      at += 512;
      if (type === 0x30 || type === 0) {
        const folder = path.slice(0, path.lastIndexOf("/"));
        if (!folders.has(folder)) {
          FS.mkdirTree(folder);
          folders.add(folder);
        }
        FS.writeFile(path, bytes.subarray(at, at + size), { canOwn: true });
        count += 1;
      }
      at += Math.ceil(size / 512) * 512;
    }
    return count;
  };
  // Python holds a few references to Pyodide's own API (pyodide_js, pyodide_js._api). A snapshot
  // cannot carry live JavaScript objects, so it names them, and the new Pyodide binds the names.
  // Anything else fails the build: nothing unnamed can hide in the snapshot.
  const serializer = (pyodide) => (value) => {
    const kind = typeof value;
    if (value === pyodide) return { pyodide: null, kind };
    for (const [where, owner] of [["pyodide", pyodide], ["api", pyodide._api]]) {
      for (const name of Object.getOwnPropertyNames(owner)) {
        if (owner[name] === value) return { [where]: name, kind };
      }
    }
    throw new Error(`the snapshot holds a JavaScript object it cannot name: ${value}`);
  };
  const deserializer = (loaded) => (ref) => {
    const target = () => {
      const pyodide = loaded();
      if (!pyodide) throw new Error("Pyodide is still loading");
      if ("api" in ref) return pyodide._api[ref.api];
      return ref.pyodide === null ? pyodide : pyodide[ref.pyodide];
    };
    if (ref.kind === "function") return function (...args) { return target().apply(this, args); };
    return new Proxy({}, {
      get: (_, key) => Reflect.get(target(), key),
      has: (_, key) => Reflect.has(target(), key),
      ownKeys: () => Reflect.ownKeys(target()),
      getOwnPropertyDescriptor: (_, key) => {
        const found = Reflect.getOwnPropertyDescriptor(target(), key);
        return found && { ...found, configurable: true };
      },
    });
  };
  // The early start. The page makes the kernel's worker before JupyterLab's own JavaScript has
  // started (static/early-worker.html), and the worker's first line calls `start` with the options
  // the build knows the kernel will ask for (spotting_host/static_snapshot.py): Python starts from
  // the snapshot on the second core while the page's JavaScript runs on the first. When the kernel
  // asks, `withSnapshot` hands over that Python if every option is the same, and starts again if
  // not (so a wrong guess costs time, never a wrong start).
  let early = null;
  const optionsKey = (config) => JSON.stringify(
    Object.keys(config).filter((key) => typeof config[key] !== "function").sort().map((key) => [key, config[key]]),
  );
  const start = (plan) => {
    try {
      // The kernel's plugin resolves every "...URL" option against the site's root, and takes
      // Pyodide's folder from pyodideUrl (jupyterlite-pyodide-kernel 0.7.0): the same here.
      const root = new URL(plan.root, self.location.href);
      const pyodideURL = new URL(plan.pyodideUrl, root).href;
      const options = { indexURL: pyodideURL.slice(0, pyodideURL.lastIndexOf("/") + 1) };
      for (const [key, value] of Object.entries(plan.loadPyodideOptions)) {
        options[key] = key.endsWith("URL") && typeof value === "string" ? new URL(value, root).href : value;
      }
      importScripts(pyodideURL); // the kernel loads the same file again when it asks; cached
      const sink = { target: null, held: [] }; // Python's output until the kernel takes it
      const forward = (name) => (text) => (sink.target ? sink.target[name]?.(text) : sink.held.push([name, text]));
      const loading = withSnapshot(self.loadPyodide)({ ...options, stdout: forward("stdout"), stderr: forward("stderr") });
      loading.catch(() => {}); // a failure shows, and is tried again, when the kernel asks
      early = { key: optionsKey(options), loading, sink };
    } catch (error) {
      early = null;
      console.warn("spotting: no early start; Python starts when the kernel asks", error);
    }
  };
  const claim = async (config) => {
    const mine = early;
    early = null;
    if (mine.key !== optionsKey(config)) {
      console.warn("spotting: the kernel asked for other options than the early start; starting again");
      return null;
    }
    mine.sink.target = config;
    mine.sink.held.forEach(([name, text]) => config[name]?.(text));
    try {
      return await mine.loading;
    } catch (error) {
      console.warn("spotting: the early start failed; starting again", error);
      return null;
    }
  };
  const withSnapshot = (loadPyodide) => async (config) => {
    if (early) {
      const started = await claim(config);
      if (started) return started;
    }
    if (!config.spottingSnapshotURL) return loadPyodide(config);
    const snapshot = readBytes(config.spottingSnapshotURL); // both start now, beside the wasm
    const sitePackages = fetchBytes(config.spottingSitePackagesURL);
    let pyodide = null;
    pyodide = await loadPyodide({
      ...config,
      packages: [], // already imported in the snapshot; their files come from the archive
      _loadSnapshot: snapshot,
      _snapshotDeserializer: deserializer(() => pyodide),
      fsInit: async (FS, info) => { untar(FS, info.sitePackages, await sitePackages); },
    });
    pyodide.runPython("import random; random.seed()"); // this visitor's own randomness, not the build's
    return pyodide;
  };
  return Object.assign(withSnapshot, { gunzipped, untar, serializer, fetchBytes, readBytes, start });
})()
