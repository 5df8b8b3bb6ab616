#!/usr/bin/env bash
# Supply-chain checks of the dependency tree with cargo-deny and ../deny.toml:
# licenses (permissive only), bans (no wildcard requirements; duplicates warn) and
# sources (crates.io only).
#
# Advisories need the RustSec advisory database, a git repository that this machine
# cannot fetch. They are checked only when KYROS_ADVISORY_DB names a local copy in
# cargo-deny's own layout: the root directory that `cargo deny fetch` fills (by default
# $CARGO_HOME/advisory-dbs, holding `advisory-db-<hash>/`), e.g. copied from a machine
# that can reach the database (cargo-deny refuses a copy older than 90 days). Otherwise
# the script says that advisories were skipped, and why.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

# Builds with rustc >= 1.88; installed only when `cargo deny` is missing.
CARGO_DENY_VERSION=0.20.2

cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
case ":$PATH:" in *":$cargo_bin:"*) ;; *) export PATH="$cargo_bin:$PATH" ;; esac

if ! cargo deny --version >/dev/null 2>&1; then
  log "installing cargo-deny $CARGO_DENY_VERSION"
  cargo install cargo-deny --version "$CARGO_DENY_VERSION" --locked
fi

log "cargo deny check licenses bans sources ($(cargo deny --version)); inclusion graphs" \
  "hidden: run 'cargo deny check bans' to see them"
cargo deny check --hide-inclusion-graph licenses bans sources

if [ -z "${KYROS_ADVISORY_DB:-}" ]; then
  log "advisories SKIPPED: the RustSec advisory database cannot be fetched from this" \
    "machine (only package registries are reachable); set KYROS_ADVISORY_DB to a local" \
    "copy of cargo-deny's advisory-dbs directory to check them"
  exit 0
fi
if [ ! -d "$KYROS_ADVISORY_DB" ]; then
  log "KYROS_ADVISORY_DB=$KYROS_ADVISORY_DB is not a directory"
  exit 1
fi
db_root="$(cd "$KYROS_ADVISORY_DB" && pwd)"
case "$db_root" in
  *"'"* | *\\* | *$'\n'*)
    log "KYROS_ADVISORY_DB must not contain quotes, backslashes or newlines: $db_root"
    exit 1
    ;;
esac

# deny.toml with db-path set to the local copy; --offline keeps cargo-deny from
# trying to fetch (it opens the database as it is, failing if it is too stale).
config="$(mktemp "${TMPDIR:-/tmp}/kyros-deny.XXXXXX.toml")"
trap 'rm -f "$config"' EXIT
awk -v db="$db_root" '
  { print }
  /^\[advisories\][[:space:]]*$/ { printf "db-path = '\''%s'\''\n", db }
' deny.toml >"$config"
if ! grep -q '^db-path = ' "$config"; then
  log "deny.toml has no [advisories] table"
  exit 1
fi

log "cargo deny check advisories (database under $db_root)"
cargo deny --offline --config "$config" check advisories
