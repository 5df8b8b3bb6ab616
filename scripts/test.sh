#!/usr/bin/env bash
# Sets up what is missing and runs every test: formatting, lints, unit and integration
# tests against SQLite and PostgreSQL, the WASM build of the shell, and the browser
# end-to-end tests (the release build of the shell in headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_system_libs
ensure_rust_target
ensure_postgres
ensure_redis
ensure_test_python
ensure_oidc_provider

log "cargo fmt --check"
cargo fmt --all -- --check

log "clippy (backend, engine, common, e2e)"
cargo clippy --workspace --all-targets -- -D warnings

log "supply chain (cargo deny: licenses, bans, sources, advisories)"
bash scripts/supply-chain.sh

log "clippy (shell, wasm32)"
cargo clippy -p kyros-frontend --target wasm32-unknown-unknown -- -D warnings

# The browser end-to-end tests (kyros-e2e) serve the release build of the shell from dist/.
ensure_chromium
bash scripts/build-shell.sh

# One invocation for the whole workspace, kyros-e2e included: its dependencies (fantoccini
# → webdriver → icu) change features of crates polars depends on, so `--exclude kyros-e2e`
# followed by `-p kyros-e2e` would compile polars and the backend twice (~5 min here).
log "tests: unit, integration (SQLite and PostgreSQL), browser end-to-end (headless Chromium)"
cargo test --workspace
