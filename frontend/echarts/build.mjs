// Bundles frontend/echarts/entry.mjs (the parts of ECharts that Kyros draws) with esbuild
// into frontend/generated/echarts.min.js (git-ignored), which frontend/index.html has
// Trunk copy to /echarts.min.js. Trunk runs this before every build and rebuild
// (`[[hooks]]` pre_build in Trunk.toml): `trunk build`, `trunk serve`,
// scripts/build-shell.sh and the Dockerfile all get it. Needs `npm ci` (esbuild, echarts).
//
// The file is rewritten only when its content changes, so that `trunk serve` does not
// see a change after every build and scripts/build-shell.sh's freshness check holds.
import { existsSync } from "node:fs";
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const entry = join(here, "entry.mjs");
const out = join(here, "..", "generated", "echarts.min.js");
const require = createRequire(entry);

// The directory of an installed package (some, like tslib, do not export package.json).
function packageDir(name) {
  let dir = dirname(require.resolve(name));
  while (!existsSync(join(dir, "package.json")) || basename(dir) !== name) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the package directory of ${name}`);
    dir = parent;
  }
  return dir;
}

async function packageVersion(name) {
  const manifest = JSON.parse(await readFile(join(packageDir(name), "package.json"), "utf8"));
  return manifest.version;
}

const echartsDir = packageDir("echarts");
const notice = (await readFile(join(echartsDir, "NOTICE"), "utf8")).trim();
const [echarts, zrender, tslib] = await Promise.all(
  ["echarts", "zrender", "tslib"].map(packageVersion),
);
// Licenses and notices of what is bundled (the per-file Apache headers are comments that
// minification drops, as it does in ECharts' own dist/echarts.min.js build).
const banner = [
  "/*!",
  ` * Kyros' build of Apache ECharts ${echarts} (Apache-2.0), with ZRender ${zrender} (BSD-3-Clause)`,
  ` * and tslib ${tslib} (0BSD). Parts registered: frontend/echarts/entry.mjs.`,
  ...notice.split("\n").map((line) => (line ? ` * ${line}` : " *")),
  " */",
].join("\n");

const result = await build({
  entryPoints: [entry],
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2020",
  platform: "browser",
  // ECharts and ZRender guard their development warnings with this.
  define: { "process.env.NODE_ENV": '"production"' },
  legalComments: "none",
  banner: { js: banner },
  charset: "utf8",
  write: false,
  logLevel: "warning",
});
const code = result.outputFiles[0].contents;

let current = null;
try {
  current = await readFile(out);
} catch {
  // First build.
}
const shown = relative(process.cwd(), out) || out;
if (current !== null && Buffer.compare(current, code) === 0) {
  console.log(`echarts bundle up to date: ${shown} (${code.length} bytes)`);
} else {
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, code);
  console.log(`echarts bundle written: ${shown} (${code.length} bytes)`);
}
