#!/usr/bin/env bash
# Sets up what is missing and starts Kyros on the embedded default (SQLite under ./data,
# demo tenants, users, dashboards and data seeded on first start).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_system_libs
log "building the backend (release)"
cargo build --release -p kyros-backend
log "starting Kyros — sign in as analyst@acme.com with password ${KYROS_DEMO_PASSWORD:-kyros-demo-2026}"
exec ./target/release/kyros serve
