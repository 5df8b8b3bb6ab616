#!/usr/bin/env bash
# Sets up what is missing and starts Kyros on the embedded default (SQLite under ./data,
# demo tenants, users, dashboards and data seeded on first start), serving the browser
# shell from dist/ on http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_system_libs
bash scripts/build-shell.sh
log "building the backend (release)"
cargo build --release -p kyros-backend
log "starting Kyros on http://${KYROS_BIND:-127.0.0.1:8080} — sign in as analyst@acme.com with password ${KYROS_DEMO_PASSWORD:-kyros-demo-2026}"
# target/release/kyros finds dist/ two levels up.
exec ./target/release/kyros serve
