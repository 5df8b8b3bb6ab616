#!/usr/bin/env bash
# Supply-chain checks of the dependency tree with cargo-deny and ../deny.toml:
# licenses (permissive only), bans (no wildcard requirements; duplicates warn),
# sources (crates.io only) and advisories (RustSec).
#
# Advisories need the RustSec advisory database, a git repository that this machine
# cannot fetch, so they are checked offline against the first local copy found:
#  1. KYROS_ADVISORY_DB: a (fresher) copy in cargo-deny's own layout, the root directory
#     that `cargo deny fetch` fills (by default $CARGO_HOME/advisory-dbs, holding
#     `advisory-db-<hash>/`), e.g. copied from a machine that can reach the database;
#     cargo-deny refuses a copy older than 90 days.
#  2. A plain-file snapshot of the database (its `crates/` advisories, dated in its
#     SNAPSHOT.md): KYROS_ADVISORY_SNAPSHOT, else ../shared/advisory-db next to the
#     workspace, else /work/shared/advisory-db (for a clone placed elsewhere on this
#     machine, as CI does). It is turned into a one-commit git repository in
#     cargo-deny's layout in a temporary directory, dated to the snapshot's date, and
#     maximum-db-staleness is set to the snapshot's age plus a margin: the snapshot
#     is accepted whatever its age, and the log says how old it is (advisories
#     published after it are not checked).
# With neither, the script says that advisories were skipped, and why.
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

# Where cargo-deny 0.20 opens the default database (https://github.com/rustsec/advisory-db)
# under db-path: the URL's last path segment and its XxHash64 (see cargo-deny's
# CHANGELOG, PR#746). It reads the advisories from `crates/` and the database's age from
# .git: FETCH_HEAD's mtime, else the later of the HEAD commit's date and HEAD's mtime.
ADVISORY_DB_DIR=advisory-db-3157b0e258782691
# This machine's copy of the snapshot, for a clone that is not placed next to shared/.
ADVISORY_SNAPSHOT_FALLBACK=/work/shared/advisory-db
# Added to the snapshot's age (whole days, rounded up) for maximum-db-staleness.
STALENESS_MARGIN_DAYS=7

staleness=""
work=""
trap 'rm -f "${config:-}"; [ -z "$work" ] || rm -rf "$work"' EXIT

if [ -n "${KYROS_ADVISORY_DB:-}" ]; then
  if [ ! -d "$KYROS_ADVISORY_DB" ]; then
    log "KYROS_ADVISORY_DB=$KYROS_ADVISORY_DB is not a directory"
    exit 1
  fi
  db_root="$(cd "$KYROS_ADVISORY_DB" && pwd)"
  source_note="KYROS_ADVISORY_DB, cargo-deny's staleness limit"
