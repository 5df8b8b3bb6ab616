#!/usr/bin/env bash
# Shared helpers for the run and test scripts: install what is missing, skip what is there.
set -euo pipefail

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

ensure_rust_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_postgres() {
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    log "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
    for _ in $(seq 1 50); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.2; done
  fi
}

ensure_redis() {
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    log "starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
    for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.2; done
  fi
}

ensure_system_libs() {
  local missing=()
  dpkg -s libpq-dev >/dev/null 2>&1 || missing+=(libpq-dev)
  dpkg -s libsqlite3-dev >/dev/null 2>&1 || missing+=(libsqlite3-dev)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    apt-get update -qq && apt-get install -y -qq "${missing[@]}"
  fi
}

# Pinned browser-shell tools (see ../shared/TOOLCHAIN.md). Each installs only when the
# pinned version is not already on PATH, so a second run costs nothing.
TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130

ensure_cargo_bin_on_path() {
  local bin="${CARGO_HOME:-$HOME/.cargo}/bin"
  case ":$PATH:" in *":$bin:"*) ;; *) export PATH="$bin:$PATH" ;; esac
}

ensure_trunk() {
  ensure_cargo_bin_on_path
  if ! trunk --version 2>/dev/null | grep -qF "$TRUNK_VERSION"; then
    log "installing trunk $TRUNK_VERSION"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
}

ensure_wasm_bindgen() {
  ensure_cargo_bin_on_path
  if ! wasm-bindgen --version 2>/dev/null | grep -qF "$WASM_BINDGEN_VERSION"; then
    # Not --locked: the CLI's lockfile names a crate version the registry does not serve.
    log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

# npm packages of the shell: echarts (bundled into dist/ by esbuild, see
# frontend/echarts/) and binaryen (wasm-opt). `npm ci` when one of package.json's
# (exact) pins is missing from node_modules or installed at another version.
ensure_node_modules() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  if ! (cd "$root" && node -e '
    const fs = require("fs");
    const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
    const pins = { ...pkg.dependencies, ...pkg.devDependencies };
    const stale = Object.entries(pins).filter(([name, version]) => {
      try {
        return JSON.parse(fs.readFileSync(`node_modules/${name}/package.json`, "utf8")).version !== version;
      } catch {
        return true;
      }
    });
    process.exit(stale.length ? 1 : 0);
  '); then
    log "installing npm packages (npm ci)"
    (cd "$root" && npm ci --no-audit --no-fund)
  fi
  case ":$PATH:" in *":$root/node_modules/.bin:"*) ;; *) export PATH="$root/node_modules/.bin:$PATH" ;; esac
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    log "installing chromium and chromium-driver"
    apt-get update -qq && apt-get install -y -qq chromium chromium-driver
  fi
}

# Real counterparts the tests talk to, from the package registries, pinned, installed into
# .tools/ (git-ignored) only when missing. The tests start and stop them themselves, one
# per test, on loopback ports (backend/tests/api/counterparts.rs).
AIOSMTPD_VERSION=1.4.6
OIDC_PROVIDER_VERSION=8.8.1

ensure_test_python() {
  local root venv
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  venv="$root/.tools/venv"
  if [ ! -x "$venv/bin/python" ]; then
    log "creating the test tools' Python environment (.tools/venv)"
    python3 -m venv "$venv"
  fi
  if ! "$venv/bin/python" -c "import aiosmtpd, importlib.metadata as m; assert m.version('aiosmtpd') == '$AIOSMTPD_VERSION'" 2>/dev/null; then
    log "installing aiosmtpd $AIOSMTPD_VERSION (SMTP server for the mail tests)"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "aiosmtpd==$AIOSMTPD_VERSION"
  fi
  export KYROS_TEST_PYTHON="$venv/bin/python"
}

# The OpenID provider of the single sign-on tests: the certified `oidc-provider` package
# from npm, run by backend/tests/oidc/provider.mjs (one per test, on a loopback port).
ensure_oidc_provider() {
  local root dir
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  dir="$root/.tools/oidc"
  if ! node -e "process.exit(require('$dir/node_modules/oidc-provider/package.json').version === '$OIDC_PROVIDER_VERSION' ? 0 : 1)" 2>/dev/null; then
    log "installing oidc-provider $OIDC_PROVIDER_VERSION (OpenID provider for the SSO tests)"
    mkdir -p "$dir"
    printf '{"private":true,"type":"module"}\n' >"$dir/package.json"
    (cd "$dir" && npm install --no-audit --no-fund --save-exact "oidc-provider@$OIDC_PROVIDER_VERSION")
  fi
  export KYROS_OIDC_PROVIDER_MODULE="$dir/node_modules/oidc-provider/lib/index.js"
}
