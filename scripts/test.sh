#!/usr/bin/env bash
# Sets up what is missing and runs every test: formatting, lints, unit and integration
# tests against SQLite and PostgreSQL, and the WASM build of the shell.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_system_libs
ensure_rust_target
ensure_postgres
ensure_redis

log "cargo fmt --check"
cargo fmt --all -- --check

log "clippy (backend, engine, common)"
cargo clippy --workspace --all-targets -- -D warnings

log "clippy (shell, wasm32)"
cargo clippy -p kyros-frontend --target wasm32-unknown-unknown -- -D warnings

log "tests"
cargo test --workspace
