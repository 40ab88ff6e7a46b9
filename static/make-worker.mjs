// spotting: make the static site's service worker with Workbox's build tool (generateSW).
// Run by spotting_host/static_offline.py: node make-worker.mjs <workbox-dir> <config.json>
// Why Workbox and not our own caching code: precaching, revision keys, atomic install and the
// "waiting" lifecycle are easy to get subtly wrong, and Workbox is maintained and tested.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";

const [workboxDir, configFile] = process.argv.slice(2);
const require = createRequire(path.join(workboxDir, "package.json"));
const { generateSW } = require("workbox-build");
const config = JSON.parse(readFileSync(configFile, "utf8"));
// JSON cannot carry regular expressions: they come as strings and become RegExps here.
for (const key of ["ignoreURLParametersMatching", "dontCacheBustURLsMatching"]) {
  if (Array.isArray(config[key])) config[key] = config[key].map((source) => new RegExp(source));
  else if (typeof config[key] === "string") config[key] = new RegExp(config[key]);
}
const { count, size, warnings } = await generateSW(config);
for (const warning of warnings) console.error(`workbox: ${warning}`);
console.log(JSON.stringify({ count, size, warnings }));
