#!/usr/bin/env bash
# Builds the browser shell (frontend/) with Trunk into dist/, which the backend serves.
# Installs the pinned tools only when missing (trunk 0.21.14, wasm-bindgen-cli 0.2.130,
# npm echarts + esbuild + binaryen); Trunk itself runs offline (Trunk.toml) with the
# release-wasm cargo profile (frontend/index.html). Trunk's pre_build hook bundles the
# ECharts parts Kyros draws (frontend/echarts/entry.mjs) with esbuild into
# frontend/generated/echarts.min.js, served as /echarts.min.js.
#
# Skips the build when dist/ is newer than every input (frontend/ holds the ECharts entry
# module and its build script); `--force` builds anyway.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

inputs=(frontend common Trunk.toml Cargo.toml Cargo.lock package.json package-lock.json)
if [ "${1:-}" != "--force" ] && [ -f dist/index.html ] \
  && [ -z "$(find "${inputs[@]}" -newer dist/index.html -print -quit)" ]; then
  log "shell up to date in dist/ (scripts/build-shell.sh --force rebuilds)"
  exit 0
fi

ensure_rust_target
ensure_node_modules
ensure_wasm_bindgen
ensure_trunk

log "trunk build --release → dist/"
trunk build --release

# The Content-Security-Policy allows no inline script: Trunk must not have added one.
if grep -Eq '<script>|<script( [^>]*)?>[^<]' dist/index.html; then
  echo "dist/index.html contains an inline script (the CSP forbids it)" >&2
  exit 1
fi
for asset in dist/echarts.min.js dist/boot.js; do
  [ -s "$asset" ] || { echo "$asset is missing from the build" >&2; exit 1; }
done
# The custom ECharts build, not a stale copy: the same bytes as the bundle of this build.
cmp -s dist/echarts.min.js frontend/generated/echarts.min.js \
  || { echo "dist/echarts.min.js is not the bundle of frontend/echarts/entry.mjs" >&2; exit 1; }
ls dist/*.wasm >/dev/null 2>&1 || { echo "no .wasm in dist/" >&2; exit 1; }
log "shell built: $(du -sh dist | cut -f1) in dist/"