else
  if [ -n "${KYROS_ADVISORY_SNAPSHOT:-}" ]; then
    if [ ! -d "$KYROS_ADVISORY_SNAPSHOT/crates" ]; then
      log "KYROS_ADVISORY_SNAPSHOT=$KYROS_ADVISORY_SNAPSHOT is not an advisory database snapshot" \
        "(no crates/ directory)"
      exit 1
    fi
    snapshot="$KYROS_ADVISORY_SNAPSHOT"
  elif [ -d ../shared/advisory-db/crates ]; then
    snapshot=../shared/advisory-db
  elif [ -d "$ADVISORY_SNAPSHOT_FALLBACK/crates" ]; then
    snapshot="$ADVISORY_SNAPSHOT_FALLBACK"
  else
    log "advisories SKIPPED: the RustSec advisory database cannot be fetched from this" \
      "machine (only package registries are reachable) and no local copy was found: set" \
      "KYROS_ADVISORY_DB to a copy of cargo-deny's advisory-dbs directory, or" \
      "KYROS_ADVISORY_SNAPSHOT to a snapshot of the database (none at ../shared/advisory-db" \
      "or $ADVISORY_SNAPSHOT_FALLBACK)"
    exit 0
  fi
  snapshot="$(cd "$snapshot" && pwd)"

  # The snapshot's date: the first YYYY-MM-DD of its SNAPSHOT.md, else (overstating its age)
  # the newest advisory date in it.
  snap_date="$(grep -oE '[0-9]{4}-[0-9]{2}-[0-9]{2}' "$snapshot/SNAPSHOT.md" 2>/dev/null | head -n1 || true)"
  if [ -z "$snap_date" ]; then
    snap_date="$(grep -rhoE '^date = "[0-9]{4}-[0-9]{2}-[0-9]{2}"' "$snapshot/crates" |
      grep -oE '[0-9]{4}-[0-9]{2}-[0-9]{2}' | sort | tail -n1 || true)"
    log "$snapshot has no dated SNAPSHOT.md; dating it by its newest advisory: ${snap_date:-none}"
  fi
  if [ -z "$snap_date" ] || ! snap_epoch="$(date -u -d "$snap_date" +%s 2>/dev/null)"; then
    log "cannot tell the date of the advisory database snapshot at $snapshot"
    exit 1
  fi
  age_days=$((($(date -u +%s) - snap_epoch + 86399) / 86400))
  [ "$age_days" -ge 0 ] || age_days=0
  staleness="P$((age_days + STALENESS_MARGIN_DAYS))D"

  # A one-commit repository of the snapshot, committed and HEAD-stamped at the
  # snapshot's date so that cargo-deny sees its real age. Isolated from the user's git
  # configuration (hooks, signing).
  work="$(mktemp -d "${TMPDIR:-/tmp}/kyros-advisory-dbs.XXXXXX")"
  db_root="$work/advisory-dbs"
  repo="$db_root/$ADVISORY_DB_DIR"
  mkdir -p "$repo"
  cp -R "$snapshot/." "$repo/"
  chmod -R u+w "$repo"
  snapshot_git() {
    GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 \
      GIT_AUTHOR_DATE="${snap_date}T00:00:00Z" GIT_COMMITTER_DATE="${snap_date}T00:00:00Z" \
      git -C "$repo" -c user.name="kyros supply-chain" -c user.email=supply-chain@kyros.invalid \
      -c commit.gpgsign=false "$@"
  }
  snapshot_git init -q -b main
  snapshot_git add -A
  snapshot_git commit -q --no-verify -m "RustSec advisory database snapshot of $snap_date"
  touch -d "${snap_date}T00:00:00Z" "$repo/.git/HEAD"
  source_note="snapshot of $snap_date"
  log "advisory database: snapshot of $snap_date from $snapshot, $age_days days old;" \
    "advisories published since then are not in it"
  log "maximum-db-staleness = \"$staleness\" (the snapshot's age plus $STALENESS_MARGIN_DAYS days):" \
    "cargo-deny's default 90-day limit would refuse an older snapshot, and this machine" \
    "cannot fetch a fresher one"
  if [ "$age_days" -gt 90 ]; then
    log "note: the snapshot is older than 90 days; ask for a fresher one (or set KYROS_ADVISORY_DB)"
  fi
fi

case "$db_root" in
  *"'"* | *\\* | *$'\n'*)
    log "the advisory database path must not contain quotes, backslashes or newlines: $db_root"
    exit 1
    ;;
esac

# deny.toml with db-path (and, for a snapshot, maximum-db-staleness) set; --offline keeps
# cargo-deny from trying to fetch (it opens the database as it is, failing if it is
# older than maximum-db-staleness).
config="$(mktemp "${TMPDIR:-/tmp}/kyros-deny.XXXXXX.toml")"
awk -v db="$db_root" -v staleness="$staleness" '
  staleness != "" && /^maximum-db-staleness[[:space:]]*=/ { next }
  { print }
  /^\[advisories\][[:space:]]*$/ {
    printf "db-path = '\''%s'\''\n", db
    if (staleness != "") printf "maximum-db-staleness = \"%s\"\n", staleness
  }
' deny.toml >"$config"
if ! grep -q '^db-path = ' "$config"; then
  log "deny.toml has no [advisories] table"
  exit 1
fi

log "cargo deny check advisories ($source_note; database under $db_root)"
cargo deny --offline --config "$config" check advisories
